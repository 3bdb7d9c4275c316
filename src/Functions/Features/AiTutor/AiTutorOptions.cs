using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>App settings <c>AiTutor__*</c>.</summary>
public sealed class AiTutorOptions
{
    public const string Section = "AiTutor";

    /// <summary>Typed prompts per learner, course and module in one quota window (product: 5).</summary>
    [Range(1, 1000)] public int PromptsPerWindow { get; set; } = 5;

    /// <summary>How long a quota window lasts from its first typed prompt (product: one day).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")] public TimeSpan QuotaWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Typed tutor questions per learner per minute (product: 8), counted in fixed one-minute windows.</summary>
    [Range(1, 1000)] public int RequestsPerMinute { get; set; } = 8;

    /// <summary>Suggested prompts per learner per minute: free of the quota, yet each one writes a turn.</summary>
    [Range(1, 1000)] public int SuggestionsPerMinute { get; set; } = 30;

    // The ranking and answerability defaults are what tools/Benchmarks tutor-retrieval calibrated on the tuning half of
    // the evaluation with arctic-embed-xs (README, Benchmarks); a MinEvidence below zero lets a best passage a little
    // under the candidates' mean through when the question has no words unknown to the course.

    /// <summary>
    /// How much the share of the question's IDF-weighted words a passage holds (0 to 1) adds to its cosine similarity when
    /// the candidates of both lists are ranked (<see cref="AiTutorRetrieval.Fuse"/>).
    /// </summary>
    [Range(0.0, 5.0)] public double LexicalWeight { get; set; } = 0.3;

    /// <summary>The evidence a question's best passage needs for the tutor to answer (<see cref="AiTutorAnswerability"/>); calibrated on the evaluation's tuning half.</summary>
    [Range(-1.0, 2.0)] public double MinEvidence { get; set; } = -0.09;

    /// <summary>How much the share of the question's word weight a passage holds adds to its evidence.</summary>
    [Range(0.0, 2.0)] public double CoverageWeight { get; set; } = 0.05;

    /// <summary>How much the share of the question's word weight unknown to the course takes from the evidence.</summary>
    [Range(0.0, 2.0)] public double UnknownPenalty { get; set; } = 0.5;

    /// <summary>
    /// How much closer the question must be to its best passage than to the nearest of the app's everyday background
    /// questions (<see cref="BackgroundQuestions"/>) for the tutor to answer; below zero tolerates a background a little closer.
    /// </summary>
    [Range(-1.0, 1.0)] public double MinBackgroundMargin { get; set; } = -0.005;
}
