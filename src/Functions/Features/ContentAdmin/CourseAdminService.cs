using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>
/// Courses as admins create, change and delete them. The catalog reads the same rows, so a change (unpublishing
/// above all) shows at once, and its body-hashed ETags change with it.
/// </summary>
public sealed class CourseAdminService(CoursePlatformDbContext db, CourseResolver courses, ContentChangeEffects content, AuditScope audit, TimeProvider time)
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

    /// <param name="ifMatch">The client's <c>If-Match</c>: the change applies only to the course as it read it (else 412).</param>
    public async Task<CourseAdminDto> UpdateAsync(string courseKey, CourseRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        var id = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM courses WHERE id = {id} FOR UPDATE", cancellationToken);
        var before = await GetAsync(id, cancellationToken);
        ETags.RequireMatch(ifMatch, before);
        var course = await db.Courses.SingleAsync(c => c.Id == id, cancellationToken);
        course.Slug = request.Slug!;
        course.Name = request.Name!;
        Apply(course, request, time.GetUtcNow());
        await SaveAsync(course.Slug, cancellationToken);
        var after = await GetAsync(id, cancellationToken);
        audit.Changed("course", id, before, after);
        await transaction.CommitAsync(cancellationToken);
        return after;
    }

    /// <summary>
    /// Deletes a course nobody is enrolled in: refused (409, saying how many) while enrolments reference it; unpublishing
    /// hides it instead. Cart lines do not hold it (a learner could otherwise block it for ever): they go with it. The
    /// database's restricting key backs the check against a race. The course's uploads go from storage after the commit.
    /// </summary>
    public async Task DeleteAsync(string courseKey, CancellationToken cancellationToken)
    {
        var id = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        var before = await GetAsync(id, cancellationToken);
        var enrollments = await db.Enrollments.CountAsync(e => e.CourseId == id, cancellationToken);
        if (enrollments > 0) throw Held(enrollments);
        try
        {
            await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
            await db.CartLines.Where(l => l.CourseId == id).ExecuteDeleteAsync(cancellationToken);
            await db.Courses.Where(c => c.Id == id).ExecuteDeleteAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw Held(null);
        }
        audit.Changed("course", id, before, null);
        // Its chunks went with it (cascade); its files go once the deletion and its audit row committed.
        await content.DeleteUploadsAsync($"{id}/", cancellationToken);
    }

    private static ProblemException Held(int? enrollments) => ProblemException.Conflict(enrollments is null
        ? "A learner enrolled in this course just now; unpublish it instead of deleting it."
        : $"{enrollments} enrolment(s) reference this course; unpublish it to hide it from the catalog instead.");

    /// <summary>The course as admins see it, published or not (the <c>Location</c> of its creation).</summary>
    public async Task<CourseAdminDto> GetAsync(string courseKey, CancellationToken cancellationToken) =>
        await GetAsync((await courses.ResolveAsync(courseKey, cancellationToken)).Id, cancellationToken);

    public Task<CourseAdminDto> GetAsync(Guid id, CancellationToken cancellationToken) =>
        db.Courses.AsNoTracking().Where(c => c.Id == id)
            .Select(c => new CourseAdminDto(c.Id, c.Slug, c.Name, c.Description, c.ThumbnailUrl, c.Price, c.Currency, c.EnrollmentMode,
                c.IsPublished, c.ModuleCount, c.Topics.Count, c.CreatedAt, c.UpdatedAt))
            .SingleAsync(cancellationToken);

    private static void Apply(Course course, CourseRequest request, DateTimeOffset now)
    {
        var price = request.Price ?? 0;
        var currency = request.Currency ?? "USD";
        // Checkout charges whole minor units: a finer price would be rounded per line and no longer match the order's total.
        if (!Money.IsExact(price, currency))
            throw ProblemException.Validation("price", Money.PriceDecimals(currency) switch
            {
                0 => $"{currency} has no minor units: give a whole number.",
                var n => $"At most {n} decimals in {currency}.",
            });
        // The description is markdown a catalog page renders: the lesson content rules apply (no raw HTML, http(s) links).
        var errors = new Dictionary<string, string[]>();
        ContentRules.ValidateMarkdown(request.Description, "description", errors);
        if (request.ThumbnailUrl is { Length: > 0 } thumbnail && !ContentRules.IsSafeUrl(thumbnail)) errors["thumbnailUrl"] = ["Must be an absolute http or https URL."];
        if (errors.Count > 0) throw ProblemException.Validation(errors);
        course.Description = string.IsNullOrWhiteSpace(request.Description) ? null : request.Description.Trim();
        course.Price = price;
        course.Currency = currency;
        course.EnrollmentMode = request.EnrollmentMode ?? EnrollmentMode.Open;
        course.IsPublished = request.IsPublished ?? false;
        course.ThumbnailUrl = request.ThumbnailUrl;
        course.Name = course.Name.Trim();
        course.UpdatedAt = now;
    }

    private Task SaveAsync(string slug, CancellationToken cancellationToken) =>
        db.SaveChangesOrConflictAsync(() => ProblemException.Conflict($"Another course already has the slug '{slug}'."), cancellationToken);
}
