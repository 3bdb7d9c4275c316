using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Lessons;

public sealed class OutlineTests(DatabaseFixture database) : AppTest(database)
{
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

    [Fact]
    public async Task The_outlines_module_locks_are_the_gating_rules_ungradable_questions_and_stray_pairs_included()
    {
        var now = app.Clock.GetUtcNow();
        var learner = await app.CreateUserAsync();
        var course = Build.Course(now, modules: 4);
        // Modules of 3, 4, 2 and 1 topics: 2, 2, 1 and 1 pairs.
        int[] sizes = [3, 4, 2, 1];
        var topics = sizes.SelectMany((count, m) => Enumerable.Range(1, count).Select(n => Build.Topic(course, now, m + 1, n))).ToList();
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.Topics.AddRange(topics);
            db.QuizQuestions.AddRange(
                Build.QuizQuestion(course.Id, 1, 1, "gradable", "yes", ["no"], now),
                Build.QuizQuestion(course.Id, 1, 2, "one option only", "yes", [], now),
                Build.QuizQuestion(course.Id, 2, 1, "gradable", "yes", ["no"], now),
                Build.QuizQuestion(course.Id, 2, 2, "gradable", "yes", ["no", "maybe"], now),
                Build.QuizQuestion(course.Id, 2, 3, "a pair the module does not have", "yes", ["no"], now),
                Build.QuizQuestion(course.Id, 3, 1, "gradable", "yes", ["no"], now),
                Build.QuizQuestion(course.Id, 4, 2, "a pair the module does not have", "yes", ["no"], now));
            var noneCorrect = Build.QuizQuestion(course.Id, 4, 1, "no correct option", "yes", ["no"], now);
            noneCorrect.Options.ForEach(o => o.IsCorrect = false);
            db.QuizQuestions.Add(noneCorrect);
            db.ModuleProgress.AddRange(
                new ModuleProgress { UserId = learner.Id, CourseId = course.Id, ModuleNo = 2, PassedAt = now.AddDays(-1), UpdatedAt = now },
                new ModuleProgress { UserId = learner.Id, CourseId = course.Id, ModuleNo = 3, CooldownUntil = now.AddHours(1), UpdatedAt = now });
            await db.SaveChangesAsync();
        });

        var caller = new Caller(learner.Id, Guid.NewGuid(), UserRole.Learner);
        var outline = await app.Run<OutlineService, CourseOutline>(s => s.GetAsync(course.Id.ToString(), caller, default));
        var gating = await app.Run<ModuleGatingService, IReadOnlyList<ModuleState>>(s => s.EvaluateAsync(learner.Id, course.Id, default));

        Assert.Equal(sizes, outline.Modules.Select(m => m.Topics.Count));
        Assert.Equal(gating, outline.Modules.Select(m => m.State!));
        Assert.Equal([true, false, false, true], outline.Modules.Select(m => m.State!.Misconfigured));
        Assert.Equal([true, true, true, false], outline.Modules.Select(m => m.State!.Unlocked)); // module 3 is not passed yet
        Assert.Equal(now.AddHours(1), outline.Modules[2].State!.CooldownUntil);
    }

    [Fact]
    public async Task An_unpublished_outline_is_for_its_tutors_and_admins_and_an_unknown_course_is_404()
    {
        var now = app.Clock.GetUtcNow();
        var course = Build.Course(now, published: false);
        var tutor = await app.CreateUserAsync(UserRole.Tutor);
        var other = await app.CreateUserAsync(UserRole.Tutor);
        var admin = await app.CreateUserAsync(UserRole.Admin);
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.Topics.Add(Build.Topic(course, now));
            var profile = new Tutor { UserId = tutor.Id, CreatedAt = now };
            db.CourseTutors.Add(new CourseTutor { Course = course, Tutor = profile });
            await db.SaveChangesAsync();
        });

        Task<CourseOutline> Outline(string key, User? user) =>
            app.Run<OutlineService, CourseOutline>(s => s.GetAsync(key, user is null ? null : TestApp.As(user), default));

        Assert.Equal(course.Id, (await Outline(course.Slug.ToUpperInvariant(), tutor)).Id);
        Assert.Single((await Outline(course.Slug, admin)).Modules);
        foreach (var user in new[] { other, null })
            Assert.Equal(System.Net.HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => Outline(course.Slug, user))).Status);
        Assert.Equal(System.Net.HttpStatusCode.NotFound,
            (await Assert.ThrowsAsync<ProblemException>(() => Outline(Guid.NewGuid().ToString(), admin))).Status);
    }
}
