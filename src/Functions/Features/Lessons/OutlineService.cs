using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Lessons;

public sealed record TopicProgressDto(ProgressStatus Status, double Progress, DateTimeOffset? CompletedAt);

public sealed record OutlineTopic(Guid Id, int TopicNumber, string Name, bool IsPreview, bool HasVideo, TopicProgressDto? Progress);

public sealed record OutlineModule(int ModuleNo, IReadOnlyList<OutlineTopic> Topics, ModuleState? State);

public sealed record CourseOutline(Guid Id, string Slug, string Name, IReadOnlyList<OutlineModule> Modules);

/// <summary>The course player's outline; a signed-in caller also gets their progress and the module locks.</summary>
public sealed class OutlineService(CoursePlatformDbContext db, CourseResolver courses, CourseAccess access, ModuleGatingService gating)
{
    public async Task<CourseOutline> GetAsync(string courseKey, Caller? caller, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        if (!course.IsPublished && (caller is null || !await access.IsTutorOfAsync(caller, course.Id, cancellationToken)))
            throw ProblemException.NotFound("course");

        var userId = caller?.UserId;
        var topics = await db.Topics.AsNoTracking()
            .Where(t => t.CourseId == course.Id)
            .OrderBy(t => t.ModuleNo).ThenBy(t => t.TopicNumber)
            .Select(t => new
            {
                t.ModuleNo,
                Topic = new OutlineTopic(t.Id, t.TopicNumber, t.Name, t.IsPreview, t.VideoUrl != null,
                    db.TopicProgress.Where(p => p.TopicId == t.Id && p.UserId == userId)
                        .Select(p => new TopicProgressDto(p.Status, p.Progress, p.CompletedAt)).FirstOrDefault()),
            })
            .ToListAsync(cancellationToken);
        var states = caller is null ? [] : await gating.EvaluateAsync(caller.UserId, course.Id, cancellationToken);

        var modules = topics.GroupBy(t => t.ModuleNo)
            .Select(g => new OutlineModule(g.Key, g.Select(t => t.Topic).ToList(), states.FirstOrDefault(s => s.ModuleNo == g.Key)))
            .ToList();
        return new CourseOutline(course.Id, course.Slug, course.Name, modules);
    }
}
