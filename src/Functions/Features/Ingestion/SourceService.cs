using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

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
    AuditScope audit, ILogger<SourceService> logger)
{
    public async Task<IReadOnlyList<SourceDto>> ListAsync(string courseKey, CancellationToken cancellationToken)
    {
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
        var latest = (await db.ContentIngestions.AsNoTracking().Where(i => i.CourseId == courseId)
                .Select(i => new { i.Source, Dto = new SourceIngestionDto(i.Id, i.Status, i.Error, i.QueuedAt, i.FinishedAt) })
                .ToListAsync(cancellationToken))
            .GroupBy(i => i.Source).ToDictionary(g => g.Key, g => g.MaxBy(i => i.Dto.QueuedAt)!.Dto, StringComparer.Ordinal);

        return [.. stored.Keys.Union(chunks.Keys).Order(StringComparer.Ordinal).Select(source =>
        {
            var path = ContentPath.TryParse(source, out var parsed) ? parsed : null;
            stored.TryGetValue(source, out var blob);
            return new SourceDto(path?.CoursePath ?? source[prefix.Length..], path?.FileName ?? source[prefix.Length..], path?.TopicId,
                blob?.ContentLength, blob?.LastModified, chunks.GetValueOrDefault(source), latest.GetValueOrDefault(source));
        })];
    }

    /// <summary>
    /// Removes a source: its chunks and its blob in one step (the chunks' deletion commits only once the blob is
    /// gone), so search stops finding it at once. 404 when the course has no such source.
    /// </summary>
    public async Task DeleteAsync(string courseKey, string? path, CancellationToken cancellationToken)
    {
        var (courseId, source) = await ResolveAsync(courseKey, path, cancellationToken);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var chunkCount = await db.CourseChunks.Where(c => c.CourseId == courseId && c.Source == source).ExecuteDeleteAsync(cancellationToken);
        var blob = await blobs.GetBlobContainerClient(IngestionOptions.Container).GetBlobClient(source).DeleteIfExistsAsync(cancellationToken: cancellationToken);
        if (chunkCount == 0 && !blob.Value) throw ProblemException.NotFound("source");
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Deleted source {Source}: blob {BlobDeleted}, {Chunks} chunks", source, blob.Value, chunkCount);
        audit.Changed("source", courseId, new { path = source[(courseId.ToString().Length + 1)..], chunkCount, blob = blob.Value }, null);
    }

    /// <summary>
    /// Ingests the blob's current version again now, and answers with its log entry: the way back for a version that
    /// failed for good (storage or the model down through every attempt) without uploading it again, and the way to
    /// embed a source again. A version another worker is ingesting right now is left to it (its entry says running).
    /// 404 when the course has no such blob.
    /// </summary>
    public async Task<IngestionLogEntry> ReingestAsync(string courseKey, string? path, CancellationToken cancellationToken)
    {
        var (courseId, source) = await ResolveAsync(courseKey, path, cancellationToken);
        var blob = blobs.GetBlobContainerClient(IngestionOptions.Container).GetBlobClient(source);
        string etag;
        try
        {
            etag = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value.ETag.ToString().Trim('"');
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            throw ProblemException.NotFound("source");
        }

        var before = await log.FindAsync(source, etag, cancellationToken);
        await log.ReopenAsync(source, etag, cancellationToken);
        try
        {
            await ingestion.IngestAsync(blob, cancellationToken);
        }
        catch (Exception ex) when (ex is RequestFailedException or IOException or HttpRequestException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            // Storage or the model failed again: the entry says so and stays queued for another try.
            logger.LogWarning("Re-ingesting {Source} failed: {Error}", source, ex.Message);
        }
        var after = await log.FindAsync(source, etag, cancellationToken)
            ?? throw ProblemException.NotFound("source"); // the blob was replaced or deleted meanwhile
        audit.Changed("source", courseId, before is null ? null : Describe(before), Describe(after));
        return after.ForClient();

        static object Describe(IngestionLogEntry entry) => new { entry.Source, entry.ETag, entry.Status, entry.Attempts, entry.ChunkCount, entry.Error };
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
