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

    /// <summary>
    /// The cosine similarity (all-MiniLM-L6-v2) a passage needs to count as relevant when no word of the
    /// question matched it in full-text search; below it, and without such a match, the tutor stays silent.
    /// Tuned with <c>tools/Benchmarks tutor-retrieval</c>: answering lesson chunks score from 0.19 (median
    /// 0.38) among 800 same-domain distractors.
    /// </summary>
    [Range(0.0, 1.0)] public double RelevanceFloor { get; set; } = 0.25;

    /// <summary>
    /// The similarity that suffices for a passage that also matched words of the question in full-text search.
    /// Any one shared word makes a match, so off-topic questions find such passages too, scoring up to 0.27 on
    /// the evaluation set; 0.2 (with the 0.25 floor) answered 4 of 12 off-topic questions and silenced none of
    /// 43 on-topic ones, where 0.1 (with 0.35) answered 7 and silenced one.
    /// </summary>
    [Range(0.0, 1.0)] public double TextMatchFloor { get; set; } = 0.2;
}
