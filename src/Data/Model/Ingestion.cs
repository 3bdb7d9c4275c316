using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

/// <summary>
/// The log of one blob version's ingestion. (source, etag) is unique, so the same upload is never
/// ingested twice however often the trigger fires.
/// </summary>
public class ContentIngestion
{
    public Guid Id { get; set; }
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public Guid? TopicId { get; set; }
    public Topic? Topic { get; set; }
    /// <summary>The blob path inside the content container, e.g. <c>{courseId}/{topicId}/deck.pptx</c>.</summary>
    public required string Source { get; set; }
    public required string ETag { get; set; }
    public IngestionStatus Status { get; set; } = IngestionStatus.Queued;
    public long? ContentLength { get; set; }
    public int? ChunkCount { get; set; }
    public string? EmbeddingModel { get; set; }
    /// <summary>Why a failed ingestion failed, in words an admin can act on.</summary>
    public string? Error { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset QueuedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
    public int? DurationMs { get; set; }
}

public class ContentIngestionConfiguration : IEntityTypeConfiguration<ContentIngestion>
{
    public void Configure(EntityTypeBuilder<ContentIngestion> builder)
    {
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Topic).WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(x => x.Source).HasMaxLength(1024);
        builder.Property(x => x.ETag).HasMaxLength(100).HasColumnName("etag");
        builder.Property(x => x.EmbeddingModel).HasMaxLength(200);
        builder.Property(x => x.Error).HasMaxLength(2000);
        builder.HasIndex(x => new { x.Source, x.ETag }).IsUnique();
        builder.HasIndex(x => new { x.CourseId, x.QueuedAt });
        builder.HasIndex(x => x.TopicId);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_content_ingestions_chunk_count", "chunk_count IS NULL OR chunk_count >= 0");
            t.HasCheckConstraint("ck_content_ingestions_attempts", "attempts >= 0");
        });
    }
}
