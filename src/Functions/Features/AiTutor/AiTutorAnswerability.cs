namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// Grounded or silent, decided from the evidence of one retrieval rather than from a fixed similarity floor (which cannot
/// work: with either model, off-topic questions' best similarities overlap answerable ones'). Each of the first k passages
/// gets an evidence score from three signals, and the question is answered when the best passage's score reaches
/// <see cref="AiTutorOptions.MinEvidence"/>:
/// <list type="bullet">
/// <item>relative similarity: the passage's similarity minus the mean similarity of the course's nearest candidates for
/// this question. Near-domain questions ("learn the guitar" against a "learning rate" passage) find passages about as
/// close as the rest of the course; an answering passage stands out;</item>
/// <item>lexical agreement: the share of the question's word weight (IDF in the course) the same passage holds, times
/// <see cref="AiTutorOptions.CoverageWeight"/>; a paraphrase may hold few words, an exact-term question holds its rare one;</item>
/// <item>unknown words: the share of the question's word weight that no chunk of the course holds ("offside", "hockey"),
/// times <see cref="AiTutorOptions.UnknownPenalty"/>, subtracted.</item>
/// </list>
/// A second test catches what shares the course's words but not its subject (an everyday question against a lesson's
/// everyday analogy, "train for my driving test" against a lesson on training models): the best passage's similarity must
/// reach the question's similarity to the nearest of the app's everyday background questions
/// (<see cref="BackgroundQuestions"/>) plus <see cref="AiTutorOptions.MinBackgroundMargin"/>. The settings are calibrated
/// on the tuning half of the evaluation (<c>tools/Benchmarks tutor-retrieval</c>) and checked on the held-out half.
/// </summary>
public static class AiTutorAnswerability
{
    public static double Evidence(Retrieval retrieval, AiTutorOptions options, int k)
    {
        ArgumentNullException.ThrowIfNull(retrieval);
        ArgumentNullException.ThrowIfNull(options);
        var passages = retrieval.Top(k);
        if (passages.Count == 0) return double.NegativeInfinity;
        return passages.Max(p => p.Similarity - retrieval.MeanSimilarity + options.CoverageWeight * p.Coverage)
            - options.UnknownPenalty * retrieval.UnknownWeight;
    }

    /// <summary>The best of the first k passages' similarity minus the question's similarity to the background; null when the background was not measured.</summary>
    public static double? BackgroundMargin(Retrieval retrieval, int k)
    {
        ArgumentNullException.ThrowIfNull(retrieval);
        var passages = retrieval.Top(k);
        return retrieval.BackgroundSimilarity is { } background && passages.Count > 0 ? passages.Max(p => p.Similarity) - background : null;
    }

    public static bool IsAnswerable(Retrieval retrieval, AiTutorOptions options, int k)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Evidence(retrieval, options, k) >= options.MinEvidence
            && (BackgroundMargin(retrieval, k) is not { } margin || margin >= options.MinBackgroundMargin);
    }
}
