using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

public class Course
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? ThumbnailUrl { get; set; }
    public decimal Price { get; set; }
    public string Currency { get; set; } = "USD";
    public bool IsPublished { get; set; }
    public EnrollmentMode EnrollmentMode { get; set; } = EnrollmentMode.Open;
    public int ModuleCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public List<Topic> Topics { get; set; } = [];
}

public class CourseConfiguration : IEntityTypeConfiguration<Course>
{
    public void Configure(EntityTypeBuilder<Course> builder)
    {
        builder.Property(x => x.Slug).HasMaxLength(120);
        builder.HasIndex(x => x.Slug).IsUnique();
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.Description).HasMaxLength(8000);
        builder.Property(x => x.ThumbnailUrl).HasMaxLength(2048);
        builder.Property(x => x.Price).HasPrecision(10, 2);
        builder.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        builder.HasIndex(x => x.Name).HasFilter("is_published"); // catalog listing ordered by name
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_courses_slug_format", "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'");
            t.HasCheckConstraint("ck_courses_price", "price >= 0");
            t.HasCheckConstraint("ck_courses_currency", "currency ~ '^[A-Z]{3}$'");
            t.HasCheckConstraint("ck_courses_module_count", "module_count >= 0");
        });
    }
}

public class Topic
{
    public Guid Id { get; set; }
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public int ModuleNo { get; set; }
    public int TopicNumber { get; set; }
    public required string Name { get; set; }
    public bool IsPreview { get; set; }
    public string? VideoUrl { get; set; }
    public string? PptUrl { get; set; }
    /// <summary>The lesson layout JSON (<c>{ version, blocks }</c>) or, for legacy topics, plain text.</summary>
    public string? TextContent { get; set; }
    // Legacy study-persona narrations of the lesson text; "normal" is TextContent.
    public string? TextContentSports { get; set; }
    public string? TextContentCooking { get; set; }
    public string? TextContentAdventure { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class TopicConfiguration : IEntityTypeConfiguration<Topic>
{
    public void Configure(EntityTypeBuilder<Topic> builder)
    {
        builder.HasOne(x => x.Course).WithMany(c => c.Topics).HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.CourseId, x.ModuleNo, x.TopicNumber }).IsUnique();
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.Property(x => x.VideoUrl).HasMaxLength(2048);
        builder.Property(x => x.PptUrl).HasMaxLength(2048);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_topics_module_no", "module_no > 0");
            t.HasCheckConstraint("ck_topics_topic_number", "topic_number > 0");
        });
    }
}

public class SimulationExercise
{
    public Guid Id { get; set; }
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
    public required string Title { get; set; }
    public string? Instructions { get; set; }
    /// <summary>Exercise definition (steps, starter data, expected outcome); shape owned by the frontend.</summary>
    public JsonDocument? Payload { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class SimulationExerciseConfiguration : IEntityTypeConfiguration<SimulationExercise>
{
    public void Configure(EntityTypeBuilder<SimulationExercise> builder)
    {
        builder.HasOne(x => x.Topic).WithOne().HasForeignKey<SimulationExercise>(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => x.TopicId).IsUnique();
        builder.Property(x => x.Title).HasMaxLength(200);
    }
}

/// <summary>CMS page (about, terms, FAQ, ...).</summary>
public class PageContent
{
    public Guid Id { get; set; }
    public required string Slug { get; set; }
    public required string Title { get; set; }
    public required JsonDocument Content { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class PageContentConfiguration : IEntityTypeConfiguration<PageContent>
{
    public void Configure(EntityTypeBuilder<PageContent> builder)
    {
        builder.ToTable("page_content");
        builder.Property(x => x.Slug).HasMaxLength(120);
        builder.HasIndex(x => x.Slug).IsUnique();
        builder.Property(x => x.Title).HasMaxLength(200);
        builder.ToTable(t => t.HasCheckConstraint("ck_page_content_slug_format", "slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'"));
    }
}

/// <summary>The master content store: a payload per (topic, content key, tutor persona); persona null = default.</summary>
public class TopicContentAsset
{
    public Guid Id { get; set; }
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
    public required string ContentKey { get; set; }
    public LearnerPersona? PersonaKey { get; set; }
    public ContentType ContentType { get; set; }
    public required JsonDocument Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class TopicContentAssetConfiguration : IEntityTypeConfiguration<TopicContentAsset>
{
    public void Configure(EntityTypeBuilder<TopicContentAsset> builder)
    {
        builder.HasOne(x => x.Topic).WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.ContentKey).HasMaxLength(100);
        // NULLS NOT DISTINCT: only one default (persona null) asset per key.
        builder.HasIndex(x => new { x.TopicId, x.ContentKey, x.PersonaKey }).IsUnique().AreNullsDistinct(false);
        builder.ToTable(t => t.HasCheckConstraint("ck_topic_content_assets_content_key", "content_key ~ '^[A-Za-z0-9][A-Za-z0-9_.-]*$'"));
    }
}
