namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// Grounded or silent, decided from the evidence of one retrieval rather than from a fixed similarity floor (a fixed
/// floor cannot work: with both models, off-topic questions' best similarities overlap answerable ones'). A question is
/// answered when all of these hold:
/// <list type="number">
/// <item>Few of its distinctive words are unknown to the course (<see cref="Retrieval.UnknownWeight"/>): "the offside
/// rule in ice hockey" has words no chunk holds.</item>
/// <item>The best passage stands out from the course's general closeness to the question: its similarity exceeds the mean
/// of the nearest candidates by a margin. Near-domain questions ("learn the guitar" against a "learning rate" passage)
/// find passages about as close as the rest of the course; an answering passage is clearly closer.</item>
/// <item>Or, failing the margin, the lexical and vector lists agree: the best passage is among the first few of both and
/// holds most of the question's words by weight.</item>
/// </list>
/// The thresholds (<see cref="AiTutorOptions"/>) are calibrated on the tuning half of the evaluation
/// (<c>tools/Benchmarks tutor-retrieval</c>) and checked on the held-out half.
/// </summary>
public static class AiTutorAnswerability
{
    /// <summary>Ranks that count as "among the first few" of a list for agreement.</summary>
    public const int AgreementRank = 3;

    public static bool IsAnswerable(Retrieval retrieval, AiTutorOptions options, int k)
    {
        ArgumentNullException.ThrowIfNull(retrieval);
        ArgumentNullException.ThrowIfNull(options);
        var passages = retrieval.Top(k);
        if (passages.Count == 0 || retrieval.UnknownWeight > options.MaxUnknownWeight) return false;
        var margin = passages.Max(p => p.Similarity) - retrieval.MeanSimilarity;
        if (margin >= options.MinMargin) return true;
        return passages.Any(p => p.VectorRank <= AgreementRank && p.TextRank <= AgreementRank && p.Coverage >= options.MinAgreementCoverage);
    }
}
