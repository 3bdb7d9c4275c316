using System.Net;
using CoursePlatform.FunctionsHost.Tests.Infrastructure;
using CoursePlatform.Testing;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>Timer triggers: a per-second schedule taken from settings (%FixtureSchedule%), and the admin endpoint.</summary>
public sealed class TimerTriggerTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly FixtureSettings fixture = new();
    private HostProcess host = null!;

    public async Task InitializeAsync()
    {
        host = FixtureHost.Start(fixture.Values(schedule: "*/1 * * * * *"));
        await host.WaitUntilRunningAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await fixture.DeleteContainersAsync();
    }

    [Fact]
    public async Task Timer_fires_on_its_per_second_schedule_from_settings()
    {
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.MarkersAsync("timer/ScheduledTick")).Count >= 3, Wait), host.Output);
        Assert.Contains("ScheduledTick: timerTrigger (*/1 * * * * *)", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Admin_endpoint_runs_a_timer_function_now()
    {
        Assert.Empty(await fixture.MarkersAsync("timer/ManualTick"));

        using var response = await host.AdminClient.PostAsync("admin/functions/ManualTick", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.MarkersAsync("timer/ManualTick")).Count >= 1, Wait), host.Output);
        Assert.Equal(["on-time"], await fixture.MarkersAsync("timer/ManualTick"));
    }

    [Fact]
    public async Task Admin_endpoints_need_the_master_key_as_in_azure()
    {
        // Before: the local host answered /admin/* to anyone (Azure's AdminAuthLevel policy wants the master key).
        using var anonymous = await host.Client.GetAsync("admin/host/status");
        using var run = await host.Client.PostAsync("admin/functions/ManualTick", new StringContent("{}"));
        using var status = await host.Client.GetAsync("admin/functions/ManualTick/status");
        using var wrong = await host.Client.GetAsync("admin/host/status?code=not-the-key");
        using var functionKey = await host.Client.GetAsync("admin/host/status?code=fixture-function-key");
        Assert.All(new[] { anonymous, run, status, wrong, functionKey }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));

        using var query = await host.Client.GetAsync($"admin/host/status?code={Uri.EscapeDataString(host.MasterKey)}");
        using var header = await host.AdminClient.GetAsync("admin/functions/ManualTick/status");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK), (query.StatusCode, header.StatusCode));
    }

    [Fact]
    public async Task Admin_endpoint_answers_404_for_an_unknown_function()
    {
        using var response = await host.AdminClient.PostAsync("admin/functions/NoSuchFunction", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
