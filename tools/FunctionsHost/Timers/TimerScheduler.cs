using System.Text.Json;
using CoursePlatform.FunctionsHost.Configuration;
using CoursePlatform.FunctionsHost.Functions;
using CoursePlatform.FunctionsHost.Worker;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace CoursePlatform.FunctionsHost.Timers;

/// <summary>Fires timer-trigger functions on their schedules; also runs one on demand (admin endpoint).</summary>
public sealed class TimerScheduler(WorkerChannel worker, AppSettings settings, ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger("Host.Timers");
    private readonly List<Task> loops = [];

    public static bool IsTimer(FunctionDefinition function) =>
        string.Equals(function.Trigger?.Type, "timerTrigger", StringComparison.OrdinalIgnoreCase);

    /// <summary>Starts one loop per timer function; returns console lines. A schedule that does not parse disables that function.</summary>
    public IReadOnlyList<string> Start(IEnumerable<FunctionDefinition> functions, CancellationToken stopping)
    {
        var lines = new List<string>();
        foreach (var function in functions.Where(IsTimer))
        {
            var trigger = function.Trigger!;
            TimerSchedule schedule;
            try
            {
                schedule = TimerSchedule.Parse(settings.Resolve(trigger.Get("schedule") ?? ""));
            }
            catch (Exception ex) when (ex is HostStartupException or NCrontab.CrontabException or FormatException)
            {
                logger.LogError("Timer function '{Function}' is disabled: its schedule '{Schedule}' is invalid ({Error})", function.Name, trigger.Get("schedule"), ex.Message);
                lines.Add($"{function.Name}: timerTrigger (disabled: invalid schedule)");
                continue;
            }
            var runOnStartup = string.Equals(trigger.Get("runOnStartup"), "true", StringComparison.OrdinalIgnoreCase);
            loops.Add(Task.Run(() => RunAsync(function, schedule, runOnStartup, stopping), CancellationToken.None));
            lines.Add($"{function.Name}: timerTrigger ({schedule.Expression}), next at {schedule.Next(DateTime.Now):yyyy-MM-dd HH:mm:ss}");
        }
        return lines;
    }

    public Task StoppedAsync() => Task.WhenAll(loops);

    /// <summary>Runs the function once now; false when it failed.</summary>
    public async Task<bool> InvokeAsync(FunctionDefinition function, DateTime? last, DateTime next, bool isPastDue, CancellationToken cancellationToken)
    {
        var timerInfo = JsonSerializer.Serialize(new
        {
            Schedule = new { AdjustForDST = true },
            ScheduleStatus = new { Last = last ?? DateTime.MinValue, Next = next, LastUpdated = DateTime.Now },
            IsPastDue = isPastDue,
        });
        var input = new ParameterBinding { Name = function.Trigger!.Name, Data = new TypedData { Json = timerInfo } };
        try
        {
            var response = await worker.InvokeAsync(function, [input], new Dictionary<string, TypedData>(), cancellationToken);
            if (response.Result.Status == StatusResult.Types.Status.Success)
            {
                logger.LogInformation("Executed '{Function}' (Succeeded)", function.FullName);
                return true;
            }
            logger.LogError("Executed '{Function}' (Failed): {Reason}", function.FullName, WorkerChannel.Describe(response.Result));
        }
        catch (InvalidOperationException ex)
        {
            logger.LogError("Executed '{Function}' (Failed): {Reason}", function.FullName, ex.Message);
        }
        return false;
    }

    private async Task RunAsync(FunctionDefinition function, TimerSchedule schedule, bool runOnStartup, CancellationToken stopping)
    {
        DateTime? last = null;
        try
        {
            if (runOnStartup)
            {
                await InvokeAsync(function, null, schedule.Next(DateTime.Now), isPastDue: false, stopping);
            }
            var next = schedule.Next(DateTime.Now);
            while (!stopping.IsCancellationRequested)
            {
                var wait = next - DateTime.Now;
                if (wait > TimeSpan.Zero) await Task.Delay(wait, stopping);
                // A run that took longer than the period makes the next occurrence late: report it as past due.
                var isPastDue = DateTime.Now - next > TimeSpan.FromSeconds(1);
                var following = schedule.Next(next > DateTime.Now ? next : DateTime.Now);
                // Once started, a run is drained on shutdown rather than abandoned.
                await InvokeAsync(function, last, following, isPastDue, CancellationToken.None);
                last = next;
                next = schedule.Next(DateTime.Now > next ? DateTime.Now : next);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }
}
