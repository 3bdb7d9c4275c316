using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Infrastructure.Courses;

public sealed record ResolvedCourse(
    Guid Id, string Slug, string Name, bool IsPublished, EnrollmentMode EnrollmentMode,
    decimal Price, string Currency, int ModuleCount);

/// <summary>
/// The one place a <c>{course}</c> route value (UUID or slug) becomes a course. Everything downstream,
/// the knowledge store above all, keys by the UUID it returns.
/// </summary>
public sealed class CourseResolver(CoursePlatformDbContext db)
{
    public async Task<ResolvedCourse> ResolveAsync(string? key, CancellationToken cancellationToken)
    {
        var courses = db.Courses.AsNoTracking();
        var slug = (key ?? "").Trim().ToLowerInvariant();
        courses = Guid.TryParse(key, out var id) ? courses.Where(c => c.Id == id) : courses.Where(c => c.Slug == slug);
        return await courses
            .Select(c => new ResolvedCourse(c.Id, c.Slug, c.Name, c.IsPublished, c.EnrollmentMode, c.Price, c.Currency, c.ModuleCount))
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("course");
    }
}
