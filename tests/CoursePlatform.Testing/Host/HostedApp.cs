using System.Text.Json;
using Xunit;

namespace CoursePlatform.Testing;

/// <summary>
/// A test database plus the real app served on it by the local Functions host (tools/FunctionsHost), with
/// the sample settings and a known signing key, once per test class: routing, middleware, binding and
/// problem+json exactly as a client sees them.
/// </summary>
public class HostedApp : IAsyncLifetime
{
    public const string SigningKey = "aG9zdGVkLWFwcC10ZXN0cy1vbmx5LXNpZ25pbmcta2V5LW9mLTMyLWJ5dGVz";

    public DatabaseFixture Database { get; } = new();

    public HostProcess Host { get; private set; } = null!;

    private readonly string hostId = LocalServices.NewHostId("hosted");

    /// <summary>A client whose base address is the app's route prefix (<c>http://127.0.0.1:port/api/</c>); it does not follow redirects.</summary>
    public HttpClient Api { get; private set; } = null!;

    /// <summary>Settings on top of the sample's and the database's; override to add more.</summary>
    protected virtual IDictionary<string, string> Settings() => new Dictionary<string, string>();

    /// <summary>The settings file's <c>Host</c> section (CORS, ...); none by default.</summary>
    protected virtual object? HostSection() => null;

    /// <summary>The host's port; a free one by default. Fix it when a setting must name the app's own URL (a sign-in callback).</summary>
    protected virtual int? Port => null;

    /// <summary>The worker's folder: the build output, or a publish folder.</summary>
    protected virtual string AppDirectory => Paths.FunctionsApp;

    /// <summary>Connect the app as a role with the production app role's rights only (DML, no DDL); on in DML-only mode.</summary>
    protected virtual bool DmlOnly => DatabaseFixture.DmlOnlyMode;

    public virtual async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        await LocalServices.EnsureContentContainerAsync();
        if (DmlOnly) await Database.UseDmlOnlyRoleAsync();
        var settings = SampleSettings();
        settings["Database__ConnectionString"] = Database.AppConnectionString;
        settings["AzureWebJobsStorage"] = LocalServices.AzuriteConnectionString;
        settings["Auth__SigningKey"] = SigningKey;
        settings["AzureFunctionsJobHost__id"] = hostId;
        foreach (var (key, value) in Settings()) settings[key] = value;
        Host = HostProcess.Start(AppDirectory, settings, Port, hostSection: HostSection());
        await Host.WaitUntilRunningAsync();
        // Redirects are answers too (the sign-in callback's 302 to the frontend): the client shows them, never follows.
        Api = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(Host.Client.BaseAddress!, "api/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>
    /// Waits for <c>GET /health</c> to answer 200: a freshly started host's first storage probe can outlast its 5 s
    /// deadline on a loaded machine. For tests that check a healthy answer; the 503 shape is checked on its own.
    /// </summary>
    public async Task WaitUntilHealthyAsync()
    {
        var healthy = await Eventually.HoldsAsync(async () =>
        {
            using var health = await Api.GetAsync("health");
            return health.StatusCode == System.Net.HttpStatusCode.OK;
        }, TimeSpan.FromSeconds(60));
        Assert.True(healthy, "GET /health never answered 200:\n" + Host.Output);
    }

    public virtual async Task DisposeAsync()
    {
        Api?.Dispose();
        if (Host is not null) await Host.DisposeAsync();
        await LocalServices.DeleteBlobReceiptsAsync(hostId);
        await Database.DisposeAsync();
    }

    /// <summary>Every setting the app reads, from local.settings.sample.json (the app validates them at start).</summary>
    public static Dictionary<string, string> SampleSettings()
    {
        using var sample = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.RepositoryRoot, "local.settings.sample.json")));
        return sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
    }
}
