using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

public class TopicProgress
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid TopicId { get; set; }
    public Topic Topic { get; set; } = null!;
    public ProgressStatus Status { get; set; } = ProgressStatus.NotStarted;
    /// <summary>Fraction 0..1.</summary>
    public double Progress { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class TopicProgressConfiguration : IEntityTypeConfiguration<TopicProgress>
{
    public void Configure(EntityTypeBuilder<TopicProgress> builder)
    {
        builder.ToTable("topic_progress", t => t.HasCheckConstraint("ck_topic_progress_fraction", "progress >= 0 AND progress <= 1"));
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Topic).WithMany().HasForeignKey(x => x.TopicId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.UserId, x.TopicId }).IsUnique();
        builder.HasIndex(x => x.TopicId);
    }
}

/// <summary>A question of the quiz section (course, module, topic pair).</summary>
public class QuizQuestion
{
    public Guid Id { get; set; }
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public int ModuleNo { get; set; }
    /// <summary>1-based: pair 1 covers topics 1-2 of the module, pair 2 topics 3-4, ...</summary>
    public int TopicPairIndex { get; set; }
    public required string Question { get; set; }
    public string? Explanation { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public List<QuizOption> Options { get; set; } = [];
}

public class QuizQuestionConfiguration : IEntityTypeConfiguration<QuizQuestion>
{
    public void Configure(EntityTypeBuilder<QuizQuestion> builder)
    {
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.Question).HasMaxLength(2000);
        builder.Property(x => x.Explanation).HasMaxLength(4000);
        builder.HasIndex(x => new { x.CourseId, x.ModuleNo, x.TopicPairIndex });
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_quiz_questions_module_no", "module_no > 0");
            t.HasCheckConstraint("ck_quiz_questions_topic_pair_index", "topic_pair_index > 0");
        });
    }
}

public class QuizOption
{
    public Guid Id { get; set; }
    public Guid QuestionId { get; set; }
    public QuizQuestion Question { get; set; } = null!;
    public required string Text { get; set; }
    public bool IsCorrect { get; set; }
    public int DisplayOrder { get; set; }
}

public class QuizOptionConfiguration : IEntityTypeConfiguration<QuizOption>
{
    public void Configure(EntityTypeBuilder<QuizOption> builder)
    {
        builder.HasOne(x => x.Question).WithMany(q => q.Options).HasForeignKey(x => x.QuestionId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.Text).HasMaxLength(1000);
        builder.HasIndex(x => new { x.QuestionId, x.DisplayOrder }).IsUnique();
    }
}

/// <summary>
/// An attempt freezes the questions and option order it served (<see cref="Questions"/>), so grading
/// never depends on later edits; it can be submitted once.
/// </summary>
public class QuizAttempt
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public int ModuleNo { get; set; }
    public int TopicPairIndex { get; set; }
    public required JsonDocument Questions { get; set; }
    public JsonDocument? Answers { get; set; }
    public int QuestionCount { get; set; }
    public int? CorrectCount { get; set; }
    /// <summary>Percentage 0..100, set on submit.</summary>
    public decimal? Score { get; set; }
    public bool? Passed { get; set; }
    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
}

public class QuizAttemptConfiguration : IEntityTypeConfiguration<QuizAttempt>
{
    public void Configure(EntityTypeBuilder<QuizAttempt> builder)
    {
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.Score).HasPrecision(5, 2);
        builder.HasIndex(x => new { x.UserId, x.CourseId, x.ModuleNo, x.TopicPairIndex });
        // One open attempt per learner and section: starting again replaces it, even when two starts race.
        builder.HasIndex(x => new { x.UserId, x.CourseId, x.ModuleNo, x.TopicPairIndex }, "ux_quiz_attempts_one_open_per_section")
            .HasDatabaseName("ux_quiz_attempts_one_open_per_section").IsUnique().HasFilter("submitted_at IS NULL");
        builder.HasIndex(x => x.CourseId);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_quiz_attempts_score", "score IS NULL OR (score >= 0 AND score <= 100)");
            t.HasCheckConstraint("ck_quiz_attempts_question_count", "question_count > 0");
            t.HasCheckConstraint("ck_quiz_attempts_correct_count", "correct_count IS NULL OR (correct_count >= 0 AND correct_count <= question_count)");
            t.HasCheckConstraint("ck_quiz_attempts_submitted", "(submitted_at IS NULL) = (score IS NULL)");
        });
    }
}

/// <summary>Per-module gating state of a learner: passed, and any running cooldown after a failed attempt.</summary>
public class ModuleProgress
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public int ModuleNo { get; set; }
    public DateTimeOffset? UnlockedAt { get; set; }
    public DateTimeOffset? PassedAt { get; set; }
    public DateTimeOffset? CooldownUntil { get; set; }
    public decimal? BestScore { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}

public class ModuleProgressConfiguration : IEntityTypeConfiguration<ModuleProgress>
{
    public void Configure(EntityTypeBuilder<ModuleProgress> builder)
    {
        builder.ToTable("module_progress", t =>
        {
            t.HasCheckConstraint("ck_module_progress_module_no", "module_no > 0");
            t.HasCheckConstraint("ck_module_progress_best_score", "best_score IS NULL OR (best_score >= 0 AND best_score <= 100)");
        });
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.BestScore).HasPrecision(5, 2);
        builder.HasIndex(x => new { x.UserId, x.CourseId, x.ModuleNo }).IsUnique();
        builder.HasIndex(x => x.CourseId);
    }
}
