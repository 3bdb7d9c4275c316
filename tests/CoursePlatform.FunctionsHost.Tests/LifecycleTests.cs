using System.Diagnostics;
using CoursePlatform.FunctionsHost.Tests.Infrastructure;
using CoursePlatform.Testing;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>
/// Start-up failures end with a clear message and a non-zero exit code; a worker that dies is replaced, one that
/// keeps dying stops the host; Ctrl+C stops host and worker.
/// </summary>
public sealed class LifecycleTests
{
    private static readonly TimeSpan ExitWait = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task Missing_app_folder_exits_with_a_clear_message()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-app-{Guid.NewGuid():N}");
        await using var host = HostProcess.Start(missing, new Dictionary<string, string>());

        Assert.True(await host.WaitForExitAsync(ExitWait), host.Output);
        Assert.Equal(1, host.ExitCode);
        Assert.Contains($"The app folder '{missing}' does not exist", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Folder_without_functions_metadata_exits_with_a_clear_message()
    {
        // Like pointing at the project folder instead of its build output.
        var folder = Directory.CreateTempSubdirectory("not-a-functions-output-").FullName;
        File.WriteAllText(Path.Combine(folder, "host.json"), "{\"version\": \"2.0\"}");
        await using var host = HostProcess.Start(folder, new Dictionary<string, string>());

        var exited = await host.WaitForExitAsync(ExitWait);
        Directory.Delete(folder, recursive: true);
        Assert.True(exited, host.Output);
        Assert.Equal(1, host.ExitCode);
        Assert.Contains("is not a Functions build output: functions.metadata is missing", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Worker_that_fails_to_start_makes_the_host_exit_with_its_error()
    {
        var settings = new FixtureSettings().Values();
        settings["FixtureFailStartup"] = "true";
        await using var host = FixtureHost.Start(settings);

        Assert.True(await host.WaitForExitAsync(ExitWait), host.Output);
        Assert.Equal(1, host.ExitCode);
        Assert.Contains("The worker failed to start: The worker process exited with code", host.Output, StringComparison.Ordinal);
        Assert.Contains("FixtureFailStartup=true", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_fail_option_a_function_in_error_stops_the_host_with_its_error()
    {
        // HostProcess passes --fail-on-function-errors unless told otherwise; the fixture has AdministratorPing in error.
        var fixture = new FixtureSettings();
        await using var host = HostProcess.Start(Paths.FixtureApp, fixture.Values());

        Assert.True(await host.WaitForExitAsync(ExitWait), host.Output);
        Assert.Equal(1, host.ExitCode);
        Assert.Contains("The 'AdministratorPing' function is in error: The specified route conflicts with one or more built in routes.", host.Output, StringComparison.Ordinal);
        Assert.Contains("Functions host error: 1 function(s) in error (AdministratorPing); not serving (--fail-on-function-errors).", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Host is running", host.Output, StringComparison.Ordinal);
        await fixture.DeleteContainersAsync();
    }

    [Fact]
    public async Task A_worker_that_dies_is_replaced_and_the_host_serves_again_until_it_keeps_dying()
    {
        var fixture = new FixtureSettings();
        await using var host = FixtureHost.Start(fixture.Values());
        await host.WaitUntilRunningAsync();
        var echo = $"api/echo/{Guid.NewGuid()}";
        Assert.True((await host.Client.GetAsync(echo)).IsSuccessStatusCode, host.Output);

        // Killed (SIGKILL, as the OOM killer or a crash does): the host starts a new worker and serves again.
        for (var death = 1; death <= 3; death++)
        {
            var dead = host.WorkerProcessId!.Value;
            using (var worker = Process.GetProcessById(dead))
            {
                worker.Kill();
                await worker.WaitForExitAsync();
            }
            // Sent while there is no worker (the host waits 2 s before replacing it): it waits for the new one rather
            // than failing. Only invocations the dead worker had already received fail.
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            using var again = await host.Client.GetAsync(echo);
            Assert.True(again.IsSuccessStatusCode, $"{(int)again.StatusCode} after death {death}\n{host.Output}");
            Assert.Equal(death + 1, host.WorkerProcessIds.Count);
            Assert.NotEqual(dead, host.WorkerProcessId);
            Assert.False(host.HasExited);
        }
        Assert.Contains("The worker process exited unexpectedly with code 137; starting a new one (restart 3 of at most 3", host.Output, StringComparison.Ordinal);

        // A fourth death within ten minutes is a crash loop: the host stops with an error, as it does when start-up fails.
        Process.GetProcessById(host.WorkerProcessId!.Value).Kill();
        Assert.True(await host.WaitForExitAsync(ExitWait), host.Output);
        Assert.Equal(1, host.ExitCode);
        Assert.Contains("4 times within 10 minutes; stopping the host", host.Output, StringComparison.Ordinal);
        await fixture.DeleteContainersAsync();
    }

    [Theory]
    [InlineData("ctrl-c")]
    [InlineData("sigterm")]
    public async Task Ctrl_c_or_sigterm_stops_the_worker_and_the_host_cleanly(string how)
    {
        var fixture = new FixtureSettings();
        await using var host = FixtureHost.Start(fixture.Values());
        await host.WaitUntilRunningAsync();
        var workerPid = host.WorkerProcessId ?? throw new Xunit.Sdk.XunitException("No worker pid in the output:\n" + host.Output);

        if (how == "ctrl-c") host.Interrupt();
        else host.Terminate();

        // Generous: the graceful stop allows the worker 10 s, and CI runs every test project at once on two cores.
        Assert.True(await host.WaitForExitAsync(TimeSpan.FromSeconds(120)), host.Output);
        Assert.Equal(0, host.ExitCode);
        Assert.False(IsRunning(workerPid), $"Worker {workerPid} still runs after the host stopped.\n{host.Output}");
        await fixture.DeleteContainersAsync();
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
