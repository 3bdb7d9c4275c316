using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using CoursePlatform.Functions.Features.Health;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Tests.Health;

/// <summary>The app's own service registration, resolved and run against the real services.</summary>
public class HealthServiceTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static ServiceProvider BuildApp(string? databaseConnection, string storageConnection, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = databaseConnection,
            ["AzureWebJobsStorage"] = storageConnection,
        };
        foreach (var (key, value) in more ?? new Dictionary<string, string?>()) settings[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddCoursePlatform(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
    }

    [Fact]
    public void The_content_container_is_named_once_for_the_app_the_dev_tool_and_the_test_fixtures() =>
        Assert.All(new[] { CoursePlatform.DevTool.StorageCors.ContentContainer, LocalServices.ContentContainer },
            name => Assert.Equal(IngestionOptions.Container, name));

    [Fact]
    public async Task Reports_healthy_when_the_database_and_blob_storage_answer()
    {
        await LocalServices.EnsureContentContainerAsync();
        await using var app = BuildApp(database.ConnectionString, LocalServices.AzuriteConnectionString);

        var report = await app.GetRequiredService<HealthService>().CheckAsync(CancellationToken.None);

        Assert.Equal(new HealthReport("healthy", "up", "up", HealthService.Version), report);
    }

    [Fact]
    public async Task Reports_the_database_down_when_it_cannot_be_reached()
    {
        var unreachable = $"Host=127.0.0.1;Port={LocalServices.ClosedPort};Username=postgres;Password=x;Timeout=3";
        await using var app = BuildApp(unreachable, LocalServices.AzuriteConnectionString);

        var report = await app.GetRequiredService<HealthService>().CheckAsync(CancellationToken.None);

        Assert.Equal(("unhealthy", "down", "up"), (report.Status, report.Database, report.Storage));
    }

    [Fact]
    public async Task Reports_storage_down_when_blob_storage_cannot_be_reached()
    {
        var unreachable = LocalServices.AzuriteConnectionString.Replace("127.0.0.1:10000", $"127.0.0.1:{LocalServices.ClosedPort}", StringComparison.Ordinal);
        await using var app = BuildApp(database.ConnectionString, unreachable);

        var report = await app.GetRequiredService<HealthService>().CheckAsync(CancellationToken.None);

        Assert.Equal(("unhealthy", "up", "down"), (report.Status, report.Database, report.Storage));
    }

    [Fact]
    public async Task Storage_is_up_with_rights_on_the_content_container_alone()
    {
        // What a managed identity with a data role has: the container, not the account's service properties.
        var container = new BlobServiceClient(LocalServices.AzuriteConnectionString).GetBlobContainerClient(IngestionOptions.Container);
        await container.CreateIfNotExistsAsync();
        var sas = container.GenerateSasUri(BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddMinutes(10));
        var containerOnly = $"BlobEndpoint={sas.GetLeftPart(UriPartial.Authority)}/{container.AccountName};SharedAccessSignature={sas.Query.TrimStart('?')}";
        await using var app = BuildApp(database.ConnectionString, containerOnly);
        var blobs = app.GetRequiredService<BlobServiceClient>();
        await Assert.ThrowsAsync<RequestFailedException>(() => blobs.GetPropertiesAsync()); // the old probe's call is refused

        var report = await app.GetRequiredService<HealthService>().CheckAsync(CancellationToken.None);

        Assert.Equal(("healthy", "up", "up"), (report.Status, report.Database, report.Storage));
    }

    [Fact]
    public async Task Storage_is_down_when_the_content_container_is_missing()
    {
        await using var app = BuildApp(database.ConnectionString, LocalServices.AzuriteConnectionString);
        var health = new HealthService(app.GetRequiredService<IServiceScopeFactory>(), app.GetRequiredService<BlobServiceClient>(),
            app.GetRequiredService<UnresolvedSettings>(), app.GetRequiredService<ILogger<HealthService>>(), storageContainer: "missing-" + Guid.NewGuid().ToString("N"));

        var report = await health.CheckAsync(CancellationToken.None);

        Assert.Equal(("unhealthy", "up", "down"), (report.Status, report.Database, report.Storage));
    }

    [Fact]
    public async Task A_missing_connection_string_fails_options_validation()
    {
        await using var app = BuildApp(null, LocalServices.AzuriteConnectionString);

        var error = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unresolved_key_vault_reference_is_reported_by_name_instead_of_failing_start_up()
    {
        await LocalServices.EnsureContentContainerAsync();
        const string reference = "@Microsoft.KeyVault(SecretUri=https://kv-x.vault.azure.net/secrets/auth-signing-key/)";
        await using var app = BuildApp(database.ConnectionString, LocalServices.AzuriteConnectionString,
            new Dictionary<string, string?> { ["Auth:SigningKey"] = reference });

        // Validation on start would have rejected the literal text as "not base64" and stopped the worker.
        _ = app.GetRequiredService<IOptions<AuthOptions>>().Value;
        var report = await app.GetRequiredService<HealthService>().CheckAsync(CancellationToken.None);

        Assert.Equal(("unhealthy", "up", "up"), (report.Status, report.Database, report.Storage));
        Assert.Equal("unresolved Key Vault reference: Auth__SigningKey", report.Settings);
    }

    [Fact]
    public async Task A_signing_key_that_is_not_a_reference_is_still_validated()
    {
        await using var app = BuildApp(database.ConnectionString, LocalServices.AzuriteConnectionString,
            new Dictionary<string, string?> { ["Auth:SigningKey"] = "not-base64" });

        var error = Assert.Throws<OptionsValidationException>(() => app.GetRequiredService<IOptions<AuthOptions>>().Value);
        Assert.Contains("SigningKey", error.Message, StringComparison.Ordinal);
    }
}
