using System.Security.Cryptography;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Features.Quizzes;

/// <summary>
/// The quiz engine (docs/product.md, "Progress, quizzes and module gating"). An attempt freezes a random
/// pick of the section's questions with shuffled options; submitting grades against that frozen set
/// once, passes the module when the module's final pair is passed, and starts the module's cooldown
/// on a failure. Tutors of the course and admins may open any module (to review it); everyone else
/// follows the gating. Attempts belong to their learner: anyone else gets 404. An attempt must be
/// submitted within <see cref="QuizOptions.AttemptTimeLimit"/>; starting a section again abandons the
/// learner's open attempt of it; the answer key is shown as <see cref="QuizOptions.RevealAnswers"/> says. The server
/// decides an attempt's length (<see cref="QuizOptions.QuestionsPerAttempt"/>; staff may choose), and a failure in a
/// module already passed closes its quiz for the cooldown too, so practice cannot map the answer key.
/// </summary>
public sealed class QuizService(
    CoursePlatformDbContext db, CourseResolver courses, CourseAccess access, ModuleGatingService gating,
    IOptions<QuizOptions> options, TimeProvider time)
{
    public async Task<QuizSections> GetSectionsAsync(Caller caller, string courseKey, CancellationToken cancellationToken)
    {
        var (course, isStaff, userId) = await RequireMemberAsync(caller, courseKey, cancellationToken);
        var topics = await db.Topics.AsNoTracking().Where(t => t.CourseId == course.Id)
            .OrderBy(t => t.ModuleNo).ThenBy(t => t.TopicNumber)
            .Select(t => new { t.ModuleNo, Topic = new SectionTopic(t.Id, t.TopicNumber, t.Name) })
            .ToListAsync(cancellationToken);
        var questions = await db.QuizQuestions.AsNoTracking().Where(q => q.CourseId == course.Id).Where(TopicPairs.Gradable)
            .GroupBy(q => new { q.ModuleNo, q.TopicPairIndex })
            .Select(g => new { g.Key.ModuleNo, g.Key.TopicPairIndex, Count = g.Count() })
            .ToDictionaryAsync(g => (g.ModuleNo, g.TopicPairIndex), g => g.Count, cancellationToken);
        var records = await db.QuizAttempts.AsNoTracking()
            .Where(a => a.UserId == userId && a.CourseId == course.Id && a.SubmittedAt != null)
            .GroupBy(a => new { a.ModuleNo, a.TopicPairIndex })
            .Select(g => new { g.Key.ModuleNo, g.Key.TopicPairIndex, Attempts = g.Count(), Best = g.Max(a => a.Score), Passed = g.Any(a => a.Passed == true) })
            .ToDictionaryAsync(g => (g.ModuleNo, g.TopicPairIndex), cancellationToken);
        var states = await StatesAsync(userId, course.Id, cancellationToken);

        var modules = topics.GroupBy(t => t.ModuleNo).Select(module =>
        {
            var state = states.Single(s => s.ModuleNo == module.Key);
            var open = (state.Unlocked || isStaff) && state.CooldownUntil is null;
            var pairs = module.Select((t, position) => (Pair: TopicPairs.Of(position + 1), t.Topic)).GroupBy(x => x.Pair).ToList();
            var sections = pairs.Select(pair =>
            {
                var count = questions.GetValueOrDefault((module.Key, pair.Key));
                var record = records.GetValueOrDefault((module.Key, pair.Key));
                return new QuizSection(pair.Key, pair.Key == pairs.Count, pair.Select(x => x.Topic).ToList(), count,
                    record?.Attempts ?? 0, record?.Best, record?.Passed ?? false, open && count > 0);
            }).ToList();
            return new QuizModule(module.Key, state, sections.Max(s => s.BestScore), sections);
        }).ToList();
        return new QuizSections(course.Id, course.Slug, modules);
    }

    public async Task<StartedAttempt> StartAsync(Caller caller, string courseKey, StartAttemptRequest request, CancellationToken cancellationToken)
    {
        RequestBody.Validate(request);
        var (course, isStaff, userId) = await RequireMemberAsync(caller, courseKey, cancellationToken);
        int moduleNo = request.ModuleNo!.Value, pair = request.TopicPairIndex!.Value;
        var state = (await StatesAsync(userId, course.Id, cancellationToken)).SingleOrDefault(s => s.ModuleNo == moduleNo)
            ?? throw ProblemException.NotFound("module");
        if (pair > state.PairCount) throw ProblemException.NotFound("quiz section");
        if (!state.Unlocked && !isStaff)
            throw ProblemException.Forbidden($"Module {moduleNo} is locked until module {moduleNo - 1} is passed.", ProblemCodes.ModuleLocked);
        if (state.CooldownUntil is { } until) throw CoolingDown(moduleNo, until);

        var pool = await db.QuizQuestions.AsNoTracking()
            .Where(q => q.CourseId == course.Id && q.ModuleNo == moduleNo && q.TopicPairIndex == pair).Where(TopicPairs.Gradable)
            .Select(q => new FrozenQuestion(q.Id, q.Question, q.Explanation,
                q.Options.OrderBy(o => o.DisplayOrder).Select(o => new FrozenOption(o.Id, o.Text, o.IsCorrect)).ToList()))
            .ToArrayAsync(cancellationToken);
        if (pool.Length == 0)
            throw ProblemException.Conflict("This quiz section has no questions yet, so it cannot be taken; the course team has to add them.", ProblemCodes.QuizSectionEmpty);

        // A cryptographic shuffle: the served order must not be predictable from earlier attempts.
        RandomNumberGenerator.Shuffle(pool.AsSpan());
        // The server decides the length: a learner's limit of 1 would make one right answer a pass. Staff may choose (to review).
        var size = isStaff && request.Limit is { } limit ? limit : options.Value.QuestionsPerAttempt;
        var frozen = pool.Take(size).Select(q =>
        {
            var shuffled = q.Options.ToArray();
            RandomNumberGenerator.Shuffle(shuffled.AsSpan());
            return q with { Options = shuffled };
        }).ToList();

        var now = time.GetUtcNow();
        var attempt = new QuizAttempt
        {
            Id = Guid.CreateVersion7(), UserId = userId, CourseId = course.Id, ModuleNo = moduleNo, TopicPairIndex = pair,
            Questions = JsonSerializer.SerializeToDocument(frozen, Json.Options), QuestionCount = frozen.Count, StartedAt = now,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // Open attempts never pile up: a new start abandons the learner's open attempt of this section
            // (and any of theirs that expired unsubmitted); an abandoned attempt can no longer be submitted.
            var expired = now - options.Value.AttemptTimeLimit;
            try
            {
                await db.QuizAttempts
                    .Where(a => a.UserId == userId && a.SubmittedAt == null
                                && ((a.CourseId == course.Id && a.ModuleNo == moduleNo && a.TopicPairIndex == pair) || a.StartedAt < expired))
                    .ExecuteDeleteAsync(cancellationToken);
                db.QuizAttempts.Add(attempt);
                await db.SaveChangesAsync(cancellationToken);
            }
            catch (Exception ex) when ((ex as Npgsql.PostgresException ?? ex.InnerException as Npgsql.PostgresException)?.SqlState
                                           is Npgsql.PostgresErrorCodes.UniqueViolation or Npgsql.PostgresErrorCodes.DeadlockDetected)
            {
                throw ProblemException.Conflict("Another attempt of this section was started at the same moment; use that one or start again.", ProblemCodes.ConcurrentUpdate);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        return new StartedAttempt(attempt.Id, course.Id, moduleNo, pair, attempt.StartedAt, attempt.StartedAt + options.Value.AttemptTimeLimit,
            Served(frozen));
    }

    /// <summary>The caller's attempt (another learner's is "not found", as on submit).</summary>
    public async Task<QuizAttemptView> GetAttemptAsync(Caller caller, Guid attemptId, CancellationToken cancellationToken)
    {
        var attempt = await db.QuizAttempts.AsNoTracking()
            .Where(a => a.Id == attemptId && a.UserId == caller.UserId)
            .Select(a => new { a.CourseId, a.ModuleNo, a.TopicPairIndex, a.Questions, a.StartedAt, a.SubmittedAt, a.Score, a.Passed })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw AttemptNotFound();
        var frozen = attempt.Questions.Deserialize<List<FrozenQuestion>>(Json.Options)
            ?? throw new InvalidOperationException($"Attempt {attemptId} has no frozen questions.");
        return new QuizAttemptView(attemptId, attempt.CourseId, attempt.ModuleNo, attempt.TopicPairIndex, attempt.StartedAt,
            attempt.StartedAt + options.Value.AttemptTimeLimit, attempt.SubmittedAt, attempt.Score, attempt.Passed,
            Served(frozen));
    }

    /// <summary>The questions as a learner is served them: no correct flags, no explanations.</summary>
    private static List<AttemptQuestion> Served(IEnumerable<FrozenQuestion> frozen) =>
        // Text stored before the content rules is served as the rules would have stored it.
        [.. frozen.Select(q => new AttemptQuestion(q.QuestionId, SafeMarkdown.Clean(q.Question), [.. q.Options.Select(o => new AttemptOption(o.OptionId, SafeMarkdown.Clean(o.Text)))]))];

    /// <summary>Also another learner's attempt: its existence never leaks.</summary>
    private static ProblemException AttemptNotFound() => new(ProblemCodes.NotFound,
        "The quiz attempt does not exist (a newer attempt of the same section replaces an open one).");

    public async Task<SubmittedAttempt> SubmitAsync(Caller caller, Guid attemptId, SubmitAttemptRequest request, CancellationToken cancellationToken)
    {
        RequestBody.Validate(request);
        // Another learner's attempt is "not found": its existence never leaks.
        var attempt = await db.QuizAttempts.AsNoTracking()
            .Where(a => a.Id == attemptId && a.UserId == caller.UserId)
            .Select(a => new { a.CourseId, a.ModuleNo, a.TopicPairIndex, a.Questions, a.SubmittedAt, a.StartedAt })
            .SingleOrDefaultAsync(cancellationToken)
            ?? throw AttemptNotFound();
        if (attempt.SubmittedAt is not null) throw AlreadySubmitted();
        // Access can end while an attempt is open (a refund, a removal from the cohort): no score lands in a course left.
        await RequireMemberAsync(caller, attempt.CourseId.ToString(), cancellationToken);
        if (time.GetUtcNow() > attempt.StartedAt + options.Value.AttemptTimeLimit)
            throw ProblemException.Conflict(
                $"This attempt expired: it had to be submitted within {options.Value.AttemptTimeLimit.TotalMinutes:0.#} minutes of its start. Start a new attempt.", ProblemCodes.AttemptExpired);

        var frozen = attempt.Questions.Deserialize<List<FrozenQuestion>>(Json.Options)
            ?? throw new InvalidOperationException($"Attempt {attemptId} has no frozen questions.");
        var chosen = MatchAnswers(frozen, request.Answers!);
        // Every frozen question with the option picked for it (null when unanswered, which counts as wrong).
        var picks = frozen.Select(q => (Question: q, Pick: chosen.GetValueOrDefault(q.QuestionId))).ToList();
        var correct = picks.Count(p => p.Pick?.IsCorrect == true);
        var (score, passed) = QuizRules.Grade(correct, frozen.Count);

        var before = (await StatesAsync(caller.UserId, attempt.CourseId, cancellationToken)).SingleOrDefault(s => s.ModuleNo == attempt.ModuleNo)
            ?? throw ProblemException.NotFound("module"); // its topics were removed since the attempt started
        if (before.CooldownUntil is { } until) throw CoolingDown(attempt.ModuleNo, until);
        var finalPair = attempt.TopicPairIndex >= before.PairCount;
        var modulePassed = passed && finalPair;
        var now = time.GetUtcNow();

        var answers = JsonSerializer.SerializeToDocument(
            picks.Select(p => new StoredAnswer(p.Question.QuestionId, p.Pick?.OptionId, p.Pick?.IsCorrect == true)), Json.Options);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            // The conditional update is the "once": of two concurrent submits only one changes the row.
            var updated = await db.QuizAttempts.Where(a => a.Id == attemptId && a.SubmittedAt == null)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(a => a.Answers, answers).SetProperty(a => a.CorrectCount, correct)
                    .SetProperty(a => a.Score, score).SetProperty(a => a.Passed, passed).SetProperty(a => a.SubmittedAt, now), cancellationToken);
            if (updated == 0) throw AlreadySubmitted();
            await RecordModuleAsync(caller.UserId, attempt.CourseId, attempt.ModuleNo, score, passed, modulePassed, now, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var states = await StatesAsync(caller.UserId, attempt.CourseId, cancellationToken);
        var reveal = options.Value.RevealAnswers switch
        {
            AnswerReveal.Always => true,
            AnswerReveal.Passed => passed,
            _ => false,
        };
        var results = picks.Select(p => reveal
            ? new QuestionResult(p.Question.QuestionId, p.Pick?.OptionId, p.Pick?.IsCorrect == true,
                p.Question.Options.First(o => o.IsCorrect).OptionId, p.Question.Explanation is null ? null : SafeMarkdown.Clean(p.Question.Explanation))
            : new QuestionResult(p.Question.QuestionId, p.Pick?.OptionId, null, null, null)).ToList();
        return new SubmittedAttempt(attemptId, score, passed, correct, frozen.Count, finalPair, reveal, results,
            states.Single(s => s.ModuleNo == attempt.ModuleNo), states.Where(s => s.ModuleNo > attempt.ModuleNo).MinBy(s => s.ModuleNo));
    }

    /// <summary>
    /// The modules' gating states, with the practice cooldown of a passed module: its last failure closes its quiz for
    /// <see cref="QuizOptions.FailureCooldown"/> like any failure (so one-question retries cannot map the answer key),
    /// but it is read from the attempts, not stored on the module, so the next module stays open.
    /// </summary>
    private async Task<IReadOnlyList<ModuleState>> StatesAsync(Guid userId, Guid courseId, CancellationToken cancellationToken)
    {
        var states = await gating.EvaluateAsync(userId, courseId, cancellationToken);
        if (!states.Any(s => s.Passed)) return states;
        var cooldown = options.Value.FailureCooldown;
        var since = time.GetUtcNow() - cooldown;
        var lastFailures = await db.QuizAttempts.AsNoTracking()
            .Where(a => a.UserId == userId && a.CourseId == courseId && a.Passed == false && a.SubmittedAt > since)
            .GroupBy(a => a.ModuleNo).Select(g => new { ModuleNo = g.Key, Last = g.Max(a => a.SubmittedAt) })
            .ToDictionaryAsync(g => g.ModuleNo, g => g.Last!.Value, cancellationToken);
        return [.. states.Select(s => s is { Passed: true, CooldownUntil: null } && lastFailures.TryGetValue(s.ModuleNo, out var last)
            ? s with { CooldownUntil = last + cooldown } : s)];
    }

    /// <summary>
    /// Module state after a graded attempt, in one upsert: a pass of the final pair passes the module (for
    /// good); a failure starts the cooldown unless the module is already passed (then <see cref="StatesAsync"/>
    /// derives its quiz's cooldown from the attempt), so practising a passed module never shuts the next one;
    /// the best score only rises. A module passed now opens the next.
    /// </summary>
    private async Task RecordModuleAsync(Guid userId, Guid courseId, int moduleNo, decimal score, bool passed, bool modulePassed,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        DateTimeOffset? passedAt = modulePassed ? now : null;
        DateTimeOffset? cooldownUntil = passed ? null : now + options.Value.FailureCooldown;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO module_progress AS m (id, user_id, course_id, module_no, passed_at, cooldown_until, best_score, updated_at)
            VALUES ({Guid.CreateVersion7()}, {userId}, {courseId}, {moduleNo}, {passedAt}, {cooldownUntil}, {score}, {now})
            ON CONFLICT (user_id, course_id, module_no) DO UPDATE SET
                passed_at = COALESCE(m.passed_at, EXCLUDED.passed_at),
                cooldown_until = CASE WHEN m.passed_at IS NOT NULL OR EXCLUDED.passed_at IS NOT NULL THEN NULL ELSE EXCLUDED.cooldown_until END,
                best_score = GREATEST(m.best_score, EXCLUDED.best_score),
                updated_at = EXCLUDED.updated_at
            """, cancellationToken);
        if (!modulePassed) return;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO module_progress AS m (id, user_id, course_id, module_no, unlocked_at, updated_at)
            SELECT {Guid.CreateVersion7()}, {userId}, {courseId}, next.module_no, {now}, {now}
            FROM (SELECT min(module_no) AS module_no FROM topics WHERE course_id = {courseId} AND module_no > {moduleNo}) AS next
            WHERE next.module_no IS NOT NULL
            ON CONFLICT (user_id, course_id, module_no) DO UPDATE SET unlocked_at = COALESCE(m.unlocked_at, EXCLUDED.unlocked_at)
            """, cancellationToken);
    }

    /// <summary>Each answer must name a question of the attempt, once, and one of that question's options.</summary>
    private static Dictionary<Guid, FrozenOption> MatchAnswers(List<FrozenQuestion> frozen, IReadOnlyList<AnswerRequest> answers)
    {
        var questions = frozen.ToDictionary(q => q.QuestionId);
        var chosen = new Dictionary<Guid, FrozenOption>();
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < answers.Count; i++)
        {
            var answer = answers[i];
            if (!questions.TryGetValue(answer.QuestionId!.Value, out var question))
                errors[$"answers[{i}].questionId"] = ["This is not a question of this attempt."];
            else if (chosen.ContainsKey(question.QuestionId))
                errors[$"answers[{i}].questionId"] = ["This question is answered more than once."];
            else if (question.Options.FirstOrDefault(o => o.OptionId == answer.OptionId) is { } option)
                chosen[question.QuestionId] = option;
            else
                errors[$"answers[{i}].optionId"] = ["This is not an option of this question."];
        }
        return errors.Count > 0 ? throw ProblemException.Validation(errors) : chosen;
    }

    /// <summary>The course for a member (active enrolment, the course's tutors, admins) and whether the caller is staff.</summary>
    private async Task<(ResolvedCourse Course, bool IsStaff, Guid UserId)> RequireMemberAsync(Caller caller, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        var isStaff = await access.RequireMemberAsync(caller, course.Id, course.IsPublished, "course", cancellationToken);
        return (course, isStaff, caller.UserId);
    }

    private static ProblemException AlreadySubmitted() =>
        ProblemException.Conflict("This attempt has already been submitted; start a new attempt to try again.", ProblemCodes.AttemptAlreadySubmitted);

    private ProblemException CoolingDown(int moduleNo, DateTimeOffset until) =>
        ProblemException.For(ProblemCodes.QuizCooldown, $"A failed attempt closed the quiz of module {moduleNo} until {until:yyyy-MM-dd HH:mm:ss} UTC.",
            until - time.GetUtcNow());
}
