using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Infrastructure.Auth;

/// <summary>Who may see or staff a course. Admins pass every tutor check.</summary>
public sealed class CourseAccess(CoursePlatformDbContext db)
{
    public async Task<bool> IsTutorOfAsync(Caller caller, Guid courseId, CancellationToken cancellationToken) =>
        caller.IsAdmin
        || (caller.Role == UserRole.Tutor && await db.CourseTutors.AnyAsync(
            ct => ct.CourseId == courseId && ct.Tutor.UserId == caller.UserId, cancellationToken));

    public Task<bool> IsEnrolledAsync(Guid userId, Guid courseId, CancellationToken cancellationToken) =>
        db.Enrollments.AnyAsync(e => e.UserId == userId && e.CourseId == courseId && e.Status == EnrollmentStatus.Active, cancellationToken);

    /// <summary>401 when anonymous, 403 unless the caller teaches the course or is an admin.</summary>
    public async Task<Caller> RequireTutorOfAsync(Caller? caller, Guid courseId, CancellationToken cancellationToken)
    {
        if (caller is null) throw ProblemException.Unauthorized();
        return await IsTutorOfAsync(caller, courseId, cancellationToken)
            ? caller
            : throw ProblemException.Forbidden("Only the course's tutors and admins may do this.");
    }

    /// <summary>401 when anonymous, 403 unless the caller is enrolled, teaches the course or is an admin.</summary>
    public async Task<Caller> RequireMemberAsync(Caller? caller, Guid courseId, CancellationToken cancellationToken)
    {
        if (caller is null) throw ProblemException.Unauthorized();
        return await IsEnrolledAsync(caller.UserId, courseId, cancellationToken) || await IsTutorOfAsync(caller, courseId, cancellationToken)
            ? caller
            : throw ProblemException.Forbidden("Enrol in the course to use this.");
    }
}
