using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Tutors;

public enum RosterSort { Name, Progress, LastActivity }

/// <summary>What a tutor sees of the courses they teach: the list, and each course's roster. Admins pass every tutor check.</summary>
public sealed class TutorViewService(CoursePlatformDbContext db, CourseResolver courses, CourseAccess access, TimeProvider time)
{
    /// <summary>The courses the caller teaches (admins: all); learners never get here (<c>[Allow(Callers.CourseStaff)]</c>).</summary>
    public async Task<IReadOnlyList<TaughtCourseDto>> CoursesAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var query = db.Courses.AsNoTracking();
        if (!caller.IsAdmin) query = query.Where(c => db.CourseTutors.Any(ct => ct.CourseId == c.Id && ct.Tutor.UserId == caller.UserId));
        return await query.OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new TaughtCourseDto(c.Id, c.Slug, c.Name, c.IsPublished,
                db.Enrollments.Count(e => e.CourseId == c.Id && e.Status == EnrollmentStatus.Active)))
            .ToListAsync(cancellationToken);
    }

    /// <summary>The course's learners (any enrolment), paged and sorted; 403 unless the caller teaches the course or is an admin.</summary>
    public async Task<PagedList<RosterEntryDto>> RosterAsync(Caller caller, string courseKey, RosterSort sort, bool descending, PageRequest page,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        await access.RequireStaffAsync(caller, course.Id, cancellationToken);
        var courseId = course.Id;
        var now = time.GetUtcNow();
        var topicsTotal = await db.Topics.CountAsync(t => t.CourseId == courseId, cancellationToken);

        var rows = db.Enrollments.AsNoTracking().Where(e => e.CourseId == courseId).Select(e => new
        {
            e.UserId, e.User.Email, e.User.FullName, e.Status, e.CohortId, CohortName = e.Cohort == null ? null : e.Cohort.Name,
            BatchNo = db.CohortMembers.Where(m => m.CohortId == e.CohortId && m.UserId == e.UserId).Select(m => (int?)m.BatchNo).FirstOrDefault(),
            Completed = db.TopicProgress.Count(p => p.UserId == e.UserId && p.Topic.CourseId == courseId && p.Status == ProgressStatus.Completed),
            Passed = db.ModuleProgress.Count(m => m.UserId == e.UserId && m.CourseId == courseId && m.PassedAt != null),
            LastProgress = db.TopicProgress.Where(p => p.UserId == e.UserId && p.Topic.CourseId == courseId).Max(p => (DateTimeOffset?)p.UpdatedAt),
            LastQuiz = db.QuizAttempts.Where(a => a.UserId == e.UserId && a.CourseId == courseId).Max(a => (DateTimeOffset?)a.SubmittedAt),
            e.EnrolledAt,
        }).Select(r => new
        {
            r.UserId, r.Email, r.FullName, r.Status, r.CohortId, r.CohortName, r.BatchNo, r.Completed, r.Passed,
            // The latest of the three; a missing one counts as the enrolment.
            LastActivity = (r.LastQuiz ?? r.EnrolledAt) > (r.LastProgress ?? r.EnrolledAt)
                ? (r.LastQuiz ?? r.EnrolledAt) > r.EnrolledAt ? r.LastQuiz ?? r.EnrolledAt : r.EnrolledAt
                : (r.LastProgress ?? r.EnrolledAt) > r.EnrolledAt ? r.LastProgress ?? r.EnrolledAt : r.EnrolledAt,
        });
        rows = (sort, descending) switch
        {
            (RosterSort.Progress, false) => rows.OrderBy(r => r.Completed).ThenBy(r => r.Email),
            (RosterSort.Progress, true) => rows.OrderByDescending(r => r.Completed).ThenBy(r => r.Email),
            (RosterSort.LastActivity, false) => rows.OrderBy(r => r.LastActivity).ThenBy(r => r.Email),
            (RosterSort.LastActivity, true) => rows.OrderByDescending(r => r.LastActivity).ThenBy(r => r.Email),
            (_, true) => rows.OrderByDescending(r => r.FullName ?? r.Email).ThenByDescending(r => r.Email),
            _ => rows.OrderBy(r => r.FullName ?? r.Email).ThenBy(r => r.Email),
        };
        var paged = await rows.ToPageAsync(page, cancellationToken);
        var userIds = paged.Items.Select(r => r.UserId).ToList();
        var cooldowns = await db.ModuleProgress.AsNoTracking()
            .Where(m => m.CourseId == courseId && userIds.Contains(m.UserId) && m.CooldownUntil > now)
            .Select(m => new { m.UserId, m.ModuleNo, Until = m.CooldownUntil!.Value })
            .ToListAsync(cancellationToken);
        return new PagedList<RosterEntryDto>(
            [.. paged.Items.Select(r => new RosterEntryDto(r.UserId, r.Email, r.FullName, r.Status, r.CohortId, r.CohortName, r.BatchNo,
                r.Completed, topicsTotal, r.Passed, r.LastActivity,
                [.. cooldowns.Where(c => c.UserId == r.UserId).OrderBy(c => c.ModuleNo).Select(c => new CooldownDto(c.ModuleNo, c.Until))]))],
            paged.Page, paged.PageSize, paged.Total);
    }
}
