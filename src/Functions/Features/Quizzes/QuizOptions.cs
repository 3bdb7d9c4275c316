using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Features.Quizzes;

/// <summary>App settings <c>Quiz__*</c>.</summary>
public sealed class QuizOptions
{
    public const string Section = "Quiz";

    /// <summary>How long a failed attempt closes the module's quiz (and keeps the next module shut); product default 7 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan FailureCooldown { get; set; } = TimeSpan.FromDays(7);
}
