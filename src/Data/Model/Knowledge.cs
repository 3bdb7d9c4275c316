using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Pgvector;

namespace CoursePlatform.Data.Model;

/// <summary>An embedded passage of course material. Keyed by course UUID only (never a slug).</summary>
public class CourseChunk
{
    public const int EmbeddingDimensions = 384;

    public Guid Id { get; set; }
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public Guid? TopicId { get; set; }
    public Topic? Topic { get; set; }
    /// <summary>Where the text came from, e.g. the blob path <c>{courseId}/{topicId}/deck.pptx</c>.</summary>
    public required string Source { get; set; }
    /// <summary>0-based order of the chunk within its source.</summary>
    public int Position { get; set; }
    public required string Content { get; set; }
    /// <summary>Slide number, cue times, title, ... of the passage.</summary>
    public JsonDocument? Metadata { get; set; }
    /// <summary>Only vectors of the same model are ever compared.</summary>
    public required string EmbeddingModel { get; set; }
    public required Vector Embedding { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class CourseChunkConfiguration : IEntityTypeConfiguration<CourseChunk>
{
    public void Configure(EntityTypeBuilder<CourseChunk> builder)
    {
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Topic).WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(x => x.Source).HasMaxLength(1024);
        builder.Property(x => x.EmbeddingModel).HasMaxLength(200);
        builder.Property(x => x.Embedding).HasColumnType($"vector({CourseChunk.EmbeddingDimensions})");
        builder.HasIndex(x => new { x.CourseId, x.Source, x.Position }).IsUnique();
        builder.HasIndex(x => x.TopicId);
        builder.HasIndex(x => x.Embedding).HasMethod("hnsw").HasOperators("vector_cosine_ops")
            .HasStorageParameter("m", 16).HasStorageParameter("ef_construction", 64);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_course_chunks_position", "position >= 0");
            t.HasCheckConstraint("ck_course_chunks_content", "btrim(content) <> ''");
        });
    }
}

/// <summary>The tutor conversation of one learner about one topic of a course.</summary>
public class RagChatSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
    /// <summary>Rolling summary of the turns older than the recent window.</summary>
    public string? Summary { get; set; }
    public int MessageCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class RagChatSessionConfiguration : IEntityTypeConfiguration<RagChatSession>
{
    public void Configure(EntityTypeBuilder<RagChatSession> builder)
    {
        builder.ToTable("cp_rag_chat_sessions", t => t.HasCheckConstraint("ck_cp_rag_chat_sessions_message_count", "message_count >= 0"));
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Topic).WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.UserId, x.CourseId, x.TopicId }).IsUnique();
        builder.HasIndex(x => x.CourseId);
        builder.HasIndex(x => x.TopicId);
    }
}

public class RagChatMessage
{
    public Guid Id { get; set; }
    public Guid SessionId { get; set; }
    public RagChatSession Session { get; set; } = null!;
    public ChatRole Role { get; set; }
    public required string Content { get; set; }
    /// <summary>Sources used for an assistant answer (chunk ids, slide or timestamps).</summary>
    public JsonDocument? Sources { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class RagChatMessageConfiguration : IEntityTypeConfiguration<RagChatMessage>
{
    public void Configure(EntityTypeBuilder<RagChatMessage> builder)
    {
        builder.ToTable("cp_rag_chat_messages");
        builder.HasOne(x => x.Session).WithMany().HasForeignKey(x => x.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.SessionId, x.CreatedAt });
    }
}
