using System.Net;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Features.Quizzes;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using static CoursePlatform.Testing.LearningCourse;
using static CoursePlatform.Testing.TestApp;

namespace CoursePlatform.Functions.Tests.Quizzes;

/// <summary>The quiz engine against real PostgreSQL: attempts, grading, module pass, cooldown and gating.</summary>
public sealed class QuizTests(DatabaseFixture database) : AppTest(database)
{
    private Task<StartedAttempt> Start(User user, LearningCourse course, int module, int pair, int? limit = null) =>
        app.Run<QuizService, StartedAttempt>(s => s.StartAsync(As(user), course.Course.Slug, new StartAttemptRequest(module, pair, limit), default));

    private Task<SubmittedAttempt> Submit(User user, Guid attemptId, SubmitAttemptRequest answers) =>
        app.Run<QuizService, SubmittedAttempt>(s => s.SubmitAsync(As(user), attemptId, answers, default));

    private Task<QuizSections> Sections(User user, LearningCourse course) =>
        app.Run<QuizService, QuizSections>(s => s.GetSectionsAsync(As(user), course.Course.Id.ToString(), default));

    /// <summary>Starts and submits an attempt with <paramref name="correct"/> of 5 right.</summary>
    private async Task<SubmittedAttempt> Take(User user, LearningCourse course, int module, int pair, int correct)
    {
        var attempt = await Start(user, course, module, pair);
        return await Submit(user, attempt.Id, Answers(attempt, correct));
    }

    private static async Task<ProblemException> Problem(HttpStatusCode status, Func<Task> action)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(action);
        Assert.Equal(status, problem.Status);
        return problem;
    }

    [Fact]
    public async Task An_attempt_serves_random_distinct_questions_of_its_section_and_never_says_which_option_is_correct()
    {
        var course = await CreateAsync(app, questionsPerPair: 8);
        var learner = await course.EnrolledLearnerAsync(app);

        var attempt = await Start(learner, course, 1, 2);
        var all = await Start(await app.CreateUserAsync(UserRole.Admin), course, 1, 2, limit: 20);

        Assert.Equal(QuizRules.DefaultQuestions, attempt.Questions.Count);
        Assert.Equal(8, all.Questions.Count); // a staff limit above the pool serves the whole pool
        Assert.Equal(attempt.Questions.Count, attempt.Questions.Select(q => q.Id).Distinct().Count());
        Assert.All(attempt.Questions, q => Assert.StartsWith("M1 P2 ", q.Text, StringComparison.Ordinal));
        Assert.All(attempt.Questions, q => Assert.Equal(4, q.Options.Count));
        var json = JsonSerializer.Serialize(attempt, Json.Options);
        Assert.DoesNotContain("correct", json, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("explanation", json, StringComparison.OrdinalIgnoreCase);

        // Options come shuffled: over a few attempts the right answer does not always sit where it is stored (third).
        var positions = new HashSet<int>();
        for (var i = 0; i < 10; i++)
            positions.UnionWith((await Start(learner, course, 1, 1)).Questions.Select(q => q.Options.ToList().FindIndex(o => o.Text == Right)));
        Assert.True(positions.Count > 1);
    }

    [Fact]
    public async Task A_null_answer_is_a_400_naming_it_not_a_500()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        var attempt = await Start(learner, course, 1, 1);

        var problem = await Problem(HttpStatusCode.BadRequest, () => Submit(learner, attempt.Id, new SubmitAttemptRequest([null!])));

        Assert.Equal(["answers[0]"], problem.Errors!.Keys);
    }

    [Fact]
    public async Task An_open_attempt_cannot_be_submitted_once_the_learner_lost_access_to_the_course()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        var attempt = await Start(learner, course, 1, 1);
        // A refund or a removal from the cohort ends the enrolment while the attempt is open.
        await app.Run<CoursePlatformDbContext>(db => db.Enrollments.Where(e => e.UserId == learner.Id).ExecuteDeleteAsync());

        await Problem(HttpStatusCode.Forbidden, () => Submit(learner, attempt.Id, Answers(attempt, 5)));

        Assert.False(await app.Db(db => db.QuizAttempts.AnyAsync(a => a.Id == attempt.Id && a.SubmittedAt != null)));
        Assert.False(await app.Db(db => db.ModuleProgress.AnyAsync(m => m.UserId == learner.Id)));
    }

    [Theory]
    [InlineData(13, 9, 69.23, false)]
    [InlineData(10, 7, 70.00, true)]
    [InlineData(20, 14, 70.00, true)]
    [InlineData(20, 13, 65.00, false)]
    public async Task Grading_passes_at_70_percent_and_not_below(int questions, int correct, double score, bool passed)
    {
        using var sized = new TestApp(Database, new Dictionary<string, string?> { ["Quiz:QuestionsPerAttempt"] = questions.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var course = await CreateAsync(sized, questionsPerPair: questions);
        var learner = await course.EnrolledLearnerAsync(sized);
        var attempt = await sized.Run<QuizService, StartedAttempt>(s => s.StartAsync(As(learner), course.Course.Slug, new StartAttemptRequest(1, 1, null), default));

        var result = await sized.Run<QuizService, SubmittedAttempt>(s => s.SubmitAsync(As(learner), attempt.Id, Answers(attempt, correct), default));

        Assert.Equal((decimal)score, result.Score);
        Assert.Equal(passed, result.Passed);
        Assert.Equal((correct, questions), (result.CorrectCount, result.QuestionCount));
        // The answer key only for an attempt that passed: a failure must not buy a certain pass, and even
        // "this one was wrong" would give a two-option question away.
        Assert.Equal(passed, result.AnswersRevealed);
        if (passed) Assert.Equal(correct, result.Results.Count(r => r.Correct == true));
        Assert.All(result.Results, r => Assert.Equal(passed, r.Correct is not null && r.Explanation is not null && r.CorrectOptionId is not null));
    }

    [Fact]
    public async Task Unanswered_questions_count_as_wrong()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        var attempt = await Start(learner, course, 1, 1);
        var answers = Answers(attempt, 5);

        var result = await Submit(learner, attempt.Id, new SubmitAttemptRequest([.. answers.Answers!.Take(3)]));

        Assert.Equal((60m, false), (result.Score, result.Passed));
        Assert.Null(result.Results[4].SelectedOptionId);
    }

    [Fact]
    public async Task Grading_uses_the_frozen_set_not_later_edits_of_the_questions()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        var attempt = await Start(learner, course, 1, 1);
        var ids = attempt.Questions.Select(q => q.Id).ToList();
        await app.Run<CoursePlatformDbContext>(db => db.QuizOptions.Where(o => ids.Contains(o.QuestionId))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.IsCorrect, o => !o.IsCorrect)));

        var result = await Submit(learner, attempt.Id, Answers(attempt, 5));

        Assert.Equal((100m, true), (result.Score, result.Passed));
    }

    [Fact]
    public async Task An_attempt_is_submitted_once_even_by_concurrent_requests()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        var attempt = await Start(learner, course, 1, 1);
        var answers = Answers(attempt, 5);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            try { await Submit(learner, attempt.Id, answers); return HttpStatusCode.OK; }
            catch (ProblemException e) { return e.Status; }
        }));
        await Problem(HttpStatusCode.Conflict, () => Submit(learner, attempt.Id, answers));

        Assert.Single(outcomes, s => s == HttpStatusCode.OK);
        Assert.All(outcomes.Where(s => s != HttpStatusCode.OK), s => Assert.Equal(HttpStatusCode.Conflict, s));
        Assert.Equal(1, await app.Run<CoursePlatformDbContext, int>(db => db.QuizAttempts.CountAsync(a => a.Id == attempt.Id && a.SubmittedAt != null)));
    }

    [Fact]
    public async Task Answers_must_name_questions_of_the_attempt_once_and_their_own_options()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        var attempt = await Start(learner, course, 1, 1);
        var (first, second) = (attempt.Questions[0], attempt.Questions[1]);

        var foreignOption = await Problem(HttpStatusCode.BadRequest, () => Submit(learner, attempt.Id,
            new SubmitAttemptRequest([new AnswerRequest(first.Id, second.Options[0].Id)])));
        var foreignQuestion = await Problem(HttpStatusCode.BadRequest, () => Submit(learner, attempt.Id,
            new SubmitAttemptRequest([new AnswerRequest(first.Id, first.Options[0].Id), new AnswerRequest(Guid.NewGuid(), first.Options[0].Id)])));
        var twice = await Problem(HttpStatusCode.BadRequest, () => Submit(learner, attempt.Id,
            new SubmitAttemptRequest([new AnswerRequest(first.Id, first.Options[0].Id), new AnswerRequest(first.Id, first.Options[1].Id)])));
        var missing = await Problem(HttpStatusCode.BadRequest, () => Submit(learner, attempt.Id, new SubmitAttemptRequest(null)));

        Assert.Equal(["answers[0].optionId"], foreignOption.Errors!.Keys);
        Assert.Equal(["answers[1].questionId"], foreignQuestion.Errors!.Keys);
        Assert.Equal(["answers[1].questionId"], twice.Errors!.Keys);
        Assert.Equal(["answers"], missing.Errors!.Keys);
        // None of the refused submissions used the attempt up.
        Assert.True((await Submit(learner, attempt.Id, Answers(attempt, 5))).Passed);
    }

    [Fact]
    public async Task Another_learners_attempt_is_not_found_and_stays_open()
    {
        var course = await CreateAsync(app);
        var owner = await course.EnrolledLearnerAsync(app);
        var other = await course.EnrolledLearnerAsync(app);
        var attempt = await Start(owner, course, 1, 1);

        var problem = await Problem(HttpStatusCode.NotFound, () => Submit(other, attempt.Id, Answers(attempt, 5)));
        var unknown = await Problem(HttpStatusCode.NotFound, () => Submit(other, Guid.NewGuid(), Answers(attempt, 5)));

        Assert.Equal(unknown.Detail, problem.Detail); // the same answer as for an attempt that does not exist
        Assert.True((await Submit(owner, attempt.Id, Answers(attempt, 5))).Passed);
    }

    [Fact]
    public async Task Passing_a_non_final_pair_does_not_pass_the_module_and_passing_the_final_pair_does()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);

        var pair1 = await Take(learner, course, 1, 1, correct: 5);
        var pair2 = await Take(learner, course, 1, 2, correct: 4);

        Assert.True(pair1.Passed);
        Assert.False(pair1.FinalPair);
        Assert.False(pair1.Module.Passed);
        Assert.False(pair1.NextModule!.Unlocked);
        Assert.True(pair2.FinalPair);
        Assert.True(pair2.Module.Passed);
        Assert.True(pair2.NextModule!.Unlocked);
        var progress = await app.Run<CoursePlatformDbContext, List<ModuleProgress>>(db =>
            db.ModuleProgress.AsNoTracking().Where(m => m.UserId == learner.Id).OrderBy(m => m.ModuleNo).ToListAsync());
        Assert.Equal(100m, progress[0].BestScore);
        Assert.Equal(app.Clock.GetUtcNow(), progress[0].PassedAt);
        Assert.Equal(app.Clock.GetUtcNow(), progress[1].UnlockedAt); // the next module records when it opened
        Assert.Equal(QuizRules.DefaultQuestions, (await Start(learner, course, 2, 1)).Questions.Count);
    }

    [Fact]
    public async Task A_failure_closes_the_module_for_the_cooldown_and_then_it_opens_again()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        var open = await Start(learner, course, 1, 2); // started before the failure

        var failed = await Take(learner, course, 1, 1, correct: 3);
        var until = app.Clock.GetUtcNow() + TimeSpan.FromDays(7);

        Assert.False(failed.Passed);
        Assert.Equal(until, failed.Module.CooldownUntil);
        var cooling = await Problem(HttpStatusCode.Conflict, () => Start(learner, course, 1, 2));
        Assert.Equal(((int)TimeSpan.FromDays(7).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), cooling.Headers["Retry-After"]);
        await Problem(HttpStatusCode.Conflict, () => Submit(learner, open.Id, Answers(open, 5)));
        var sections = await Sections(learner, course);
        Assert.All(sections.Modules[0].Sections, s => Assert.False(s.Available));
        Assert.Equal(until, sections.Modules[0].State.CooldownUntil);

        app.Clock.Advance(TimeSpan.FromDays(7) - TimeSpan.FromSeconds(1));
        await Problem(HttpStatusCode.Conflict, () => Start(learner, course, 1, 1));
        app.Clock.Advance(TimeSpan.FromSeconds(2));

        // The early attempt ran out of time long ago; a new one is taken.
        var expired = await Problem(HttpStatusCode.Conflict, () => Submit(learner, open.Id, Answers(open, 5)));
        Assert.Contains("expired", expired.Detail, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.AttemptExpired, expired.Code);
        Assert.True((await Sections(learner, course)).Modules[0].Sections.All(s => s.Available));
        Assert.True((await Take(learner, course, 1, 2, correct: 5)).Module.Passed);
    }

    [Fact]
    public async Task The_cooldown_length_comes_from_the_setting()
    {
        using var quick = new TestApp(Database, new Dictionary<string, string?> { ["Quiz:FailureCooldown"] = "00:30:00" });
        var course = await CreateAsync(quick);
        var learner = await course.EnrolledLearnerAsync(quick);
        var attempt = await quick.Run<QuizService, StartedAttempt>(s => s.StartAsync(As(learner), course.Course.Slug, new StartAttemptRequest(1, 1, null), default));

        var failed = await quick.Run<QuizService, SubmittedAttempt>(s => s.SubmitAsync(As(learner), attempt.Id, Answers(attempt, 0), default));

        Assert.Equal(quick.Clock.GetUtcNow().AddMinutes(30), failed.Module.CooldownUntil);
    }

    [Fact]
    public async Task An_attempt_must_be_submitted_within_the_time_limit()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        var attempt = await Start(learner, course, 1, 1);
        Assert.Equal(attempt.StartedAt + TimeSpan.FromMinutes(10), attempt.ExpiresAt);

        app.Clock.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        var late = await Problem(HttpStatusCode.Conflict, () => Submit(learner, attempt.Id, Answers(attempt, 5)));
        Assert.Contains("expired", late.Detail, StringComparison.Ordinal);
        // Nothing was graded: no pass, no cooldown.
        Assert.Null((await Sections(learner, course)).Modules[0].State.CooldownUntil);
        Assert.False((await Sections(learner, course)).Modules[0].Sections[0].Passed);
    }

    [Fact]
    public async Task Starting_a_section_again_abandons_the_open_attempt_so_open_attempts_never_pile_up()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        var first = await Start(learner, course, 1, 1);
        var other = await Start(learner, course, 1, 2);
        var second = await Start(learner, course, 1, 1);

        await Problem(HttpStatusCode.NotFound, () => Submit(learner, first.Id, Answers(first, 5)));
        var open = await app.Run<CoursePlatformDbContext, List<Guid>>(db =>
            db.QuizAttempts.Where(a => a.UserId == learner.Id && a.SubmittedAt == null).Select(a => a.Id).ToListAsync());
        Assert.Equal([other.Id, second.Id], open.Order());
        Assert.True((await Submit(learner, second.Id, Answers(second, 5))).Passed);
    }

    [Fact]
    public async Task Parallel_starts_of_one_section_leave_exactly_one_open_attempt()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ =>
        {
            try { await Start(learner, course, 1, 1); }
            catch (ProblemException ex) when (ex.Status == HttpStatusCode.Conflict) { } // lost the race: told so
        }));

        Assert.Equal(1, await app.Run<CoursePlatformDbContext, int>(db => db.QuizAttempts.CountAsync(a => a.UserId == learner.Id && a.SubmittedAt == null)));
    }

    [Theory]
    [InlineData("always", false, true)]
    [InlineData("never", true, false)]
    [InlineData("passed", false, false)]
    [InlineData("passed", true, true)]
    public async Task The_answer_key_is_shown_as_the_setting_says(string reveal, bool pass, bool shown)
    {
        using var configured = new TestApp(Database, new Dictionary<string, string?> { ["Quiz:RevealAnswers"] = reveal, ["Quiz:QuestionsPerAttempt"] = "20" });
        var course = await CreateAsync(configured);
        var learner = await course.EnrolledLearnerAsync(configured);
        var attempt = await configured.Run<QuizService, StartedAttempt>(s => s.StartAsync(As(learner), course.Course.Slug, new StartAttemptRequest(1, 1, null), default));
        Assert.Equal(6, attempt.Questions.Count); // the whole pool of the pair

        var result = await configured.Run<QuizService, SubmittedAttempt>(s => s.SubmitAsync(As(learner), attempt.Id, Answers(attempt, pass ? 6 : 0), default));

        Assert.Equal(shown, result.AnswersRevealed);
        Assert.All(result.Results, r => Assert.Equal(shown, r.CorrectOptionId is not null));
        Assert.All(result.Results, r => Assert.Equal(shown, r.Explanation is not null));
    }

    [Fact]
    public async Task A_failure_after_the_module_is_passed_closes_its_quiz_for_the_cooldown_but_keeps_the_next_module_open()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);
        await Take(learner, course, 1, 2, correct: 5);
        var open = await Start(learner, course, 1, 2); // a practice attempt opened before the failure

        var practice = await Take(learner, course, 1, 1, correct: 0);
        var until = app.Clock.GetUtcNow() + TimeSpan.FromDays(7);

        Assert.False(practice.Passed);
        Assert.True(practice.Module.Passed);
        Assert.Equal(until, practice.Module.CooldownUntil);
        Assert.True(practice.NextModule!.Unlocked);
        // Practice is throttled like any failure: no new attempt, and no submit of one opened earlier, until it ends.
        var cooling = await Problem(HttpStatusCode.Conflict, () => Start(learner, course, 1, 1));
        Assert.Equal(ProblemCodes.QuizCooldown, cooling.Code);
        Assert.Equal(((int)TimeSpan.FromDays(7).TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture), cooling.Headers["Retry-After"]);
        await Problem(HttpStatusCode.Conflict, () => Submit(learner, open.Id, Answers(open, 5)));
        var sections = await Sections(learner, course);
        Assert.All(sections.Modules[0].Sections, s => Assert.False(s.Available));
        Assert.Equal(until, sections.Modules[0].State.CooldownUntil);
        Assert.True(sections.Modules[1].State.Unlocked);
        Assert.All(sections.Modules[1].Sections, s => Assert.True(s.Available));
        Assert.NotNull(await Start(learner, course, 2, 1));

        app.Clock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));
        Assert.True((await Take(learner, course, 1, 1, correct: 5)).Passed);
    }

    [Fact]
    public async Task A_learner_cannot_choose_a_short_attempt_so_one_right_answer_never_passes()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);

        var attempt = await Start(learner, course, 1, 2, limit: 1); // the final pair: a pass would open module 2
        var result = await Submit(learner, attempt.Id, Answers(attempt, 1));

        Assert.Equal(QuizRules.DefaultQuestions, attempt.Questions.Count);
        Assert.False(result.Passed);
        Assert.False(result.Module.Passed);
        Assert.False(result.NextModule!.Unlocked);
        Assert.Equal(QuizRules.DefaultQuestions, result.QuestionCount);
    }

    [Fact]
    public async Task The_server_sets_the_length_the_whole_pool_when_it_is_smaller_and_only_staff_may_override_it()
    {
        using var sized = new TestApp(Database, new Dictionary<string, string?> { ["Quiz:QuestionsPerAttempt"] = "8" });
        var course = await CreateAsync(sized, questionsPerPair: 10);
        var small = await CreateAsync(sized, questionsPerPair: 3);
        var learner = await course.EnrolledLearnerAsync(sized);
        var smallLearner = await small.EnrolledLearnerAsync(sized);
        var admin = await sized.CreateUserAsync(UserRole.Admin);
        Task<StartedAttempt> StartIn(LearningCourse c, User user, int? limit) =>
            sized.Run<QuizService, StartedAttempt>(s => s.StartAsync(As(user), c.Course.Slug, new StartAttemptRequest(1, 1, limit), default));

        Assert.Equal(8, (await StartIn(course, learner, null)).Questions.Count);
        Assert.Equal(8, (await StartIn(course, learner, 1)).Questions.Count);   // a learner's limit is ignored
        Assert.Equal(8, (await StartIn(course, learner, 20)).Questions.Count);
        Assert.Equal(3, (await StartIn(small, smallLearner, 1)).Questions.Count); // a pool smaller than the size is served whole
        Assert.Single((await StartIn(course, admin, 1)).Questions); // staff reviewing the quiz may choose
        Assert.Equal(10, (await StartIn(course, admin, 20)).Questions.Count);
    }

    [Theory]
    [InlineData("4")]
    [InlineData("21")]
    public void The_attempt_size_setting_is_at_least_5_and_at_most_20(string size)
    {
        using var configured = new TestApp(Database, new Dictionary<string, string?> { ["Quiz:QuestionsPerAttempt"] = size });
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => configured.Get<Microsoft.Extensions.Options.IOptions<QuizOptions>>().Value);
        Assert.Contains("QuestionsPerAttempt", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Module_2_stays_locked_until_module_1_is_passed()
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);

        var locked = await Problem(HttpStatusCode.Forbidden, () => Start(learner, course, 2, 1));
        var before = await Sections(learner, course);
        await Take(learner, course, 1, 2, correct: 5);
        var after = await Sections(learner, course);

        Assert.Contains("module 1", locked.Detail, StringComparison.Ordinal);
        Assert.Equal(LockReason.PreviousModuleNotPassed, before.Modules[1].State.LockReason);
        Assert.All(before.Modules[1].Sections, s => Assert.False(s.Available));
        Assert.True(after.Modules[1].State.Unlocked);
        Assert.All(after.Modules[1].Sections, s => Assert.True(s.Available));
        Assert.NotNull(await Start(learner, course, 2, 1));
    }

    [Fact]
    public async Task Sections_pair_the_topics_and_report_counts_best_scores_and_attempts()
    {
        var course = await CreateAsync(app, modules: 1, topicsPerModule: 3, questionsPerPair: 6);
        var learner = await course.EnrolledLearnerAsync(app);
        await Take(learner, course, 1, 1, correct: 2);
        app.Clock.Advance(TimeSpan.FromDays(8));
        await Take(learner, course, 1, 1, correct: 4);

        var sections = (await Sections(learner, course)).Modules.Single().Sections;

        Assert.Equal([1, 2], sections.Select(s => s.TopicPairIndex));
        Assert.Equal([[1, 2], [3]], sections.Select(s => s.Topics.Select(t => t.TopicNumber)));
        Assert.Equal([false, true], sections.Select(s => s.FinalPair));
        Assert.Equal([6, 6], sections.Select(s => s.QuestionCount));
        Assert.Equal((2, 80m, true), (sections[0].Attempts, sections[0].BestScore, sections[0].Passed));
        Assert.Equal((0, (decimal?)null, false), (sections[1].Attempts, sections[1].BestScore, sections[1].Passed));
    }

    [Fact]
    public async Task A_pair_without_questions_makes_its_module_misconfigured_not_a_lock_forever()
    {
        var course = await CreateAsync(app, modules: 3, topicsPerModule: 4, questionsPerPair: 0);
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            AddQuestions(db, course.Course, 1, 1, 5, app.Clock.GetUtcNow()); // module 1: pair 2 has none
            for (var module = 2; module <= 3; module++)
                for (var pair = 1; pair <= 2; pair++) AddQuestions(db, course.Course, module, pair, 5, app.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        });
        var learner = await course.EnrolledLearnerAsync(app);

        var sections = await Sections(learner, course);
        var empty = await Problem(HttpStatusCode.Conflict, () => Start(learner, course, 1, 2));

        Assert.True(sections.Modules[0].State.Misconfigured);
        Assert.Equal([true, false], sections.Modules[0].Sections.Select(s => s.Available));
        Assert.True(sections.Modules[1].State.Unlocked);
        Assert.False(sections.Modules[2].State.Unlocked);
        Assert.Contains("no questions", empty.Detail, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.QuizSectionEmpty, empty.Code);
    }

    [Fact]
    public async Task Only_members_take_quizzes_and_staff_may_open_any_module()
    {
        var course = await CreateAsync(app);
        var stranger = await app.CreateUserAsync();
        var pending = await course.EnrolledLearnerAsync(app, EnrollmentStatus.PendingPayment);
        var admin = await app.CreateUserAsync(UserRole.Admin);

        await Problem(HttpStatusCode.Forbidden, () => Start(stranger, course, 1, 1));
        await Problem(HttpStatusCode.Forbidden, () => Start(pending, course, 1, 1));
        await Problem(HttpStatusCode.Forbidden, () => Sections(stranger, course));
        Assert.Equal(5, (await Start(admin, course, 2, 2)).Questions.Count);
    }

    [Theory]
    [InlineData(0, 1, null, "moduleNo")]
    [InlineData(1, 0, null, "topicPairIndex")]
    [InlineData(1, 1, 21, "limit")]
    [InlineData(1, 1, 0, "limit")]
    public async Task Attempt_requests_are_validated(int module, int pair, int? limit, string field)
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);

        var problem = await Problem(HttpStatusCode.BadRequest, () => Start(learner, course, module, pair, limit));

        Assert.Equal([field], problem.Errors!.Keys);
    }

    [Theory]
    [InlineData(3, 1, "module")]
    [InlineData(1, 3, "quiz section")]
    public async Task A_module_or_pair_the_course_does_not_have_is_not_found(int module, int pair, string what)
    {
        var course = await CreateAsync(app);
        var learner = await course.EnrolledLearnerAsync(app);

        var problem = await Problem(HttpStatusCode.NotFound, () => Start(learner, course, module, pair));

        Assert.Contains(what, problem.Detail, StringComparison.Ordinal);
    }
}
