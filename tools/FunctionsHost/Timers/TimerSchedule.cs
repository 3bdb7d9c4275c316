using System.Globalization;
using NCrontab;

namespace CoursePlatform.FunctionsHost.Timers;

/// <summary>A timer trigger's schedule: six-field NCrontab (with seconds), five-field CRON, or a TimeSpan interval.</summary>
public sealed class TimerSchedule
{
    private readonly CrontabSchedule? cron;
    private readonly TimeSpan? interval;

    private TimerSchedule(CrontabSchedule? cron, TimeSpan? interval, string expression)
    {
        this.cron = cron;
        this.interval = interval;
        Expression = expression;
    }

    public string Expression { get; }

    public static TimerSchedule Parse(string expression)
    {
        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (fields.Length == 1 && TimeSpan.TryParse(expression, CultureInfo.InvariantCulture, out var every) && every > TimeSpan.Zero)
        {
            return new TimerSchedule(null, every, expression);
        }
        var options = new CrontabSchedule.ParseOptions { IncludingSeconds = fields.Length == 6 };
        return new TimerSchedule(CrontabSchedule.Parse(string.Join(' ', fields), options), null, expression);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/> (local time, like the host outside Azure).</summary>
    public DateTime Next(DateTime after) =>
        cron is not null ? cron.GetNextOccurrence(after) : after + interval!.Value;
}
