using CoursePlatform.Data;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Tutors;

/// <summary>Which tutors staff which courses. Both operations are idempotent (admins only, checked by the functions).</summary>
public sealed class StaffingService(CoursePlatformDbContext db, CourseResolver courses, AuditScope audit, TimeProvider time)
{
    /// <summary>Assigns the tutor (a tutor profile id) to the course; <c>Created</c> is false when it already was.</summary>
    public async Task<(StaffingDto Staffing, bool Created)> AssignAsync(string courseKey, Guid tutorId, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        var tutor = await db.Tutors.AsNoTracking().Where(t => t.Id == tutorId).Select(t => new { t.Id, t.UserId })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("tutor");
        var now = time.GetUtcNow();
        // One statement: the row as it is after it, and whether this call made it (xmax = 0 for a fresh insert).
        var rows = await db.Database.SqlQuery<Assignment>($"""
            INSERT INTO course_tutors AS ct (id, course_id, tutor_id, assigned_at) VALUES ({Guid.CreateVersion7()}, {course.Id}, {tutorId}, {now})
            ON CONFLICT (course_id, tutor_id) DO UPDATE SET assigned_at = ct.assigned_at
            RETURNING ct.assigned_at, (ct.xmax = 0) AS created
            """).ToListAsync(cancellationToken);
        var staffing = new StaffingDto(course.Id, tutor.Id, tutor.UserId, rows[0].AssignedAt);
        if (rows[0].Created) audit.Changed("course_tutor", course.Id, new { tutorId, assigned = false }, new { tutorId, assigned = true, staffing.AssignedAt });
        else audit.NothingChanged();
        return (staffing, rows[0].Created);
    }

    /// <summary>The assignment (the <c>Location</c> of its creation); 404 when the tutor does not staff the course.</summary>
    public async Task<StaffingDto> GetAsync(string courseKey, Guid tutorId, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        return await db.CourseTutors.AsNoTracking().Where(ct => ct.CourseId == course.Id && ct.TutorId == tutorId)
            .Select(ct => new StaffingDto(ct.CourseId, ct.TutorId, db.Tutors.Where(t => t.Id == ct.TutorId).Select(t => t.UserId).Single(), ct.AssignedAt))
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("tutor assignment");
    }

    private sealed record Assignment(DateTimeOffset AssignedAt, bool Created);

    /// <summary>Unassigns the tutor; nothing happens when they were not assigned (404 only for an unknown course).</summary>
    public async Task UnassignAsync(string courseKey, Guid tutorId, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        var removed = await db.CourseTutors.Where(ct => ct.CourseId == course.Id && ct.TutorId == tutorId).ExecuteDeleteAsync(cancellationToken);
        if (removed > 0) audit.Changed("course_tutor", course.Id, new { tutorId, assigned = true }, new { tutorId, assigned = false });
        else audit.NothingChanged();
    }
}
