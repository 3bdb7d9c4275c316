using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoursePlatform.Testing;

/// <summary>
/// The local Functions host as a child process on a free port, with its console output captured. Disposing stops it
/// the way a developer does (SIGINT, i.e. Ctrl+C) and kills it only if it does not exit.
/// </summary>
public sealed partial class HostProcess : IAsyncDisposable
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly string settingsFile;

    private HostProcess(Process process, int port, string settingsFile, string masterKey)
    {
        this.process = process;
        this.settingsFile = settingsFile;
        Port = port;
        MasterKey = masterKey;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
        AdminClient = new HttpClient { BaseAddress = Client.BaseAddress, Timeout = Client.Timeout };
        AdminClient.DefaultRequestHeaders.Add("x-functions-key", masterKey);
    }

    public int Port { get; }
    public HttpClient Client { get; }
    /// <summary>The host's master key: <c>/admin/*</c> needs it, as in Azure.</summary>
    public string MasterKey { get; }
    /// <summary>A client that sends <see cref="MasterKey"/> (<c>x-functions-key</c>), for the admin endpoints.</summary>
    public HttpClient AdminClient { get; }
    public string Output => string.Join(Environment.NewLine, output);
    public bool HasExited => process.HasExited;
    public int ExitCode => process.ExitCode;

    /// <summary>
    /// Starts the host for <paramref name="appDirectory"/> with these local.settings.json Values. The host exits with an
    /// error if any function is in error (one Azure would not run), unless <paramref name="failOnFunctionErrors"/> is false.
    /// </summary>
    public static HostProcess Start(
        string appDirectory, IDictionary<string, string> settings, int? port = null, object? hostSection = null, bool failOnFunctionErrors = true)
    {
        if (!File.Exists(Paths.HostDll)) throw new InvalidOperationException($"The host is not built: {Paths.HostDll}");
        var settingsFile = Path.Combine(Path.GetTempPath(), $"host-settings-{Guid.NewGuid():N}.json");
        var values = new Dictionary<string, string>(settings);
        if (!values.TryGetValue("FunctionsHost:MasterKey", out var masterKey)) values["FunctionsHost:MasterKey"] = masterKey = $"test-master-{Guid.NewGuid():N}";
        File.WriteAllText(settingsFile, JsonSerializer.Serialize(new { IsEncrypted = false, Values = values, Host = hostSection ?? new { } }));
        var chosenPort = port ?? FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { Paths.HostDll, "--app", appDirectory, "--port", chosenPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--settings", settingsFile, "--startup-timeout", "75" })
        {
            start.ArgumentList.Add(argument);
        }
        if (failOnFunctionErrors) start.ArgumentList.Add("--fail-on-function-errors");
        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, chosenPort, settingsFile, masterKey);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) host.output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host.output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until the host reports every function loaded; fails with the host's output otherwise.</summary>
    public async Task WaitUntilRunningAsync()
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The host exited with code {process.ExitCode}:\n{Output}");
            try
            {
                using var response = await AdminClient.GetAsync("admin/host/status");
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"The host was not running after {StartTimeout.TotalSeconds} s:\n{Output}");
    }

    /// <summary>Waits for the host process to exit on its own; false on timeout.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>The current worker's process id, from the host's last "Started worker process N" line.</summary>
    public int? WorkerProcessId => WorkerProcessIds.Count > 0 ? WorkerProcessIds[^1] : null;

    /// <summary>Every worker process the host started, in order (more than one after a worker died and was replaced).</summary>
    public IReadOnlyList<int> WorkerProcessIds =>
        output.Select(line => WorkerPid().Match(line)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    /// <summary>Ctrl+C: SIGINT on Unix, so the host shuts the worker down itself.</summary>
    public void Interrupt() => Signal("-INT");

    /// <summary>
    /// A graceful stop by SIGTERM, as a service manager sends it. Disposal uses it rather than SIGINT, which a
    /// process started in the background by a non-interactive shell inherits as ignored.
    /// </summary>
    public void Terminate() => Signal("-TERM");

    private void Signal(string signal)
    {
        if (process.HasExited) return;
        if (!OperatingSystem.IsWindows())
        {
            using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            if (kill.ExitCode == 0) return;
        }
        process.Kill(entireProcessTree: true);
    }

    public async ValueTask DisposeAsync()
    {
        Terminate();
        if (!await WaitForExitAsync(TimeSpan.FromSeconds(30)))
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            await WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        process.Dispose();
        Client.Dispose();
        AdminClient.Dispose();
        try { File.Delete(settingsFile); } catch (IOException) { }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"Started worker process (\d+)")]
    private static partial Regex WorkerPid();
}
