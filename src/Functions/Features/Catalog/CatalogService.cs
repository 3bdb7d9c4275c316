using CoursePlatform.Functions.Infrastructure;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Features.Enrollments;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Catalog;

public sealed record CourseSummary(
    Guid Id, string Slug, string Name, string? Description, [property: WebUrl] string? ThumbnailUrl, decimal Price, string Currency,
    EnrollmentMode EnrollmentMode, int ModuleCount, int TopicCount);

public sealed record TopicTitle(Guid Id, int TopicNumber, string Name, bool IsPreview);

public sealed record ModuleOutline(int ModuleNo, IReadOnlyList<TopicTitle> Topics);

/// <summary><c>UpdatedAt</c> moves with every content change of the course (topics and assets included), and the ETag with it.</summary>
public sealed record CourseDetail(
    Guid Id, string Slug, string Name, string? Description, [property: WebUrl] string? ThumbnailUrl, decimal Price, string Currency,
    EnrollmentMode EnrollmentMode, int ModuleCount, bool IsPublished, IReadOnlyList<ModuleOutline> Modules,
    bool? Enrolled, EnrollmentStatus? EnrollmentStatus, bool? Eligible, string? EligibilityReason, DateTimeOffset UpdatedAt);

public sealed record PageDto(string Slug, string Title, JsonNode Content, DateTimeOffset UpdatedAt);

/// <summary>The public catalog: published courses, their outlines and the CMS pages.</summary>
public sealed class CatalogService(CoursePlatformDbContext db, CourseResolver courses, CourseAccess access, EnrollmentService enrollments)
{
    public const int MaxQueryLength = 100;

    public async Task<PagedList<CourseSummary>> ListAsync(string? search, PageRequest page, CancellationToken cancellationToken)
    {
        var query = db.Courses.AsNoTracking().Where(c => c.IsPublished);
        if (!string.IsNullOrWhiteSpace(search))
        {
            var term = search.Trim();
            if (term.Length > MaxQueryLength) throw ProblemException.Validation("q", $"At most {MaxQueryLength} characters.");
            var pattern = "%" + term.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
            query = query.Where(c => EF.Functions.ILike(c.Name, pattern, "\\"));
        }
        var listed = await query
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(c => new CourseSummary(c.Id, c.Slug, c.Name, c.Description, c.ThumbnailUrl, c.Price, c.Currency,
                c.EnrollmentMode, c.ModuleCount, c.Topics.Count))
            .ToPageAsync(page, cancellationToken);
        // Descriptions and thumbnails stored before the content rules are served as the rules would have stored them.
        return listed with { Items = [.. listed.Items.Select(c => c with { Description = SafeDescription(c.Description), ThumbnailUrl = SafeThumbnail(c.ThumbnailUrl) })] };
    }

    /// <summary>A course with its modules and topic titles; unpublished ones only for its staff.</summary>
    public async Task<CourseDetail> DetailAsync(string courseKey, Caller? caller, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        await access.RequireVisibleAsync(caller, course.Id, course.IsPublished, "course", cancellationToken);

        // One statement for the course's text and its outline.
        var detail = await db.Courses.AsNoTracking().Where(c => c.Id == course.Id)
            .Select(c => new
            {
                c.Description, c.ThumbnailUrl, c.UpdatedAt,
                Topics = c.Topics.OrderBy(t => t.ModuleNo).ThenBy(t => t.TopicNumber)
                    .Select(t => new { t.ModuleNo, Title = new TopicTitle(t.Id, t.TopicNumber, t.Name, t.IsPreview) }).ToList(),
            })
            .SingleAsync(cancellationToken);
        var modules = detail.Topics.GroupBy(t => t.ModuleNo).Select(g => new ModuleOutline(g.Key, g.Select(t => t.Title).ToList())).ToList();
        // Signed in: whether the caller is in, and whether they may get in (a paid open course counts:
        // it is bought through the cart); the reason is one of EligibilityReasons.
        var eligibility = caller is null ? null : await enrollments.EvaluateAsync(caller.UserId, course, cancellationToken);

        return new CourseDetail(course.Id, course.Slug, course.Name, SafeDescription(detail.Description), SafeThumbnail(detail.ThumbnailUrl), course.Price, course.Currency,
            course.EnrollmentMode, course.ModuleCount, course.IsPublished, modules,
            eligibility is null ? null : eligibility.EnrollmentStatus == EnrollmentStatus.Active,
            eligibility?.EnrollmentStatus,
            eligibility is null ? null : eligibility.Eligible || eligibility.Reason == EligibilityReasons.PaymentRequired,
            eligibility?.Reason,
            detail.UpdatedAt);
    }

    public async Task<PageDto> PageAsync(string slug, CancellationToken cancellationToken)
    {
        var normalized = slug.Trim().ToLowerInvariant();
        var page = await db.PageContent.AsNoTracking().Where(p => p.Slug == normalized)
            .Select(p => new { p.Slug, p.Title, p.Content, p.UpdatedAt })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("page");
        // Pages stored before the content rules are served as those rules would have stored them.
        return new PageDto(page.Slug, page.Title, ContentRules.PageForLearner(JsonNode.Parse(page.Content.RootElement.GetRawText())), page.UpdatedAt);
    }

    private static string? SafeDescription(string? description) => description is null ? null : SafeMarkdown.Clean(description);

    private static string? SafeThumbnail(string? url) => ContentRules.IsSafeUrl(url) ? url : null;
}
