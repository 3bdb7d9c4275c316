using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Data;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Cohorts;

/// <summary>
/// The caller's own cohort of a course and their batch's project brief. Only the caller's allowlist
/// rows are ever consulted, so nobody can read another learner's membership.
/// </summary>
public sealed class LearnerCohortService(CoursePlatformDbContext db, CourseResolver courses, CohortMembership membership)
{
    /// <summary>
    /// The cohort the caller enrolled through if they are still on its list; otherwise the caller's
    /// membership of an active cohort of the course; otherwise 404.
    /// </summary>
    public async Task<CohortMembershipDto> GetAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var (_, match) = await FindAsync(userId, courseKey, cancellationToken);
        return new CohortMembershipDto(match.CohortId, match.CohortName, match.BatchNo, match.IsActive);
    }

    public async Task<ProjectBriefDto> GetProjectAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var (_, match) = await FindAsync(userId, courseKey, cancellationToken);
        var project = await db.CohortBatchProjects.AsNoTracking()
            .Where(p => p.CohortId == match.CohortId && p.BatchNo == match.BatchNo)
            .Select(p => new { p.Payload, p.UpdatedAt })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("project brief");
        var brief = ProjectBrief.From(project.Payload);
        project.Payload.Dispose();
        // Briefs stored before the content rules are served as the rules would have stored them.
        return new ProjectBriefDto(match.CohortId, match.BatchNo, SafeMarkdown.Clean(brief.Title), SafeMarkdown.Clean(brief.Tagline),
            SafeMarkdown.Clean(brief.Description), brief.Notes is null ? null : SafeMarkdown.Clean(brief.Notes), project.UpdatedAt);
    }

    private async Task<(ResolvedCourse Course, CohortMatch Match)> FindAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        var enrolledCohort = await db.Enrollments.AsNoTracking()
            .Where(e => e.UserId == userId && e.CourseId == course.Id)
            .Select(e => e.CohortId)
            .SingleOrDefaultAsync(cancellationToken);
        var matches = await membership.FindAsync(userId, course.Id, enrolledCohort, cancellationToken);
        var match = matches.FirstOrDefault(m => m.CohortId == enrolledCohort) ?? matches.FirstOrDefault(m => m.IsActive)
            ?? throw ProblemException.NotFound("cohort membership");
        return (course, match);
    }
}
