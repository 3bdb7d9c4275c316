using CoursePlatform.Functions.Features.AiTutor;

namespace CoursePlatform.Functions.Tests.AiTutor;

/// <summary>The tutor's ranking of candidates and its grounded-or-silent decision, on hand-made retrievals.</summary>
public sealed class AiTutorRankingTests
{
    private static RetrievedPassage Passage(string name, double similarity, double coverage, int? vectorRank, int? textRank) =>
        new(Guid.NewGuid(), name, null, name, similarity, textRank is not null, null, null, null, null, null)
        {
            VectorRank = vectorRank, TextRank = textRank, Coverage = coverage,
        };

    [Fact]
    public void Candidates_rank_by_similarity_plus_lexical_coverage_and_vector_only_keeps_the_nearest_vectors()
    {
        var options = new AiTutorOptions { LexicalWeight = 0.3 };
        var retrieval = new Retrieval(
        [
            Passage("near", 0.60, 0.0, 1, null),
            Passage("holds the exact term", 0.55, 0.5, null, 1), // 0.55 + 0.15 beats 0.60
            Passage("both", 0.58, 0.2, 2, 2),                    // 0.58 + 0.06
        ], 0.5, 0);

        var hybrid = AiTutorRetrieval.Fuse(retrieval, options, RetrievalMode.Hybrid);
        Assert.Equal(["holds the exact term", "both", "near"], hybrid.Candidates.Select(p => p.Source));
        Assert.Equal(0.70, hybrid.Candidates[0].Score, 6);

        var vectorOnly = AiTutorRetrieval.Fuse(retrieval, options, RetrievalMode.VectorOnly);
        Assert.Equal(["near", "both"], vectorOnly.Candidates.Select(p => p.Source));
    }

    [Fact]
    public void A_question_nearer_the_everyday_background_than_its_best_passage_is_refused()
    {
        var options = new AiTutorOptions { MinEvidence = 0.0, CoverageWeight = 0, UnknownPenalty = 0, MinBackgroundMargin = -0.01 };
        // The best passage stands out from the course's candidates (0.62 against a mean of 0.50): enough evidence.
        var retrieval = new Retrieval([Passage("analogy", 0.62, 0.5, 1, 1), Passage("other", 0.50, 0.0, 2, null)], 0.50, 0);
        Assert.True(AiTutorAnswerability.IsAnswerable(retrieval, options, 5)); // no background measured: evidence decides

        Assert.True(AiTutorAnswerability.IsAnswerable(retrieval with { BackgroundSimilarity = 0.60 }, options, 5));
        Assert.True(AiTutorAnswerability.IsAnswerable(retrieval with { BackgroundSimilarity = 0.625 }, options, 5)); // within the margin
        Assert.False(AiTutorAnswerability.IsAnswerable(retrieval with { BackgroundSimilarity = 0.70 }, options, 5));
        Assert.Equal(-0.08, AiTutorAnswerability.BackgroundMargin(retrieval with { BackgroundSimilarity = 0.70 }, 5)!.Value, 6);

        // Without evidence the background does not matter.
        var weak = new Retrieval([Passage("flat", 0.50, 0.0, 1, null)], 0.52, 0) { BackgroundSimilarity = 0.2 };
        Assert.False(AiTutorAnswerability.IsAnswerable(weak, options, 5));
    }

    [Fact]
    public void The_background_is_everyday_text_with_no_duplicates()
    {
        Assert.True(BackgroundQuestions.All.Count >= 150);
        Assert.Equal(BackgroundQuestions.All.Count, BackgroundQuestions.All.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        // Words of the subjects a course on this platform teaches must not make a course question look like the background.
        string[] computing = ["cloud", "server", "database", "network", "software", "computer", "internet", "app ", "code", "data "];
        Assert.DoesNotContain(BackgroundQuestions.All, q => computing.Any(w => q.Contains(w, StringComparison.OrdinalIgnoreCase)));
    }
}
