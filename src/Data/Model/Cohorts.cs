using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

public class Cohort
{
    public Guid Id { get; set; }
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public required string Name { get; set; }
    public bool IsActive { get; set; } = true;
    public DateOnly? StartsOn { get; set; }
    public DateOnly? EndsOn { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class CohortConfiguration : IEntityTypeConfiguration<Cohort>
{
    public void Configure(EntityTypeBuilder<Cohort> builder)
    {
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.Name).HasMaxLength(200);
        builder.HasIndex(x => new { x.CourseId, x.Name }).IsUnique();
        builder.ToTable(t => t.HasCheckConstraint("ck_cohorts_dates", "starts_on IS NULL OR ends_on IS NULL OR ends_on >= starts_on"));
    }
}

/// <summary>An allowlist entry: matched by user id, or by email case-insensitively (emails are stored lower-case).</summary>
public class CohortMember
{
    public Guid Id { get; set; }
    public Guid CohortId { get; set; }
    public Cohort Cohort { get; set; } = null!;
    public required string Email { get; set; }
    /// <summary>Linked on the first match by email. The allowlist is the admin's record, so deleting the user only unlinks it.</summary>
    public Guid? UserId { get; set; }
    public User? User { get; set; }
    public int BatchNo { get; set; } = 1;
    public DateTimeOffset CreatedAt { get; set; }
}

public class CohortMemberConfiguration : IEntityTypeConfiguration<CohortMember>
{
    public void Configure(EntityTypeBuilder<CohortMember> builder)
    {
        builder.HasOne(x => x.Cohort).WithMany().HasForeignKey(x => x.CohortId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.SetNull);
        builder.Property(x => x.Email).HasMaxLength(320);
        builder.HasIndex(x => new { x.CohortId, x.Email }).IsUnique();
        builder.HasIndex(x => x.Email);
        builder.HasIndex(x => x.UserId);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_cohort_members_batch_no", "batch_no > 0");
            t.HasCheckConstraint("ck_cohort_members_email_normalized", "email = lower(btrim(email)) AND email <> ''");
        });
    }
}

/// <summary>The project brief of one batch of a cohort; payload <c>{ title, tagline, description, notes? }</c>.</summary>
public class CohortBatchProject
{
    public Guid Id { get; set; }
    public Guid CohortId { get; set; }
    public Cohort Cohort { get; set; } = null!;
    public int BatchNo { get; set; }
    public required JsonDocument Payload { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class CohortBatchProjectConfiguration : IEntityTypeConfiguration<CohortBatchProject>
{
    public void Configure(EntityTypeBuilder<CohortBatchProject> builder)
    {
        builder.HasOne(x => x.Cohort).WithMany().HasForeignKey(x => x.CohortId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.CohortId, x.BatchNo }).IsUnique();
        builder.ToTable(t => t.HasCheckConstraint("ck_cohort_batch_projects_batch_no", "batch_no > 0"));
    }
}

public class ColdCallPrompt
{
    public Guid Id { get; set; }
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
    public int DisplayOrder { get; set; }
    public required string Prompt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class ColdCallPromptConfiguration : IEntityTypeConfiguration<ColdCallPrompt>
{
    public void Configure(EntityTypeBuilder<ColdCallPrompt> builder)
    {
        builder.HasOne(x => x.Topic).WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.TopicId, x.DisplayOrder }).IsUnique();
        builder.Property(x => x.Prompt).HasMaxLength(4000);
    }
}

/// <summary>A root response (no parent) or a threaded reply within one cohort's discussion of a prompt.</summary>
public class ColdCallMessage
{
    public Guid Id { get; set; }
    public Guid PromptId { get; set; }
    public ColdCallPrompt Prompt { get; set; } = null!;
    public Guid CohortId { get; set; }
    public Cohort Cohort { get; set; } = null!;
    /// <summary>Null on a tombstone: the author closed their account and others had replied under it.</summary>
    public Guid? UserId { get; set; }
    public User? User { get; set; }
    public Guid? ParentId { get; set; }
    public ColdCallMessage? Parent { get; set; }
    public Guid? RootId { get; set; }
    public ColdCallMessage? Root { get; set; }
    public required string Content { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? EditedAt { get; set; }
    /// <summary>Moderation: hidden from learners (kept for staff) since, and by whom.</summary>
    public DateTimeOffset? HiddenAt { get; set; }
    public Guid? HiddenById { get; set; }
    public User? HiddenBy { get; set; }
}

public class ColdCallMessageConfiguration : IEntityTypeConfiguration<ColdCallMessage>
{
    public void Configure(EntityTypeBuilder<ColdCallMessage> builder)
    {
        builder.HasOne(x => x.Prompt).WithMany().HasForeignKey(x => x.PromptId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Cohort).WithMany().HasForeignKey(x => x.CohortId).OnDelete(DeleteBehavior.Cascade);
        // An author's deletion keeps others' threads: tombstones first (ColdCallAuthors), then the key clears their author.
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(x => x.Parent).WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Root).WithMany().HasForeignKey(x => x.RootId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.HiddenBy).WithMany().HasForeignKey(x => x.HiddenById).OnDelete(DeleteBehavior.SetNull);
        builder.Property(x => x.Content).HasMaxLength(8000);
        builder.HasIndex(x => new { x.PromptId, x.CohortId, x.CreatedAt });
        builder.HasIndex(x => x.RootId);
        builder.HasIndex(x => x.ParentId);
        builder.HasIndex(x => x.UserId);
        // One root response per learner, prompt and cohort: the blind-response gate keys on it, and a learner moved
        // to another cohort answers there before reading its thread (the answer given in the first cohort stays there).
        builder.HasIndex(x => new { x.PromptId, x.UserId, x.CohortId }).IsUnique().HasFilter("parent_id IS NULL")
            .HasDatabaseName("ux_cold_call_messages_one_root_per_user_and_cohort");
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_cold_call_messages_thread", "(parent_id IS NULL) = (root_id IS NULL)");
            t.HasCheckConstraint("ck_cold_call_messages_content", "btrim(content) <> ''");
        });
    }
}

public class ColdCallStar
{
    public Guid Id { get; set; }
    public Guid MessageId { get; set; }
    public ColdCallMessage Message { get; set; } = null!;
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public DateTimeOffset CreatedAt { get; set; }
}

public class ColdCallStarConfiguration : IEntityTypeConfiguration<ColdCallStar>
{
    public void Configure(EntityTypeBuilder<ColdCallStar> builder)
    {
        builder.HasOne(x => x.Message).WithMany().HasForeignKey(x => x.MessageId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.MessageId, x.UserId }).IsUnique();
        builder.HasIndex(x => x.UserId);
    }
}
