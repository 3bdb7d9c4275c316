using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

/// <summary>The study narrator a learner chose for a course.</summary>
public class TopicPersonalization
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public StudyPersona StudyPersona { get; set; } = StudyPersona.Normal;
    public DateTimeOffset UpdatedAt { get; set; }
}

public class TopicPersonalizationConfiguration : IEntityTypeConfiguration<TopicPersonalization>
{
    public void Configure(EntityTypeBuilder<TopicPersonalization> builder)
    {
        builder.ToTable("topic_personalization");
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.UserId, x.CourseId }).IsUnique();
        builder.HasIndex(x => x.CourseId);
    }
}

/// <summary>The tutor persona a learner was classified into for a course, with the reasoning.</summary>
public class LearnerPersonaProfile
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public LearnerPersona PersonaKey { get; set; }
    public string? Reasoning { get; set; }
    /// <summary>The survey answers the classification was made from.</summary>
    public JsonDocument? SurveyAnswers { get; set; }
    /// <summary>Which classifier decided ("rules", or a chat model's name).</summary>
    public string? ClassifiedBy { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class LearnerPersonaProfileConfiguration : IEntityTypeConfiguration<LearnerPersonaProfile>
{
    public void Configure(EntityTypeBuilder<LearnerPersonaProfile> builder)
    {
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.UserId, x.CourseId }).IsUnique();
        builder.HasIndex(x => x.CourseId);
        builder.Property(x => x.Reasoning).HasMaxLength(4000);
        builder.Property(x => x.ClassifiedBy).HasMaxLength(200);
    }
}

/// <summary>A node of a topic's suggested-prompt tree; answering it costs no quota.</summary>
public class TopicPromptSuggestion
{
    public Guid Id { get; set; }
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
    public Guid? ParentId { get; set; }
    public TopicPromptSuggestion? Parent { get; set; }
    public required string Prompt { get; set; }
    public required string Answer { get; set; }
    public int DisplayOrder { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class TopicPromptSuggestionConfiguration : IEntityTypeConfiguration<TopicPromptSuggestion>
{
    public void Configure(EntityTypeBuilder<TopicPromptSuggestion> builder)
    {
        builder.HasOne(x => x.Topic).WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Parent).WithMany().HasForeignKey(x => x.ParentId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.Prompt).HasMaxLength(500);
        builder.Property(x => x.Answer).HasMaxLength(8000);
        builder.HasIndex(x => new { x.TopicId, x.ParentId, x.DisplayOrder });
        builder.HasIndex(x => x.ParentId);
    }
}

/// <summary>Typed tutor prompts used by a learner in a course module during the current quota window.</summary>
public class ModulePromptUsage
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public int ModuleNo { get; set; }
    public int UsedCount { get; set; }
    public DateTimeOffset WindowStartedAt { get; set; }
    public DateTimeOffset WindowEndsAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class ModulePromptUsageConfiguration : IEntityTypeConfiguration<ModulePromptUsage>
{
    public void Configure(EntityTypeBuilder<ModulePromptUsage> builder)
    {
        builder.ToTable("module_prompt_usage", t =>
        {
            t.HasCheckConstraint("ck_module_prompt_usage_used_count", "used_count >= 0");
            t.HasCheckConstraint("ck_module_prompt_usage_module_no", "module_no > 0");
            t.HasCheckConstraint("ck_module_prompt_usage_window", "window_ends_at > window_started_at");
        });
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.UserId, x.CourseId, x.ModuleNo }).IsUnique();
        builder.HasIndex(x => x.CourseId);
        builder.HasIndex(x => x.WindowEndsAt).HasFilter("used_count > 0"); // the reset timer's scan
    }
}
