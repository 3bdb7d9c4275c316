using System.Net;
using System.Text.Json;
using CoursePlatform.Testing;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>
/// A function in error on a running host: the fixture's AdministratorPing (route "administrator/ping", which Azure
/// reserves) is logged as the real host logs it, not served, and reported by the admin status endpoints.
/// </summary>
public sealed class FunctionErrorTests : IAsyncLifetime
{
    private const string Message = "The specified route conflicts with one or more built in routes.";
    private readonly FixtureSettings fixture = new();
    private HostProcess host = null!;

    public async Task InitializeAsync()
    {
        host = FixtureHost.Start(fixture.Values());
        await host.WaitUntilRunningAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await fixture.DeleteContainersAsync();
    }

    [Fact]
    public async Task A_function_in_error_is_logged_with_the_real_hosts_message_and_its_route_is_unknown()
    {
        using var inError = await host.Client.GetAsync("api/administrator/ping");
        using var sibling = await host.Client.GetAsync($"api/echo/{Guid.NewGuid()}");

        // ScriptHostLoggerExtension.FunctionError: event 402, error level, category Host.Startup.
        var logged = $"fail: Host.Startup[402] The 'AdministratorPing' function is in error: {Message}";
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(host.Output.Contains(logged, StringComparison.Ordinal)), TimeSpan.FromSeconds(30)), host.Output);
        Assert.Equal(HttpStatusCode.NotFound, inError.StatusCode);
        Assert.Equal(HttpStatusCode.OK, sibling.StatusCode);
    }

    [Fact]
    public async Task The_function_status_endpoint_answers_its_errors_as_the_real_host_does()
    {
        using var status = await host.AdminClient.GetAsync("admin/functions/AdministratorPing/status");
        using var otherCase = await host.AdminClient.GetAsync("admin/functions/administratorping/status");
        using var valid = await host.AdminClient.GetAsync("admin/functions/Echo/status");
        using var unknown = await host.AdminClient.GetAsync("admin/functions/NoSuchFunction/status");

        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        Assert.Equal($$"""{"errors":["{{Message}}"]}""", await status.Content.ReadAsStringAsync());
        Assert.Equal($$"""{"errors":["{{Message}}"]}""", await otherCase.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, valid.StatusCode);
        Assert.Equal("{}", await valid.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task The_host_status_lists_the_functions_in_error_apart_from_those_it_runs()
    {
        using var response = await host.AdminClient.GetAsync("admin/host/status");
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        Assert.Equal("Running", json.RootElement.GetProperty("state").GetString());
        var errors = json.RootElement.GetProperty("functionErrors");
        Assert.Equal(["AdministratorPing"], errors.EnumerateObject().Select(p => p.Name));
        Assert.Equal([Message], errors.GetProperty("AdministratorPing").EnumerateArray().Select(e => e.GetString()));
        var functions = json.RootElement.GetProperty("functions").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("Echo", functions);
        Assert.DoesNotContain("AdministratorPing", functions);
    }

    [Fact]
    public async Task The_admin_endpoint_does_not_run_a_function_in_error()
    {
        using var response = await host.AdminClient.PostAsync("admin/functions/AdministratorPing", new StringContent("{}"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Executing 'Functions.AdministratorPing'", host.Output, StringComparison.Ordinal);
    }
}
