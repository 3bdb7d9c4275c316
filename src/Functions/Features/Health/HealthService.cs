using System.Reflection;
using Azure.Storage.Blobs;
using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Health;

public sealed record HealthReport(string Status, string Database, string Storage, string Version)
{
    public bool IsHealthy => Status == "healthy";
}

/// <summary>Checks that the database and blob storage answer, each within a short deadline.</summary>
public sealed class HealthService(IServiceScopeFactory scopes, BlobServiceClient blobs, ILogger<HealthService> logger)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(5);

    public static string Version { get; } =
        typeof(HealthService).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    public async Task<HealthReport> CheckAsync(CancellationToken cancellationToken)
    {
        var database = CheckAsync("database", CheckDatabaseAsync, cancellationToken);
        var storage = CheckAsync("storage", async ct => await blobs.GetPropertiesAsync(ct), cancellationToken);
        var (databaseUp, storageUp) = (await database, await storage);
        return new HealthReport(
            databaseUp && storageUp ? "healthy" : "unhealthy",
            databaseUp ? "up" : "down",
            storageUp ? "up" : "down",
            Version);
    }

    private async Task CheckDatabaseAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoursePlatformDbContext>();
        await db.Database.ExecuteSqlRawAsync("SELECT 1", cancellationToken);
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
