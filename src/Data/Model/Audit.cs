using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

/// <summary>
/// One admin write: who, which function on which path, the resource it changed, and a compact before/after
/// (only the fields that changed; null before for a creation, null after for a deletion). Never updated.
/// </summary>
public class AdminAuditEntry
{
    public Guid Id { get; set; }
    public Guid? ActorId { get; set; }
    public User? Actor { get; set; }
    /// <summary>The actor's email when the row was written: kept when their account (and so <see cref="ActorId"/>) goes.</summary>
    public string? ActorEmail { get; set; }
    /// <summary>The function that made the change (<c>ManageUpdateCourse</c>, ...).</summary>
    public required string Action { get; set; }
    public required string Method { get; set; }
    public required string Path { get; set; }
    public int Status { get; set; }
    /// <summary><c>course</c>, <c>topic</c>, <c>asset</c>, ...: set by the service that made the change.</summary>
    public string? ResourceType { get; set; }
    public Guid? ResourceId { get; set; }
    public JsonDocument? Before { get; set; }
    public JsonDocument? After { get; set; }
    public DateTimeOffset At { get; set; }
}

public class AdminAuditEntryConfiguration : IEntityTypeConfiguration<AdminAuditEntry>
{
    public void Configure(EntityTypeBuilder<AdminAuditEntry> builder)
    {
        builder.HasOne(x => x.Actor).WithMany().HasForeignKey(x => x.ActorId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(x => x.Action).HasMaxLength(100);
        builder.Property(x => x.Method).HasMaxLength(10);
        builder.Property(x => x.Path).HasMaxLength(2048);
        builder.Property(x => x.ActorEmail).HasMaxLength(320);
        builder.Property(x => x.ResourceType).HasMaxLength(50);
        builder.HasIndex(x => x.At);
        builder.HasIndex(x => new { x.ResourceType, x.At });
        builder.HasIndex(x => new { x.ResourceId, x.At });
        builder.HasIndex(x => x.ActorId);
    }
}
