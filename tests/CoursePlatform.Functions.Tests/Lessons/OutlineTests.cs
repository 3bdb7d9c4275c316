using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Lessons;

public sealed class OutlineTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly TestApp app = new(database);

    public void Dispose() => app.Dispose();

    [Fact]
    public async Task The_outline_carries_the_callers_own_progress_and_module_locks()
    {
        var now = app.Clock.GetUtcNow();
        var learner = await app.CreateUserAsync();
        var other = await app.CreateUserAsync();
        var course = Build.Course(now, name: "O", modules: 2);
        var topics = Enumerable.Range(0, 4).Select(i => Build.Topic(course, now, i / 2 + 1, i % 2 + 1, $"T{i}")).ToList();
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.Topics.AddRange(topics);
            foreach (var module in Enumerable.Range(1, 2))
                db.QuizQuestions.Add(Build.QuizQuestion(course.Id, module, 1, "q", "yes", ["no"], now));
            db.TopicProgress.Add(new TopicProgress { UserId = learner.Id, Topic = topics[0], Status = ProgressStatus.Completed, Progress = 1, CompletedAt = now, UpdatedAt = now });
            db.TopicProgress.Add(new TopicProgress { UserId = other.Id, Topic = topics[1], Status = ProgressStatus.InProgress, Progress = 0.5, UpdatedAt = now });
            await db.SaveChangesAsync();
        });

        var mine = await app.Run<OutlineService, CourseOutline>(s => s.GetAsync(course.Slug, new Caller(learner.Id, Guid.NewGuid(), UserRole.Learner), default));
        var anonymous = await app.Run<OutlineService, CourseOutline>(s => s.GetAsync(course.Slug, null, default));

        Assert.Equal([1, 2], mine.Modules.Select(m => m.ModuleNo));
        Assert.Equal(ProgressStatus.Completed, mine.Modules[0].Topics[0].Progress!.Status);
        Assert.Null(mine.Modules[0].Topics[1].Progress); // another learner's progress never shows
        Assert.Equal([true, false], mine.Modules.Select(m => m.State!.Unlocked));
        Assert.Equal(LockReason.PreviousModuleNotPassed, mine.Modules[1].State!.LockReason);
        Assert.All(anonymous.Modules, m => Assert.Null(m.State));
        Assert.All(anonymous.Modules.SelectMany(m => m.Topics), t => Assert.Null(t.Progress));
    }
}
