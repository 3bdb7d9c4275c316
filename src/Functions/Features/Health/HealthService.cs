using System.Reflection;
using Azure.Storage.Blobs;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Health;

/// <param name="Settings"><c>resolved</c>, or the app settings that are still unresolved Key Vault references.</param>
public sealed record HealthReport(string Status, string Database, string Storage, string Version, string Settings = HealthReport.Resolved)
{
    public const string Resolved = "resolved";

    public bool IsHealthy => Status == "healthy";
}

/// <summary>
/// Checks that the database and blob storage answer, each within a short deadline. Storage is probed by listing at most
/// one blob of the app's own container: the app's identity holds a data role on the account (Storage Blob Data Owner),
/// which grants that but not the account-level "Get Blob Service Properties" (a control-plane read no data role has).
/// </summary>
public sealed class HealthService(
    IServiceScopeFactory scopes, BlobServiceClient blobs, UnresolvedSettings unresolved, ILogger<HealthService> logger,
    string storageContainer = IngestionOptions.Container)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public static string Version { get; } =
        typeof(HealthService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var database = CheckAsync("database", CheckDatabaseAsync, cancellationToken);
        var storage = CheckAsync("storage", CheckStorageAsync, cancellationToken);
        var (databaseUp, storageUp) = (await database, await storage);
        var settingsResolved = unresolved.Keys.Count == 0;
        return new HealthReport(
            databaseUp && storageUp && settingsResolved ? "healthy" : "unhealthy",
            databaseUp ? "up" : "down",
            storageUp ? "up" : "down",
            Version,
            settingsResolved ? HealthReport.Resolved : "unresolved Key Vault reference: " + string.Join(", ", unresolved.Keys));
    }

    private async Task CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoursePlatformDbContext>();
        await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
    }

    /// <summary>List Blobs with a page of one: a missing container answers 404 (ContainerNotFound), so it counts as down.</summary>
    private async Task CheckStorageAsync(CancellationToken cancellationToken)
    {
        var pages = blobs.GetBlobContainerClient(storageContainer).GetBlobsAsync(cancellationToken: cancellationToken).AsPages(pageSizeHint: 1);
        await using var page = pages.GetAsyncEnumerator(cancellationToken);
        await page.MoveNextAsync();
    }

    private async Task<bool> CheckAsync(string dependency, Func<CancellationToken, Task> probe, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(Deadline);
        try
        {
            await probe(deadline.Token);
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Health check: {Dependency} is unreachable ({Error})", dependency, ex.GetType().Name);
            return false;
        }
    }
}
