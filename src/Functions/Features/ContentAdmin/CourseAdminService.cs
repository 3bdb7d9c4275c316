using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>
/// Courses as admins create, change and delete them. The catalog reads the same rows, so a change (unpublishing
/// above all) shows at once, and its body-hashed ETags change with it.
/// </summary>
public sealed class CourseAdminService(CoursePlatformDbContext db, CourseResolver courses, AuditScope audit, TimeProvider time)
{
    public async Task<CourseAdminDto> CreateAsync(CourseRequest request, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var course = new Course { Id = Guid.CreateVersion7(), Slug = request.Slug!, Name = request.Name!, CreatedAt = now };
        Apply(course, request, now);
        db.Courses.Add(course);
        await SaveAsync(course.Slug, cancellationToken);
        var created = await GetAsync(course.Id, cancellationToken);
        audit.Changed("course", course.Id, null, created);
        return created;
    }

    /// <summary>The course as a request, for a merge patch to apply to.</summary>
    public async Task<CourseRequest> CurrentAsync(string courseKey, CancellationToken cancellationToken)
    {
        var id = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        return await db.Courses.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new CourseRequest(c.Slug, c.Name, c.Description, c.Price, c.Currency, c.EnrollmentMode, c.IsPublished, c.ThumbnailUrl))
            .SingleAsync(cancellationToken);
    }

    public async Task<CourseAdminDto> UpdateAsync(string courseKey, CourseRequest request, CancellationToken cancellationToken)
    {
        var id = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        var before = await GetAsync(id, cancellationToken);
        var course = await db.Courses.SingleAsync(c => c.Id == id, cancellationToken);
        course.Slug = request.Slug!;
        course.Name = request.Name!;
        Apply(course, request, time.GetUtcNow());
        await SaveAsync(course.Slug, cancellationToken);
        var after = await GetAsync(id, cancellationToken);
        audit.Changed("course", id, before, after);
        return after;
    }

    /// <summary>
    /// Deletes a course nobody holds: refused (409, saying what holds it) while enrolments or cart lines reference
    /// it; unpublishing hides it instead. The database's restricting keys back the check against a race.
    /// </summary>
    public async Task DeleteAsync(string courseKey, CancellationToken cancellationToken)
    {
        var id = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        var before = await GetAsync(id, cancellationToken);
        var holders = await db.Courses.Where(c => c.Id == id)
            .Select(c => new { Enrollments = db.Enrollments.Count(e => e.CourseId == id), CartLines = db.CartLines.Count(l => l.CourseId == id) })
            .SingleAsync(cancellationToken);
        if (holders.Enrollments > 0 || holders.CartLines > 0) throw Held(holders.Enrollments, holders.CartLines);
        try
        {
            await db.Courses.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw Held(null, null);
        }
        audit.Changed("course", id, before, null);
    }

    private static ProblemException Held(int? enrollments, int? cartLines) => ProblemException.Conflict(enrollments is null
        ? "Learners enrolled in or added this course to a cart just now; unpublish it instead of deleting it."
        : $"{enrollments} enrolment(s) and {cartLines} cart line(s) reference this course; unpublish it to hide it from the catalog instead.");

    public Task<CourseAdminDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Courses.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new CourseAdminDto(c.Id, c.Slug, c.Name, c.Description, c.ThumbnailUrl, c.Price, c.Currency, c.EnrollmentMode,
                c.IsPublished, c.ModuleCount, c.Topics.Count, c.CreatedAt, c.UpdatedAt))
            .SingleAsync(cancellationToken);

    private static void Apply(Course course, CourseRequest request, DateTimeOffset now)
    {
        var price = request.Price ?? 0;
        if (decimal.Round(price, 2) != price) throw ProblemException.Validation("price", "At most two decimals.");
        course.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        course.Price = price;
        course.Currency = request.Currency ?? "USD";
        course.EnrollmentMode = request.EnrollmentMode ?? EnrollmentMode.Open;
        course.IsPublished = request.IsPublished ?? false;
        course.ThumbnailUrl = request.ThumbnailUrl;
        course.Name = course.Name.Trim();
        course.UpdatedAt = now;
    }

    private Task SaveAsync(string slug, CancellationToken cancellationToken) =>
        db.SaveChangesOrConflictAsync(() => ProblemException.Conflict($"Another course already has the slug '{slug}'."), cancellationToken);
}
