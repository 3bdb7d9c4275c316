using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Courses;

/// <summary>
/// The course rules, one form each: <b>staff</b> (admins, and tutors assigned to the course), <b>visible</b> (published,
/// or the caller is staff) and <b>member</b> (visible, and enrolled or staff). Who may call an endpoint at all is the
/// function's <see cref="AllowAttribute"/>; these decide per course.
/// </summary>
public sealed class CourseAccess(CoursePlatformDbContext db)
{
    public async Task<bool> IsStaffAsync(Caller caller, Guid courseId, CancellationToken cancellationToken) =>
        caller.IsAdmin
        || (caller.Role == UserRole.Tutor && await db.CourseTutors.AnyAsync(Teaches(courseId, caller.UserId), cancellationToken));

    /// <summary>The staffing rule once the assignment is known: admins always, tutors when assigned.</summary>
    public static bool IsStaff(Caller caller, bool assigned) => caller.IsAdmin || (caller.Role == UserRole.Tutor && assigned);

    /// <summary>For queries that fold the access facts into one round trip.</summary>
    public static System.Linq.Expressions.Expression<Func<Data.Model.CourseTutor, bool>> Teaches(Guid courseId, Guid userId) =>
        ct => ct.CourseId == courseId && ct.Tutor.UserId == userId;

    public static System.Linq.Expressions.Expression<Func<Data.Model.Enrollment, bool>> ActiveEnrollment(Guid courseId, Guid userId) =>
        e => e.UserId == userId && e.CourseId == courseId && e.Status == EnrollmentStatus.Active;

    public Task<bool> IsEnrolledAsync(Guid userId, Guid courseId, CancellationToken cancellationToken) =>
        db.Enrollments.AnyAsync(ActiveEnrollment(courseId, userId), cancellationToken);

    /// <summary>403 unless the caller teaches the course or is an admin.</summary>
    public async Task<Caller> RequireStaffAsync(Caller caller, Guid courseId, CancellationToken cancellationToken) =>
        await IsStaffAsync(caller, courseId, cancellationToken)
            ? caller
            : throw ProblemException.Forbidden("Only the course's tutors and admins may do this.");

    /// <summary>404 (the <paramref name="what"/> does not exist) for an unpublished course unless the caller is staff.</summary>
    public async Task RequireVisibleAsync(Caller? caller, Guid courseId, bool isPublished, string what, CancellationToken cancellationToken)
    {
        if (!isPublished && (caller is null || !await IsStaffAsync(caller, courseId, cancellationToken))) throw ProblemException.NotFound(what);
    }

    /// <summary>
    /// The member rule for a course that may be unpublished: 404 (the <paramref name="what"/> does
    /// not exist) for an unpublished course unless the caller is staff; 403 unless enrolled or staff. Returns whether
    /// the caller is staff (the course's tutor or an admin), which features such as module gating need too.
    /// </summary>
    public async Task<bool> RequireMemberAsync(Caller caller, Guid courseId, bool isPublished, string what, CancellationToken cancellationToken)
    {
        var isStaff = await IsStaffAsync(caller, courseId, cancellationToken);
        if (!isPublished && !isStaff) throw ProblemException.NotFound(what);
        return isStaff || await IsEnrolledAsync(caller.UserId, courseId, cancellationToken)
            ? isStaff
            : throw ProblemException.Forbidden("Enrol in the course to use this.", ProblemCodes.NotEnrolled);
    }
}
