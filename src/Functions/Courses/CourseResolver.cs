using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Courses;

public sealed record ResolvedCourse(
    Guid Id, string Slug, string Name, bool IsPublished, EnrollmentMode EnrollmentMode,
    decimal Price, string Currency, int ModuleCount);

/// <summary>
/// The one place a <c>{course}</c> route value (UUID or slug) becomes a course. Everything downstream,
/// the knowledge store above all, keys by the UUID it returns.
/// </summary>
public sealed class CourseResolver(CoursePlatformDbContext db)
{
    public Task<ResolvedCourse> ResolveAsync(string? key, CancellationToken cancellationToken) =>
        ResolveAsync(key, ProblemException.NotFound("course"), cancellationToken);

    /// <summary>
    /// Like <see cref="ResolveAsync(string?, CancellationToken)"/>, answering <paramref name="whenMissing"/> for an unknown
    /// course: a route about the caller's own rows says "not in your cart" alike for an unknown and an unpublished course.
    /// </summary>
    public async Task<ResolvedCourse> ResolveAsync(string? key, ProblemException whenMissing, CancellationToken cancellationToken)
    {
        var courses = db.Courses.AsNoTracking();
        var (id, slug) = ParseKey(key);
        courses = id is { } byId ? courses.Where(c => c.Id == byId) : courses.Where(c => c.Slug == slug);
        return await Project(courses).SingleOrDefaultAsync(cancellationToken) ?? throw whenMissing;
    }

    /// <summary>
    /// How a route value names a course: a UUID is the id (and only the id), anything else a slug, trimmed and
    /// lower-cased. Exactly one of the two is set. For queries that resolve the course in their own round trip.
    /// </summary>
    public static (Guid? Id, string? Slug) ParseKey(string? key) =>
        Guid.TryParse(key, out var id) ? (id, null) : (null, (key ?? "").Trim().ToLowerInvariant());

    /// <summary>Like <see cref="ResolveAsync(string?, CancellationToken)"/>, for learner-facing writes: an unpublished course is 404 too.</summary>
    public async Task<ResolvedCourse> ResolvePublishedAsync(string? key, CancellationToken cancellationToken)
    {
        var course = await ResolveAsync(key, cancellationToken);
        return course.IsPublished ? course : throw ProblemException.NotFound("course");
    }

    /// <summary>Courses by id in one query (those that exist), e.g. the lines of a cart.</summary>
    public async Task<IReadOnlyDictionary<Guid, ResolvedCourse>> ResolveAsync(IReadOnlyCollection<Guid> ids, CancellationToken cancellationToken) =>
        await Project(db.Courses.AsNoTracking().Where(c => ids.Contains(c.Id))).ToDictionaryAsync(c => c.Id, cancellationToken);

    private static IQueryable<ResolvedCourse> Project(IQueryable<Data.Model.Course> courses) =>
        courses.Select(c => new ResolvedCourse(c.Id, c.Slug, c.Name, c.IsPublished, c.EnrollmentMode, c.Price, c.Currency, c.ModuleCount));
}
