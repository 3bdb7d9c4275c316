using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Features.Ingestion;

public sealed record SourceIngestionDto(Guid Id, IngestionStatus Status, string? Error, DateTimeOffset QueuedAt, DateTimeOffset? FinishedAt);

/// <summary>
/// An uploaded source of a course: <c>Path</c> is the blob path inside the course (<c>deck.pptx</c> or
/// <c>{topicId}/deck.pptx</c>); <c>Size</c> and <c>UploadedAt</c> are null when the blob is gone but chunks remain.
/// </summary>
public sealed record SourceDto(string Path, string FileName, Guid? TopicId, long? Size, DateTimeOffset? UploadedAt, int ChunkCount, SourceIngestionDto? LastIngestion);

/// <summary>A course's uploaded decks and transcripts: the blobs, the chunks made of them and their last ingestion.</summary>
public sealed class SourceService(
    BlobServiceClient blobs, CoursePlatformDbContext db, CourseResolver courses, IngestionService ingestion, IngestionLog log,
    AuditScope audit, RateLimiter limiter, IOptions<IngestionOptions> options, TimeProvider time, ILogger<SourceService> logger)
{
    /// <summary>
    /// A page of the course's sources, by path: those stored and those whose chunks remain. Only the page's sources have
    /// their ingestion history looked up; storage is listed whole and chunks counted per source (a course's uploads).
    /// </summary>
    public async Task<PagedList<SourceDto>> ListAsync(string courseKey, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        var prefix = $"{courseId}/";
        var stored = new Dictionary<string, BlobItemProperties>(StringComparer.Ordinal);
        var container = blobs.GetBlobContainerClient(IngestionOptions.Container);
        if (await container.ExistsAsync(cancellationToken))
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
                stored[blob.Name] = blob.Properties;
        var chunks = await db.CourseChunks.Where(c => c.CourseId == courseId && c.Source.StartsWith(prefix))
            .GroupBy(c => c.Source).Select(g => new { Source = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Source, g => g.Count, cancellationToken);
        var all = stored.Keys.Union(chunks.Keys).Order(StringComparer.Ordinal).ToList();
        var sources = all.Skip(page.Skip).Take(page.PageSize).ToList();

        // Only each source's newest ingestion leaves the database: the log keeps every version and retry.
        var latest = await db.ContentIngestions.AsNoTracking().Where(i => i.CourseId == courseId && sources.Contains(i.Source))
            .GroupBy(i => i.Source)
            .Select(g => g.OrderByDescending(i => i.QueuedAt).ThenByDescending(i => i.Id)
                .Select(i => new { i.Source, Dto = new SourceIngestionDto(i.Id, i.Status, i.Error, i.QueuedAt, i.FinishedAt) }).First())
            .ToDictionaryAsync(i => i.Source, i => i.Dto, StringComparer.Ordinal, cancellationToken);

        return new PagedList<SourceDto>([.. sources.Select(source =>
        {
            var path = ContentPath.TryParse(source, out var parsed) ? parsed : null;
            stored.TryGetValue(source, out var blob);
            return new SourceDto(path?.CoursePath ?? source[prefix.Length..], path?.FileName ?? source[prefix.Length..], path?.TopicId,
                blob?.ContentLength, blob?.LastModified, chunks.GetValueOrDefault(source), latest.GetValueOrDefault(source));
        })], page.Page, page.PageSize, all.Count);
    }

    /// <summary>
    /// Removes a source: its chunks and its blob in one step (the chunks' deletion commits only once the blob is
    /// gone), so search stops finding it at once. 404 when the course has no such source.
    /// </summary>
    public async Task DeleteAsync(string courseKey, string? path, CancellationToken cancellationToken)
    {
        var (courseId, source) = await ResolveAsync(courseKey, path, cancellationToken);

        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        // A swap under way commits first and its chunks go here; one that comes after finds the blob gone.
        await ChunkWriter.LockSourceAsync(db, source, cancellationToken);
        var chunkCount = await db.CourseChunks.Where(c => c.CourseId == courseId && c.Source == source).ExecuteDeleteAsync(cancellationToken);
        var blob = await blobs.GetBlobContainerClient(IngestionOptions.Container).GetBlobClient(source).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        if (chunkCount == 0 && !blob.Value) throw ProblemException.NotFound("source");
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Deleted source {Source}: blob {BlobDeleted}, {Chunks} chunks", source, blob.Value, chunkCount);
        audit.Changed("source", courseId, new { path = source[(courseId.ToString().Length + 1)..], chunkCount, blob = blob.Value }, null);
    }

    /// <summary>
    /// Queues the blob's current version to be ingested again, and answers with its log entry at once (queued, or
    /// running when a worker is on it): the way back for a version that failed for good without uploading it again,
    /// and the way to embed a source again. Ingesting a large file takes seconds to minutes, so it never runs inside
    /// the HTTP call: <see cref="RunRequestedAsync"/> (a timer) claims the entry through the ingestion log, as the
    /// blob trigger does. One request per source per <see cref="IngestionOptions.ReingestCooldownSeconds"/> (429).
    /// 404 when the course has no such blob.
    /// </summary>
    public async Task<IngestionLogEntry> ReingestAsync(string courseKey, string? path, CancellationToken cancellationToken)
    {
        var (courseId, source) = await ResolveAsync(courseKey, path, cancellationToken);
        var blob = blobs.GetBlobContainerClient(IngestionOptions.Container).GetBlobClient(source);
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw ProblemException.NotFound("source");
        }
        var etag = properties.ETag.ToString().Trim('"');

        var cooldown = TimeSpan.FromSeconds(options.Value.ReingestCooldownSeconds);
        var decision = await limiter.HitAsync($"reingest:{source}", 1, cooldown, cancellationToken);
        if (!decision.Allowed)
            throw ProblemException.TooManyRequests(decision.RetryAfter, "This source was queued for re-ingestion a moment ago; poll its status (the Location of that answer) or try again later.");

        var topicId = ContentPath.TryParse(source, out var parsed) && parsed.TopicId is { } topic
                      && await db.Topics.AnyAsync(t => t.Id == topic && t.CourseId == courseId, cancellationToken) ? topic : (Guid?)null;
        var before = await log.FindAsync(source, etag, cancellationToken);
        await log.RequestAsync(courseId, topicId, source, etag, properties.ContentLength, cancellationToken);
        var after = await log.FindAsync(source, etag, cancellationToken) ?? throw ProblemException.NotFound("source");
        audit.Changed("source", courseId, before is null ? null : Describe(before), Describe(after));
        return after.ForClient();

        static object Describe(IngestionLogEntry entry) => new { entry.Source, entry.ETag, entry.Status, entry.Attempts, entry.ChunkCount, entry.Error };
    }

    /// <summary>One ingestion of the course (the status URL a re-ingest answers with); 404 for another course's.</summary>
    public async Task<IngestionLogEntry> GetIngestionAsync(string courseKey, Guid ingestionId, CancellationToken cancellationToken)
    {
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        return (await log.GetAsync(courseId, ingestionId, cancellationToken))?.ForClient() ?? throw ProblemException.NotFound("ingestion");
    }

    /// <summary>Most requested versions one timer run takes on (the rest wait for the next run).</summary>
    public const int RequestedPerRun = 5;

    /// <summary>
    /// Ingests the versions admins queued (<see cref="ReingestAsync"/>), claimed through the log like the blob
    /// trigger's, so a version is ingested once whoever gets to it. A version the blob no longer has (replaced or
    /// deleted since) ends failed saying so; the newer version has its own entry. Infrastructure trouble leaves the
    /// entry queued with its attempt counted and its reason, for the admin to request again.
    /// </summary>
    public async Task<int> RunRequestedAsync(CancellationToken cancellationToken)
    {
        var container = blobs.GetBlobContainerClient(IngestionOptions.Container);
        var requested = await log.RequestedAsync(RequestedPerRun, cancellationToken);
        foreach (var entry in requested)
        {
            var blob = container.GetBlobClient(entry.Source);
            string? current;
            try
            {
                current = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag.ToString().Trim('"');
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                current = null;
            }
            if (current != entry.ETag)
            {
                await log.FailAsync(entry.Id, current is null ? "The file was deleted before it was ingested again." : "A newer version of the file replaced this one before it was ingested again.", time.GetTimestamp());
                continue;
            }
            try
            {
                await ingestion.IngestAsync(blob, cancellationToken);
            }
            catch (Exception ex) when (ex is RequestFailedException or IOException or HttpRequestException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("Re-ingesting {Source} failed: {Error}", entry.Source, ex.Message);
            }
        }
        return requested.Count;
    }

    /// <summary>The course's id and the blob name of a source path as the list shows it (400 naming <c>path</c> when it is not one).</summary>
    private async Task<(Guid CourseId, string Source)> ResolveAsync(string courseKey, string? path, CancellationToken cancellationToken)
    {
        const string hint = "Give the source's path inside the course, as the source list shows it (deck.pptx or {topicId}/deck.pptx).";
        ClientPath.Require("path", path, maxSegments: 2, hint);
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        var source = $"{courseId}/{path}";
        if (!ContentPath.TryParse(source, out var parsed) || parsed.CourseId != courseId)
            throw ProblemException.Validation("path", hint);
        return (courseId, source);
    }
}
