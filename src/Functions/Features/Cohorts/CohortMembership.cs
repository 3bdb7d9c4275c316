using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Cohorts;

/// <summary>An allowlist row of one of the course's cohorts that names the user.</summary>
public sealed record CohortMatch(Guid CohortId, string CohortName, int BatchNo, bool IsActive);

/// <summary>
/// A user's allowlist rows for a course: by user id, or by email case-insensitively when the row is not
/// yet linked to anyone (a row linked to another account never admits a second one); and the link itself.
/// </summary>
public sealed class CohortMembership(CoursePlatformDbContext db)
{
    /// <summary>
    /// The matching rows, best first: active cohorts before inactive, <paramref name="preferCohortId"/>
    /// first among those, rows linked by user id before email matches, then the oldest cohort.
    /// </summary>
    public async Task<IReadOnlyList<CohortMatch>> FindAsync(Guid userId, Guid courseId, Guid? preferCohortId, CancellationToken cancellationToken)
    {
        var email = EmailOf(userId);
        return await db.CohortMembers.AsNoTracking()
            .Where(m => m.Cohort.CourseId == courseId
                && (m.UserId == userId || (m.UserId == null && email.Contains(m.Email))))
            .OrderByDescending(m => m.Cohort.IsActive)
            .ThenByDescending(m => m.CohortId == preferCohortId)
            .ThenByDescending(m => m.UserId == userId)
            .ThenBy(m => m.Cohort.CreatedAt).ThenBy(m => m.CohortId)
            .Select(m => new CohortMatch(m.CohortId, m.Cohort.Name, m.BatchNo, m.Cohort.IsActive))
            .Take(10)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Links the user onto their email-matched row of <paramref name="cohortId"/>, unless a row of that cohort is
    /// already linked to them or somebody claimed this one meanwhile. Runs in the caller's transaction.
    /// </summary>
    public Task LinkByEmailAsync(Guid userId, Guid cohortId, CancellationToken cancellationToken)
    {
        var email = EmailOf(userId);
        return db.CohortMembers
            .Where(m => m.CohortId == cohortId && m.UserId == null && email.Contains(m.Email)
                && !db.CohortMembers.Any(o => o.CohortId == cohortId && o.UserId == userId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.UserId, userId), cancellationToken);
    }

    private IQueryable<string> EmailOf(Guid userId) => db.Users.Where(u => u.Id == userId).Select(u => u.Email.Trim().ToLower());
}
