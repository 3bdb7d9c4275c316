namespace CoursePlatform.Functions.Features.Quizzes;

/// <summary>The quiz constants of docs/product.md and the grading that uses them.</summary>
public static class QuizRules
{
    /// <summary>The default and the least an attempt serves a learner (fewer only when the pool is smaller).</summary>
    public const int DefaultQuestions = 5;
    public const int MaxQuestions = 20;
    public const int PassPercent = 70;

    /// <summary>Percentage rounded to 2 decimals for display; the pass test is exact integer arithmetic.</summary>
    public static (decimal Score, bool Passed) Grade(int correct, int total)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(total);
        ArgumentOutOfRangeException.ThrowIfNegative(correct);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(correct, total);
        return (Math.Round(100m * correct / total, 2, MidpointRounding.AwayFromZero), correct * 100 >= PassPercent * total);
    }
}
