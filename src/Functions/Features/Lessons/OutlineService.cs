using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Lessons;

public sealed record TopicProgressDto(ProgressStatus Status, double Progress, DateTimeOffset? CompletedAt);

public sealed record OutlineTopic(Guid Id, int TopicNumber, string Name, bool IsPreview, bool HasVideo, TopicProgressDto? Progress);

public sealed record OutlineModule(int ModuleNo, IReadOnlyList<OutlineTopic> Topics, ModuleState? State);

public sealed record CourseOutline(Guid Id, string Slug, string Name, IReadOnlyList<OutlineModule> Modules);

/// <summary>
/// The course player's outline; a signed-in caller also gets their progress and the module locks. One round trip:
/// a row per topic carrying the course, the caller's progress on the topic, the caller's row of its module and the
/// module's topic pairs that have a gradable question.
/// </summary>
public sealed class OutlineService(CoursePlatformDbContext db, TimeProvider time)
{
    public async Task<CourseOutline> GetAsync(string courseKey, Caller? caller, CancellationToken cancellationToken)
    {
        // The course as CourseResolver finds it, the staffing test of CourseAccess.Teaches, and the gradable test of
        // TopicPairs.Gradable (two options or more, one of them correct), written in SQL. The gating facts are only
        // read for a signed-in caller.
        var (id, slug) = CourseResolver.ParseKey(courseKey);
        Guid? userId = caller?.UserId;
        var rows = await db.Database.SqlQuery<OutlineRow>($"""
            WITH course AS (
              SELECT c.id, c.slug, c.name, c.is_published,
                     EXISTS (SELECT 1 FROM course_tutors ct JOIN tutors tu ON tu.id = ct.tutor_id
                             WHERE ct.course_id = c.id AND tu.user_id = {userId}) AS teaches
              FROM courses c WHERE c.id = {id} OR c.slug = {slug}),
            gradable AS (
              SELECT g.module_no, array_agg(DISTINCT g.topic_pair_index) AS pairs FROM (
                SELECT q.module_no, q.topic_pair_index FROM quiz_questions q JOIN quiz_options o ON o.question_id = q.id
                WHERE q.course_id = (SELECT id FROM course) AND {userId}::uuid IS NOT NULL
                GROUP BY q.id HAVING count(*) >= 2 AND bool_or(o.is_correct)) g
              GROUP BY g.module_no)
            SELECT c.id AS course_id, c.slug, c.name AS course_name, c.is_published, c.teaches,
                   t.id AS topic_id, t.module_no, t.topic_number, t.name AS topic_name, t.is_preview, t.video_url IS NOT NULL AS has_video,
                   p.status AS progress_status, p.progress, p.completed_at,
                   mp.passed_at, mp.cooldown_until, g.pairs AS gradable_pairs
            FROM course c
            LEFT JOIN topics t ON t.course_id = c.id
            LEFT JOIN topic_progress p ON p.topic_id = t.id AND p.user_id = {userId}
            LEFT JOIN module_progress mp ON mp.course_id = c.id AND mp.module_no = t.module_no AND mp.user_id = {userId}
            LEFT JOIN gradable g ON g.module_no = t.module_no
            ORDER BY t.module_no, t.topic_number
            """).ToListAsync(cancellationToken);
        if (rows.Count == 0) throw ProblemException.NotFound("course");
        var course = rows[0];
        if (!course.IsPublished && (caller is null || !CourseAccess.IsStaff(caller, course.Teaches)))
            throw ProblemException.NotFound("course");

        var now = time.GetUtcNow();
        var modules = rows.Where(r => r.TopicId is not null).GroupBy(r => r.ModuleNo!.Value)
            .Select(g =>
            {
                var first = g.First();
                var facts = ModuleFacts.Of(g.Key, g.Count(), first.GradablePairs ?? [], first.PassedAt, first.CooldownUntil);
                return new
                {
                    Facts = facts,
                    Topics = g.Select(t => new OutlineTopic(t.TopicId!.Value, t.TopicNumber!.Value, t.TopicName!, t.IsPreview!.Value, t.HasVideo!.Value,
                        t.ProgressStatus is { } status ? new TopicProgressDto(status, t.Progress!.Value, t.CompletedAt) : null)).ToList(),
                };
            })
            .ToList();
        var states = caller is null ? [] : ModuleGating.Evaluate([.. modules.Select(m => m.Facts)], now);
        return new CourseOutline(course.CourseId, course.Slug, course.CourseName,
            [.. modules.Select(m => new OutlineModule(m.Facts.ModuleNo, m.Topics, states.FirstOrDefault(s => s.ModuleNo == m.Facts.ModuleNo)))]);
    }

    private sealed record OutlineRow(
        Guid CourseId, string Slug, string CourseName, bool IsPublished, bool Teaches,
        Guid? TopicId, int? ModuleNo, int? TopicNumber, string? TopicName, bool? IsPreview, bool? HasVideo,
        ProgressStatus? ProgressStatus, double? Progress, DateTimeOffset? CompletedAt,
        DateTimeOffset? PassedAt, DateTimeOffset? CooldownUntil, int[]? GradablePairs);
}
