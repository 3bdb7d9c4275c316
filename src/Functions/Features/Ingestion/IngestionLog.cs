using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoursePlatform.Functions.Features.Ingestion;

public sealed record IngestionLogEntry(
    Guid Id, string Source, Guid? TopicId, string ETag, IngestionStatus Status, long? ContentLength, int? ChunkCount,
    string? EmbeddingModel, string? Error, int Attempts, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int? DurationMs);

/// <summary>
/// The life of a <c>content_ingestions</c> row, one per source and ETag: queued and claimed as running
/// (<see cref="ClaimAsync"/>), then succeeded (in the chunk writer's transaction), failed, or queued again
/// for the trigger's retry; and the log an admin reads, newest first.
/// </summary>
public sealed class IngestionLog(
    CoursePlatformDbContext db, CourseResolver courses, IOptions<IngestionOptions> options, TimeProvider time, ILogger<IngestionLog> logger)
{
    public async Task<PagedList<IngestionLogEntry>> ListAsync(string courseKey, PageRequest page, CancellationToken cancellationToken) =>
        await ListAsync((await courses.ResolveAsync(courseKey, cancellationToken)).Id, page, cancellationToken);

    public Task<PagedList<IngestionLogEntry>> ListAsync(Guid courseId, PageRequest page, CancellationToken cancellationToken) =>
        db.ContentIngestions.AsNoTracking()
            .Where(x => x.CourseId == courseId)
            .OrderByDescending(x => x.QueuedAt).ThenByDescending(x => x.Id)
            .Select(x => new IngestionLogEntry(x.Id, x.Source, x.TopicId, x.ETag, x.Status, x.ContentLength, x.ChunkCount,
                x.EmbeddingModel, x.Error, x.Attempts, x.QueuedAt, x.StartedAt, x.FinishedAt, x.DurationMs))
            .ToPageAsync(page, cancellationToken);

    /// <summary>
    /// Logs the version as queued (once per source and ETag) and claims it as running; a running claim older
    /// than <see cref="IngestionOptions.StaleRunningMinutes"/> is taken over. Returns null when the version is
    /// finished already or another worker is on it, so the same ETag is ingested once.
    /// </summary>
    public async Task<ContentIngestion?> ClaimAsync(Guid courseId, Guid? topicId, string source, string etag, long contentLength,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO content_ingestions (id, course_id, topic_id, source, etag, status, content_length, attempts, queued_at)
            VALUES ({Guid.CreateVersion7()}, {courseId}, {topicId}, {source}, {etag}, 'queued', {contentLength}, 0, {now})
            ON CONFLICT (source, etag) DO NOTHING
            """, cancellationToken);

        var stale = now.AddMinutes(-options.Value.StaleRunningMinutes);
        var claimed = await db.ContentIngestions
            .Where(x => x.Source == source && x.ETag == etag &&
                        (x.Status == IngestionStatus.Queued || (x.Status == IngestionStatus.Running && x.StartedAt < stale)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(x => x.Status, IngestionStatus.Running)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                .SetProperty(x => x.StartedAt, now), cancellationToken);
        if (claimed == 0) return null;
        return await db.ContentIngestions.AsNoTracking().SingleAsync(x => x.Source == source && x.ETag == etag, cancellationToken);
    }

    /// <summary>Marks the claim succeeded; runs inside the transaction that wrote the chunks, so both commit together.</summary>
    public Task SucceedAsync(Guid id, int chunkCount, string embeddingModel, long started, CancellationToken cancellationToken) =>
        db.ContentIngestions.Where(x => x.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(x => x.Status, IngestionStatus.Succeeded)
            .SetProperty(x => x.ChunkCount, chunkCount)
            .SetProperty(x => x.EmbeddingModel, embeddingModel)
            .SetProperty(x => x.Error, (string?)null)
            .SetProperty(x => x.FinishedAt, time.GetUtcNow())
            .SetProperty(x => x.DurationMs, (int)time.GetElapsedTime(started).TotalMilliseconds), cancellationToken);

    /// <summary>Ends the claim as failed with its reason. Never throws: the reason is logged if the row cannot be written.</summary>
    public async Task FailAsync(Guid id, string reason, long started)
    {
        try
        {
            await db.ContentIngestions.Where(x => x.Id == id).ExecuteUpdateAsync(set => set
                .SetProperty(x => x.Status, IngestionStatus.Failed)
                .SetProperty(x => x.Error, Trim(reason, 2000))
                .SetProperty(x => x.ChunkCount, (int?)null)
                .SetProperty(x => x.FinishedAt, time.GetUtcNow())
                .SetProperty(x => x.DurationMs, (int)time.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            logger.LogError(ex, "Could not record the failed ingestion {IngestionId}", id);
        }
    }

    /// <summary>Queues the claim again for the trigger's retry. Never throws: a row left running is taken over once stale.</summary>
    public async Task RequeueAsync(Guid id, string reason)
    {
        try
        {
            await db.ContentIngestions.Where(x => x.Id == id).ExecuteUpdateAsync(set => set
                .SetProperty(x => x.Status, IngestionStatus.Queued)
                .SetProperty(x => x.Error, Trim(reason, 2000)));
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            logger.LogError(ex, "Could not requeue ingestion {IngestionId}", id);
        }
    }

    public static string Trim(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
