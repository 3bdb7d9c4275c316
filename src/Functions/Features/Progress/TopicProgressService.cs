using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Progress;

/// <summary>
/// Topic progress (docs/product.md, "Progress, quizzes and module gating"): an upsert of status and a clamped
/// fraction, <c>completed_at</c> set once. Only the caller's own rows are ever read or written; the
/// course's members (active enrolment, its tutors, admins) may record progress.
/// </summary>
public sealed class TopicProgressService(CoursePlatformDbContext db, CourseResolver courses, CourseAccess access, ModuleGatingService gating, TimeProvider time)
{
    public async Task<TopicProgressState> UpdateAsync(Caller caller, Guid topicId, TopicProgressRequest request, CancellationToken cancellationToken)
    {
        RequestBody.Validate(request);
        var topic = await db.Topics.AsNoTracking().Where(t => t.Id == topicId)
            .Select(t => new { t.CourseId, t.Course.IsPublished })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("topic");
        await access.RequireMemberAsync(caller, topic.CourseId, topic.IsPublished, "topic", cancellationToken);

        var status = request.Status!.Value;
        // Completed means all of it and not started none of it, whatever fraction came along; in progress
        // takes the fraction (clamped), or keeps what is stored when none is sent.
        double? fraction = status switch
        {
            ProgressStatus.Completed => 1,
            ProgressStatus.NotStarted => 0,
            _ => request.Progress is { } p ? Math.Clamp(p, 0, 1) : null,
        };
        var now = time.GetUtcNow();
        DateTimeOffset? completedAt = status == ProgressStatus.Completed ? now : null;

        // One statement, so concurrent updates from two tabs cannot both insert or lose completed_at.
        return await db.Database.SqlQuery<TopicProgressState>($"""
            INSERT INTO topic_progress AS p (id, user_id, topic_id, status, progress, completed_at, updated_at)
            VALUES ({Guid.CreateVersion7()}, {caller.UserId}, {topicId}, CAST({Json.Label(status)} AS progress_status),
                    COALESCE({fraction}, 0), {completedAt}, {now})
            ON CONFLICT (user_id, topic_id) DO UPDATE SET
                status = EXCLUDED.status,
                progress = COALESCE({fraction}, p.progress),
                completed_at = COALESCE(p.completed_at, EXCLUDED.completed_at),
                updated_at = EXCLUDED.updated_at
            RETURNING p.topic_id, p.status, p.progress, p.completed_at, p.updated_at
            """).AsAsyncEnumerable().SingleAsync(cancellationToken);
    }

    public async Task<CourseProgress> GetCourseAsync(Caller caller, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        await access.RequireMemberAsync(caller, course.Id, course.IsPublished, "course", cancellationToken);

        var userId = caller.UserId;
        var topics = await db.Topics.AsNoTracking()
            .Where(t => t.CourseId == course.Id)
            .OrderBy(t => t.ModuleNo).ThenBy(t => t.TopicNumber)
            .Select(t => new
            {
                t.ModuleNo, t.Id, t.TopicNumber, t.Name,
                Mine = db.TopicProgress.Where(p => p.TopicId == t.Id && p.UserId == userId)
                    .Select(p => new { p.Status, p.Progress, p.CompletedAt }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var states = await gating.EvaluateAsync(userId, course.Id, cancellationToken);

        var modules = topics.GroupBy(t => t.ModuleNo).Select(g =>
        {
            var entries = g.Select(t => new TopicProgressEntry(t.Id, t.TopicNumber, t.Name,
                t.Mine?.Status ?? ProgressStatus.NotStarted, t.Mine?.Progress ?? 0, t.Mine?.CompletedAt)).ToList();
            return new ModuleProgressEntry(g.Key, states.Single(s => s.ModuleNo == g.Key),
                entries.Count(e => e.Status == ProgressStatus.Completed), entries.Count, entries);
        }).ToList();
        var completed = modules.Sum(m => m.TopicsCompleted);
        return new CourseProgress(course.Id, course.Slug, completed, topics.Count,
            topics.Count == 0 ? 0 : Math.Round(100.0 * completed / topics.Count, 1), modules);
    }
}
