using System.ComponentModel.DataAnnotations;
using CoursePlatform.Functions.Features.Progress;

namespace CoursePlatform.Functions.Features.Quizzes;

/// <summary>Starts an attempt of one quiz section.</summary>
/// <param name="ModuleNo">The module.</param>
/// <param name="TopicPairIndex">The section: pair p covers the module's topics 2p-1 and 2p.</param>
/// <param name="Limit">
/// Staff only (the course's tutors, admins): how many questions to serve. A learner's is ignored: the server serves
/// <c>Quiz__QuestionsPerAttempt</c> (5 by default), or the whole pool when it is smaller.
/// </param>
public sealed record StartAttemptRequest(
    [property: Required, Range(1, 1000)] int? ModuleNo,
    [property: Required, Range(1, 1000)] int? TopicPairIndex,
    [property: Range(1, QuizRules.MaxQuestions)] int? Limit);

public sealed record AnswerRequest([property: Required] Guid? QuestionId, [property: Required] Guid? OptionId);

public sealed record SubmitAttemptRequest([property: Required, MaxLength(QuizRules.MaxQuestions)] IReadOnlyList<AnswerRequest>? Answers);

/// <summary>A question as a learner sees it: options in the attempt's shuffled order, never which is correct.</summary>
public sealed record AttemptQuestion(Guid Id, string Text, IReadOnlyList<AttemptOption> Options);

public sealed record AttemptOption(Guid Id, string Text);

/// <summary>
/// An attempt as its learner may read it again (the <c>Location</c> of its creation): the questions it serves, without
/// correct flags, and once submitted its score and outcome.
/// </summary>
public sealed record QuizAttemptView(
    Guid Id, Guid CourseId, int ModuleNo, int TopicPairIndex, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt,
    DateTimeOffset? SubmittedAt, decimal? Score, bool? Passed, IReadOnlyList<AttemptQuestion> Questions);

/// <summary>An open attempt; it must be submitted by <c>ExpiresAt</c>.</summary>
public sealed record StartedAttempt(
    Guid Id, Guid CourseId, int ModuleNo, int TopicPairIndex, DateTimeOffset StartedAt, DateTimeOffset ExpiresAt,
    IReadOnlyList<AttemptQuestion> Questions);

/// <summary>
/// How one question went. <c>Correct</c>, <c>CorrectOptionId</c> and <c>Explanation</c> only when the answers are
/// revealed: even "this one was wrong" gives a two-option question away.
/// </summary>
public sealed record QuestionResult(Guid QuestionId, Guid? SelectedOptionId, bool? Correct, Guid? CorrectOptionId, string? Explanation);

/// <summary>The submitted attempt, with the module's state after it and whether the next module is open now.</summary>
public sealed record SubmittedAttempt(
    Guid Id, decimal Score, bool Passed, int CorrectCount, int QuestionCount, bool FinalPair, bool AnswersRevealed,
    IReadOnlyList<QuestionResult> Results, ModuleState Module, ModuleState? NextModule);

public sealed record SectionTopic(Guid Id, int TopicNumber, string Name);

/// <summary>One quiz section: a pair of consecutive topics of a module, and the caller's record on it.</summary>
public sealed record QuizSection(
    int TopicPairIndex, bool FinalPair, IReadOnlyList<SectionTopic> Topics, int QuestionCount,
    int Attempts, decimal? BestScore, bool Passed, bool Available);

public sealed record QuizModule(int ModuleNo, ModuleState State, decimal? BestScore, IReadOnlyList<QuizSection> Sections);

public sealed record QuizSections(Guid CourseId, string CourseSlug, IReadOnlyList<QuizModule> Modules);

/// <summary>The question set an attempt froze, correct flags included; stored in <c>quiz_attempts.questions</c>.</summary>
public sealed record FrozenQuestion(Guid QuestionId, string Question, string? Explanation, IReadOnlyList<FrozenOption> Options);

public sealed record FrozenOption(Guid OptionId, string Text, bool IsCorrect);

public sealed record StoredAnswer(Guid QuestionId, Guid? OptionId, bool Correct);
