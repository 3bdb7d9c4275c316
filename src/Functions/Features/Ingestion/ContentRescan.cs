using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>What one re-scan found and did.</summary>
public sealed record RescanResult(int Blobs, int Finished, int Ingested, int Skipped, int Failed, int Ignored, int Errors);

/// <summary>
/// Ingests what no event brought: every blob in <c>course-content</c> whose current version (ETag) has no finished
/// ingestion row, i.e. blobs uploaded before the Event Grid subscription existed, or whose event was dropped after
/// Event Grid's retries. Each one goes through <see cref="IngestionService"/> and so through the same claim rules
/// as the trigger: a version that is finished, or that a live worker holds, is not ingested twice, so running the
/// re-scan again, or beside the trigger, changes nothing. Queued rows count as unfinished: their retry may have been
/// the event that was lost.
/// </summary>
public sealed class ContentRescan(IServiceScopeFactory scopes, BlobServiceClient blobs, ILogger<ContentRescan> logger)
{
    /// <param name="prefix">Only blobs under it (a course id and slash), or the whole container.</param>
    public async Task<RescanResult> RunAsync(string? prefix, CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(IngestionOptions.Container);
        int total = 0, finished = 0, ingested = 0, skipped = 0, failed = 0, ignored = 0, errors = 0;
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
        {
            total++;
            if (!ContentPath.TryParse(item.Name, out _))
            {
                ignored++;
                continue;
            }
            var etag = item.Properties.ETag?.ToString().Trim('"') ?? "";
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CoursePlatformDbContext>();
            if (await db.ContentIngestions.AnyAsync(x => x.Source == item.Name && x.ETag == etag &&
                    (x.Status == IngestionStatus.Succeeded || x.Status == IngestionStatus.Failed), cancellationToken))
            {
                finished++;
                continue;
            }

            try
            {
                var outcome = await scope.ServiceProvider.GetRequiredService<IngestionService>()
                    .IngestAsync(container.GetBlobClient(item.Name), cancellationToken);
                switch (outcome.Result)
                {
                    case IngestionResult.Succeeded: ingested++; break;
                    case IngestionResult.Skipped: skipped++; break;
                    case IngestionResult.Failed: failed++; break;
                    default: ignored++; break;
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // The attempt is logged and requeued by the ingestion service; the next re-scan takes it up again.
                errors++;
                logger.LogWarning(ex, "Re-scan could not ingest {Source}; the next re-scan retries it", item.Name);
            }
        }

        var result = new RescanResult(total, finished, ingested, skipped, failed, ignored, errors);
        logger.LogInformation(
            "Content re-scan of {Prefix}: {Blobs} blobs, {Finished} already ingested, {Ingested} ingested now, {Skipped} in progress elsewhere, {Failed} failed, {Ignored} ignored, {Errors} errors",
            string.IsNullOrEmpty(prefix) ? IngestionOptions.Container : $"{IngestionOptions.Container}/{prefix}",
            result.Blobs, result.Finished, result.Ingested, result.Skipped, result.Failed, result.Ignored, result.Errors);
        return result;
    }
}
