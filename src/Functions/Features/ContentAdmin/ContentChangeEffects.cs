using CoursePlatform.Data;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CoursePlatform.Functions.Features.AiTutor;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>
/// What every content change owes the rest of the app: the course's module count follows its topics, its
/// <c>updated_at</c> moves (so the course detail's ETag changes), and a changed lesson is indexed again for the tutor.
/// </summary>
public sealed class ContentChangeEffects(
    CoursePlatformDbContext db, LessonIndexer lessons, AuditScope audit, BlobServiceClient blobs, TimeProvider time, ILogger<ContentChangeEffects> logger)
{
    /// <summary>
    /// The uploads of a course (<c>{courseId}/</c>) or of one of its topics (<c>{courseId}/{topicId}/</c>) leave: their
    /// chunks now, in the change's transaction, so search stops finding them with it; their blobs once it committed
    /// (a rolled-back deletion keeps its files).
    /// </summary>
    public async Task DeleteUploadsAsync(string prefix, CancellationToken cancellationToken)
    {
        await db.CourseChunks.Where(c => c.Source.StartsWith(prefix)).ExecuteDeleteAsync(cancellationToken);
        await audit.AfterCommitAsync(async ct =>
        {
            var container = blobs.GetBlobContainerClient(IngestionOptions.Container);
            await foreach (var blob in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, ct))
                await container.DeleteBlobIfExistsAsync(blob.Name, DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct);
        }, cancellationToken);
    }

    /// <summary>
    /// Locks the topic's row for the rest of the caller's transaction: its edits (the topic's, its assets' and materials') run one at a
    /// time from the If-Match check to the write (in an admin request, to the audit's commit). The topic's course, or null
    /// when there is no such topic; read under the lock, so a topic there now stays until the commit.
    /// </summary>
    public async Task<Guid?> LockTopicAsync(Guid topicId, CancellationToken cancellationToken)
    {
        // NO KEY UPDATE: edits wait for each other (and a topic's deletion waits for them), learners' rows that reference the topic do not.
        var course = await db.Database.SqlQuery<Guid>($"""SELECT course_id AS "Value" FROM topics WHERE id = {topicId} FOR NO KEY UPDATE""")
            .ToListAsync(cancellationToken);
        return course.Count == 0 ? null : course[0];
    }

    /// <summary>The topic of the course (404 when it is not one of the course's).</summary>
    public async Task<Guid> CourseOfTopicAsync(Guid topicId, CancellationToken cancellationToken) =>
        await db.Topics.Where(t => t.Id == topicId).Select(t => (Guid?)t.CourseId).SingleOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("topic");

    public Task TouchCourseAsync(Guid courseId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlAsync($"""
            UPDATE courses SET updated_at = {time.GetUtcNow()},
                module_count = (SELECT count(DISTINCT module_no) FROM topics WHERE course_id = {courseId})
            WHERE id = {courseId}
            """, cancellationToken);

    /// <summary>
    /// Re-indexes one lesson's text for the tutor once its change is committed: an admin write runs in the audit's
    /// transaction, and the index (which takes a transaction of its own) must see the committed lesson. A failure (the
    /// embedding model unavailable) is logged, not the admin's problem: the next worker start indexes every stale lesson.
    /// </summary>
    public Task ReindexLessonAsync(Guid topicId, CancellationToken cancellationToken) =>
        audit.AfterCommitAsync(ct => IndexAsync(topicId, ct), cancellationToken);

    private async Task IndexAsync(Guid topicId, CancellationToken cancellationToken)
    {
        try
        {
            await lessons.IndexTopicAsync(topicId, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Re-indexing lesson {TopicId} for the tutor failed; the next start indexes it", topicId);
        }
    }
}
