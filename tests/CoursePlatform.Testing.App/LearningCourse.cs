using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Features.Quizzes;

namespace CoursePlatform.Testing;

/// <summary>
/// A published course of <c>modules</c> x <c>topicsPerModule</c> topics whose every quiz pair holds
/// <c>questionsPerPair</c> questions of four options; the correct one reads "right".
/// </summary>
public sealed record LearningCourse(Course Course, IReadOnlyList<Topic> Topics)
{
    public const string Right = "right";

    public static Task<LearningCourse> CreateAsync(TestApp app, int modules = 2, int topicsPerModule = 4, int questionsPerPair = 6) =>
        CreateAsync(app.Run<CoursePlatformDbContext>, app.Clock.GetUtcNow(), modules, topicsPerModule, questionsPerPair);

    /// <param name="withDb">Runs its argument with a fresh context (the test app's scope, or a hosted app's database).</param>
    public static async Task<LearningCourse> CreateAsync(Func<Func<CoursePlatformDbContext, Task>, Task> withDb, DateTimeOffset now,
        int modules = 2, int topicsPerModule = 4, int questionsPerPair = 6)
    {
        var course = Build.Course(now, name: "Quiz course", modules: modules);
        var topics = new List<Topic>();
        await withDb(async db =>
        {
            for (var module = 1; module <= modules; module++)
                for (var number = 1; number <= topicsPerModule; number++)
                    topics.Add(Build.Topic(course, now, module, number, $"M{module}T{number}"));
            db.Topics.AddRange(topics);
            await db.SaveChangesAsync();
            for (var module = 1; module <= modules; module++)
                for (var pair = 1; pair <= TopicPairs.Of(topicsPerModule); pair++)
                    AddQuestions(db, course, module, pair, questionsPerPair, now);
            await db.SaveChangesAsync();
        });
        return new LearningCourse(course, topics);
    }

    public static void AddQuestions(CoursePlatformDbContext db, Course course, int module, int pair, int count, DateTimeOffset now)
    {
        for (var i = 1; i <= count; i++)
        {
            db.QuizQuestions.Add(Build.QuizQuestion(course.Id, module, pair, $"M{module} P{pair} Q{i}?", Right, ["wrong 0", "wrong 1", "wrong 3"], now,
                correctAt: 2, explanation: $"Because {i}."));
        }
    }

    public async Task<User> EnrolledLearnerAsync(TestApp app, EnrollmentStatus status = EnrollmentStatus.Active)
    {
        var learner = await app.CreateUserAsync();
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.Enrollments.Add(Build.Enrollment(learner.Id, Course.Id, app.Clock.GetUtcNow(), status));
            await db.SaveChangesAsync();
        });
        return learner;
    }

    /// <summary>Answers the first <paramref name="correct"/> questions right and the rest wrong.</summary>
    public static SubmitAttemptRequest Answers(StartedAttempt attempt, int correct) =>
        new([.. attempt.Questions.Select((q, i) => new AnswerRequest(q.Id,
            q.Options.First(o => (o.Text == Right) == (i < correct)).Id))]);
}
