using System.Diagnostics;

namespace CoursePlatform.Functions.Tests.ApiContract;

/// <summary>The pinned npm tools of tools/openapi (Redocly, openapi-typescript, tsc, playwright-core), run as processes.</summary>
public static class NodeTools
{
    /// <summary>Runs <c>node_modules/.bin/<paramref name="tool"/></c> (or <c>node</c> itself) in tools/openapi.</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string tool, params string[] arguments) =>
        RunAsync(TimeSpan.FromMinutes(2), tool, arguments);

    /// <summary>As above with a deadline; past it the process tree is killed and its output so far is the failure message.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan deadline, string tool, params string[] arguments)
    {
        var executable = tool == "node" ? "node" : Path.Combine(Paths.OpenApiTools, "node_modules", ".bin", tool);
        Assert.True(tool == "node" || File.Exists(executable),
            $"{executable} is missing: run scripts/install-openapi-tools.sh (test.sh does) to install the pinned tools of tools/openapi.");
        var start = new ProcessStartInfo(executable)
        {
            WorkingDirectory = Paths.OpenApiTools,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["NO_COLOR"] = "1";
        start.Environment["REDOCLY_TELEMETRY"] = "off";
        start.Environment["REDOCLY_SUPPRESS_UPDATE_NOTICE"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(deadline);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.Fail($"{tool} {string.Join(' ', arguments)} did not finish within {deadline}:\n{await stdout}{await stderr}");
        }
        return (process.ExitCode, (await stdout) + (await stderr));
    }
}
