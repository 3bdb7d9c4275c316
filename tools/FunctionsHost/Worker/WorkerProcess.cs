using System.Diagnostics;
using System.Text.Json.Nodes;
using CoursePlatform.FunctionsHost.Configuration;

namespace CoursePlatform.FunctionsHost.Worker;

/// <summary>
/// Starts the built worker the way the Functions host does (<c>dotnet App.dll --host ... --functions-uri ...</c>,
/// environment with the app settings) and shows its console output; started again after it dies.
/// </summary>
public sealed class WorkerProcess(HostArguments arguments, AppSettings settings, WorkerChannel channel, ILoggerFactory loggers) : IDisposable
{
    private const int MaxMessageLength = int.MaxValue;
    private readonly ILogger logger = loggers.CreateLogger("Host.Worker");
    private readonly ILogger console = loggers.CreateLogger("Worker.Console");
    private TaskCompletionSource<int> exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> recentOutput = new();
    private Process? process;

    /// <summary>Completes with the exit code when the current worker process ends.</summary>
    public Task<int> Exited => exited.Task;

    /// <summary>The last lines the worker printed, for the error message when it dies.</summary>
    public string RecentOutput
    {
        get { lock (recentOutput) return string.Join(Environment.NewLine, recentOutput); }
    }

    /// <summary>Starts a worker process for the channel's current connection (again, after the previous one died).</summary>
    public void Start(Uri grpcUri)
    {
        if (process is { } previous)
        {
            if (!previous.HasExited) throw new InvalidOperationException("The worker process is still running.");
            previous.Dispose();
            exited = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        var (executable, workerPath) = ReadWorkerConfig();
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = arguments.AppDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var port = grpcUri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var length = MaxMessageLength.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var argument in new[]
        {
            workerPath,
            "--host", grpcUri.Host, "--port", port, "--workerId", channel.WorkerId, "--requestId", channel.RequestId,
            "--grpcMaxMessageLength", length,
            "--functions-uri", grpcUri.ToString(), "--functions-worker-id", channel.WorkerId,
            "--functions-request-id", channel.RequestId, "--functions-grpc-max-message-length", length,
        })
        {
            start.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in settings.Values) start.Environment[name] = value;
        start.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        // Without it the worker cannot resolve the function assemblies and every function load fails.
        start.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = arguments.AppDirectory;
        if (settings["AZURE_FUNCTIONS_ENVIRONMENT"] is null) start.Environment["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development";

        var started = new Process { StartInfo = start, EnableRaisingEvents = true };
        var done = exited;
        started.OutputDataReceived += (_, e) => Print(e.Data, LogLevel.Information);
        started.ErrorDataReceived += (_, e) => Print(e.Data, LogLevel.Warning);
        started.Exited += (_, _) =>
        {
            // Exited can fire before the last output lines are delivered; WaitForExit flushes them.
            started.WaitForExit();
            done.TrySetResult(started.ExitCode);
        };
        process = started;
        try
        {
            started.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new HostStartupException($"Could not start the worker ('{executable} {workerPath}'): {ex.Message}", ex);
        }
        started.BeginOutputReadLine();
        started.BeginErrorReadLine();
        logger.LogInformation("Started worker process {Pid}: {Executable} {WorkerPath}", started.Id, executable, workerPath);
    }

    /// <summary>Waits for the worker to exit after WorkerTerminate; kills it (and its children) after the grace period.</summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        if (process is null || exited.Task.IsCompleted) return;
        try
        {
            await exited.Task.WaitAsync(gracePeriod);
        }
        catch (TimeoutException)
        {
            logger.LogWarning("Worker did not exit within {Seconds} s; killing it.", gracePeriod.TotalSeconds);
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            try { await exited.Task.WaitAsync(TimeSpan.FromSeconds(10)); } catch (TimeoutException) { logger.LogError("Worker process {Pid} did not die.", process.Id); }
        }
    }

    public void Dispose()
    {
        if (process is { } p)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.Dispose();
        }
    }

    private (string Executable, string WorkerPath) ReadWorkerConfig()
    {
        var file = Path.Combine(arguments.AppDirectory, "worker.config.json");
        if (!File.Exists(file))
        {
            throw new HostStartupException($"'{arguments.AppDirectory}' has no worker.config.json: it is not the build output of an isolated-worker app.");
        }
        var description = JsonNode.Parse(File.ReadAllText(file))?["description"];
        var executable = description?["defaultExecutablePath"]?.ToString() ?? "dotnet";
        var workerPath = description?["defaultWorkerPath"]?.ToString()
            ?? throw new HostStartupException($"{file} names no defaultWorkerPath.");
        if (!File.Exists(Path.Combine(arguments.AppDirectory, workerPath)))
        {
            throw new HostStartupException($"The worker '{workerPath}' named in {file} is missing from '{arguments.AppDirectory}'.");
        }
        // "dotnet": use the same dotnet that runs this host when we run under it.
        if (executable == "dotnet" && Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            executable = self;
        }
        return (executable, workerPath);
    }

    private void Print(string? line, LogLevel level)
    {
        if (line is null) return;
        lock (recentOutput)
        {
            recentOutput.Enqueue(line);
            while (recentOutput.Count > 40) recentOutput.Dequeue();
        }
        console.Log(level, "{Line}", line);
    }
}
