using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>The audit trail of admin writes, newest first; <c>resource</c> is a resource type (<c>course</c>) or a resource's id.</summary>
public sealed class AuditTrailService(CoursePlatformDbContext db)
{
    public async Task<PagedList<AuditEntryDto>> ListAsync(string? resource, PageRequest page, CancellationToken cancellationToken)
    {
        var entries = db.AdminAuditEntries.AsNoTracking();
        if (Guid.TryParse(resource, out var id)) entries = entries.Where(e => e.ResourceId == id);
        else if (!string.IsNullOrWhiteSpace(resource)) entries = entries.Where(e => e.ResourceType == resource.Trim());
        var rows = await entries.OrderByDescending(e => e.At).ThenByDescending(e => e.Id)
            .Select(e => new { e.Id, e.ActorId, ActorEmail = e.ActorEmail ?? (e.Actor == null ? null : e.Actor.Email), e.Action, e.Method, e.Path, e.Status, e.ResourceType, e.ResourceId, e.Before, e.After, e.At })
            .ToPageAsync(page, cancellationToken);
        return new PagedList<AuditEntryDto>([.. rows.Items.Select(e => new AuditEntryDto(e.Id, e.ActorId, e.ActorEmail, e.Action, e.Method, e.Path, e.Status,
            e.ResourceType, e.ResourceId, e.Before is null ? null : JsonNode.Parse(e.Before.RootElement.GetRawText()),
            e.After is null ? null : JsonNode.Parse(e.After.RootElement.GetRawText()), e.At))], rows.Page, rows.PageSize, rows.Total);
    }
}
