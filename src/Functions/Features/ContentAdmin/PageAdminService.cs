using CoursePlatform.Functions.Features.Lessons;
using System.Text.Json;
using System.Text.RegularExpressions;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Catalog;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>CMS pages (about, terms, FAQ): created or replaced whole by slug; the public page's ETag follows.</summary>
public sealed partial class PageAdminService(CoursePlatformDbContext db, CatalogService catalog, AuditScope audit, TimeProvider time)
{
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex SlugFormat();

    public async Task<(PageDto Page, bool Created)> PutAsync(string slug, CmsPageRequest request, CancellationToken cancellationToken)
    {
        if (slug.Length > 120 || !SlugFormat().IsMatch(slug))
            throw ProblemException.Validation("slug", "Lower-case letters and digits in words joined by '-', at most 120 characters.");
        var errors = new Dictionary<string, string[]>();
        ContentRules.ValidatePage(request.Content, "content", errors);
        if (errors.Count > 0) throw ProblemException.Validation(errors);
        var page = await db.PageContent.SingleOrDefaultAsync(p => p.Slug == slug, cancellationToken);
        PageDto? before = page is null ? null : await catalog.PageAsync(slug, cancellationToken);
        if (page is null)
        {
            page = new PageContent { Id = Guid.CreateVersion7(), Slug = slug, Title = "", Content = JsonDocument.Parse("{}") };
            db.PageContent.Add(page);
        }
        page.Title = request.Title!.Trim();
        page.Content = JsonSerializer.SerializeToDocument(request.Content, Json.Options);
        page.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        var after = await catalog.PageAsync(slug, cancellationToken);
        audit.Changed("page", page.Id, before, after);
        return (after, before is null);
    }
}
