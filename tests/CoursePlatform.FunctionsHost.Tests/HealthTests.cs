using System.Net;
using System.Text.Json;
using CoursePlatform.FunctionsHost.Tests.Infrastructure;
using CoursePlatform.Testing;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>The real CoursePlatform.Functions build served by the local host.</summary>
public sealed class HealthTests : IAsyncLifetime
{
    private HostProcess host = null!;

    public async Task InitializeAsync()
    {
        // Every setting the app reads, from the sample (it validates them at start), pointed at the test services.
        var settings = HostedApp.SampleSettings();
        settings["AzureWebJobsStorage"] = Services.Azurite;
        settings["Database__ConnectionString"] = Services.Postgres;
        host = HostProcess.Start(Paths.FunctionsApp, settings);
        await host.WaitUntilRunningAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task Health_answers_200_with_database_and_storage_up()
    {
        // The first call also warms up the app (EF model, connection pool) against the check's own 5 s deadline.
        HttpResponseMessage response = null!;
        var body = "";
        var healthy = await Eventually.HoldsAsync(async () =>
        {
            response?.Dispose();
            response = await host.Client.GetAsync("api/health");
            body = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60));
        using var _ = response;

        Assert.True(healthy, $"{(int)response.StatusCode}: {body}\n{host.Output}");
        using var json = JsonDocument.Parse(body);
        Assert.Equal("up", json.RootElement.GetProperty("database").GetString());
        Assert.Equal("up", json.RootElement.GetProperty("storage").GetString());
        Assert.Equal("healthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_route_is_404()
    {
        using var response = await host.Client.GetAsync("api/no-such-route");
        Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{(int)response.StatusCode}\n{host.Output}");
    }

    [Fact]
    public async Task Wrong_method_on_a_known_route_is_405()
    {
        using var response = await host.Client.PostAsync("api/health", new StringContent("{}"));
        Assert.True(response.StatusCode == HttpStatusCode.MethodNotAllowed, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{host.Output}");
    }
}
