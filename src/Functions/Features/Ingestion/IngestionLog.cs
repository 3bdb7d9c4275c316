using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Ingestion;

public sealed record IngestionLogEntry(
    Guid Id, string Source, Guid? TopicId, string ETag, IngestionStatus Status, long? ContentLength, int? ChunkCount,
    string? EmbeddingModel, string? Error, int Attempts, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int? DurationMs);

/// <summary>The ingestion log of a course, newest first.</summary>
public sealed class IngestionLog(CoursePlatformDbContext db)
{
    public Task<PagedList<IngestionLogEntry>> ListAsync(Guid courseId, PageRequest page, CancellationToken cancellationToken) =>
        db.ContentIngestions.AsNoTracking()
            .Where(x => x.CourseId == courseId)
            .OrderByDescending(x => x.QueuedAt).ThenByDescending(x => x.Id)
            .Select(x => new IngestionLogEntry(x.Id, x.Source, x.TopicId, x.ETag, x.Status, x.ContentLength, x.ChunkCount,
                x.EmbeddingModel, x.Error, x.Attempts, x.QueuedAt, x.StartedAt, x.FinishedAt, x.DurationMs))
            .ToPageAsync(page, cancellationToken);
}
