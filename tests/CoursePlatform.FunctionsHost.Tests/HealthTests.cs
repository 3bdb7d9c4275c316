using System.Net;
using System.Text.Json;
using CoursePlatform.FunctionsHost.Tests.Infrastructure;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>The real CoursePlatform.Functions build served by the local host.</summary>
public sealed class HealthTests : IAsyncLifetime
{
    private HostProcess host = null!;

    public async Task InitializeAsync()
    {
        // Every setting the app reads, from the sample (it validates them at start), pointed at the test services.
        var settings = SampleSettings();
        settings["AzureWebJobsStorage"] = Services.Azurite;
        settings["Database__ConnectionString"] = Services.Postgres;
        host = HostProcess.Start(Paths.FunctionsApp, settings);
        await host.WaitUntilRunningAsync();
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    private static Dictionary<string, string> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }

    [Fact]
    public async Task Health_answers_200_with_database_and_storage_up()
    {
        using var response = await host.Client.GetAsync("api/health");
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}\n{host.Output}");
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
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Wrong_method_on_a_known_route_is_405()
    {
        using var response = await host.Client.PostAsync("api/health", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
