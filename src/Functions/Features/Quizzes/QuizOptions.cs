using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Features.Quizzes;

/// <summary>App settings <c>Quiz__*</c>.</summary>
public sealed class QuizOptions
{
    public const string Section = "Quiz";

    /// <summary>
    /// How long a failed attempt closes the module's quiz (and keeps the next module shut; in a module already passed
    /// only its quiz); product default 7 days.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "365.00:00:00")]
    public TimeSpan FailureCooldown { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// How long a learner has from starting an attempt to submitting it; a later submit is refused (409). The
    /// original frontend gave 150 s for five questions; ten minutes leaves room to read and think.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:30", "1.00:00:00")]
    public TimeSpan AttemptTimeLimit { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How many questions an attempt serves (the whole pool when the pair has fewer): the server decides, since a
    /// learner who chose one question would pass with one right answer; only staff may ask for another number.
    /// </summary>
    [Range(QuizRules.DefaultQuestions, QuizRules.MaxQuestions)]
    public int QuestionsPerAttempt { get; set; } = QuizRules.DefaultQuestions;

    /// <summary>When a submitted attempt shows the correct options and explanations.</summary>
    public AnswerReveal RevealAnswers { get; set; } = AnswerReveal.Passed;
}

/// <summary><c>passed</c> (the default): only an attempt that passed shows the key, so a failure never buys a certain pass.</summary>
public enum AnswerReveal { Never, Passed, Always }
