using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json;

namespace CoursePlatform.Enrollment.Tests;

/// <summary>
/// The built app served by the repository's local Functions host (tools/FunctionsHost), on a free port,
/// so the enrolment routes can be called over HTTP: routing, authentication middleware, body parsing and
/// problem+json included. A trimmed copy of what CoursePlatform.FunctionsHost.Tests does.
/// </summary>
public sealed class FunctionsHostRunner : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly string settingsFile;

    private FunctionsHostRunner(Process process, int port, string settingsFile)
    {
        this.process = process;
        this.settingsFile = settingsFile;
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/api/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public string Output => string.Join(Environment.NewLine, output.TakeLast(200));

    /// <summary>Starts the host with the sample settings, overridden by <paramref name="overrides"/>, and waits until it serves.</summary>
    public static async Task<FunctionsHostRunner> StartAsync(IDictionary<string, string> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var root = RepositoryRoot();
        var configuration = typeof(FunctionsHostRunner).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;
        var hostDll = Path.Combine(root, "tools", "FunctionsHost", "bin", configuration, "net10.0", "CoursePlatform.FunctionsHost.dll");
        var app = Path.Combine(root, "src", "Functions", "bin", configuration, "net10.0");
        if (!File.Exists(hostDll)) throw new InvalidOperationException($"The host is not built: {hostDll}");

        using var sample = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "local.settings.sample.json")));
        var settings = sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        foreach (var (key, value) in overrides) settings[key] = value;
        var settingsFile = Path.Combine(Path.GetTempPath(), $"enrollment-host-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(settingsFile, JsonSerializer.Serialize(new { IsEncrypted = false, Values = settings }));

        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { hostDll, "--app", app, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--settings", settingsFile, "--startup-timeout", "100" })
            start.ArgumentList.Add(argument);
        var process = new Process { StartInfo = start };
        var host = new FunctionsHostRunner(process, port, settingsFile);
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) host.output.Enqueue(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) host.output.Enqueue(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var status = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + StartTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited) throw new InvalidOperationException($"The host exited with code {process.ExitCode}:\n{host.Output}");
            try
            {
                using var response = await status.GetAsync("admin/host/status");
                if (response.StatusCode == HttpStatusCode.OK) return host;
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            await Task.Delay(250);
        }
        await host.DisposeAsync();
        throw new TimeoutException($"The host was not running after {StartTimeout.TotalSeconds} s:\n{host.Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            if (!OperatingSystem.IsWindows())
            {
                using var interrupt = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                await interrupt.WaitForExitAsync();
            }
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        process.Dispose();
        Client.Dispose();
        try { File.Delete(settingsFile); } catch (IOException) { }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoursePlatform.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("CoursePlatform.sln not found above " + AppContext.BaseDirectory);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
