using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using static CoursePlatform.Testing.LearningCourse;
using static CoursePlatform.Testing.TestApp;

namespace CoursePlatform.Functions.Tests.Progress;

public sealed class TopicProgressTests(DatabaseFixture database) : AppTest(database)
{
    private Task<TopicProgressState> Put(User user, Topic topic, ProgressStatus? status, double? progress = null) =>
        app.Run<TopicProgressService, TopicProgressState>(s => s.UpdateAsync(As(user), topic.Id, new TopicProgressRequest(status, progress), default));

    private Task<CourseProgress> Get(User user, LearningCourse course) =>
        app.Run<TopicProgressService, CourseProgress>(s => s.GetCourseAsync(As(user), course.Course.Slug, default));

    [Theory]
    [InlineData(1.7, 1.0)]
    [InlineData(-0.3, 0.0)]
    [InlineData(0.25, 0.25)]
    public async Task The_fraction_is_clamped_to_0_to_1(double sent, double stored)
    {
        var course = await CreateAsync(app, modules: 1);
        var learner = await course.EnrolledLearnerAsync(app);

        var state = await Put(learner, course.Topics[0], ProgressStatus.InProgress, sent);

        Assert.Equal(stored, state.Progress);
        Assert.Equal(stored, (await Get(learner, course)).Modules[0].Topics[0].Progress);
    }

    [Theory]
    [InlineData(ProgressStatus.Completed, 0.2, 1.0)]
    [InlineData(ProgressStatus.NotStarted, 0.6, 0.0)]
    public async Task The_status_decides_the_fraction_at_its_ends(ProgressStatus status, double sent, double stored)
    {
        var course = await CreateAsync(app, modules: 1);
        var learner = await course.EnrolledLearnerAsync(app);

        var state = await Put(learner, course.Topics[0], status, sent);

        Assert.Equal((status, stored), (state.Status, state.Progress));
        Assert.Equal(stored, (await Get(learner, course)).Modules[0].Topics[0].Progress);
    }

    [Fact]
    public async Task Completed_at_is_set_once_and_kept_on_later_updates()
    {
        var course = await CreateAsync(app, modules: 1);
        var learner = await course.EnrolledLearnerAsync(app);
        var topic = course.Topics[0];

        var started = await Put(learner, topic, ProgressStatus.InProgress, 0.4);
        var kept = await Put(learner, topic, ProgressStatus.InProgress); // no fraction: the stored one stays
        var completed = await Put(learner, topic, ProgressStatus.Completed);
        var completedAt = app.Clock.GetUtcNow();
        app.Clock.Advance(TimeSpan.FromDays(1));
        var reopened = await Put(learner, topic, ProgressStatus.InProgress, 0.5);
        var again = await Put(learner, topic, ProgressStatus.Completed);

        Assert.Null(started.CompletedAt);
        Assert.Equal(0.4, kept.Progress);
        Assert.Equal((1.0, completedAt), (completed.Progress, completed.CompletedAt));
        Assert.Equal((ProgressStatus.InProgress, completedAt), (reopened.Status, reopened.CompletedAt));
        Assert.Equal(completedAt, again.CompletedAt);
        Assert.Equal(app.Clock.GetUtcNow(), again.UpdatedAt);
        Assert.Equal(1, await app.Run<CoursePlatformDbContext, int>(db => Task.FromResult(db.TopicProgress.Count(p => p.UserId == learner.Id))));
    }

    [Fact]
    public async Task Course_progress_is_the_callers_own_with_module_states()
    {
        var course = await CreateAsync(app, modules: 2, topicsPerModule: 2);
        var learner = await course.EnrolledLearnerAsync(app);
        var other = await course.EnrolledLearnerAsync(app);
        await Put(other, course.Topics[0], ProgressStatus.Completed);
        await Put(other, course.Topics[1], ProgressStatus.InProgress, 0.9);
        await Put(learner, course.Topics[2], ProgressStatus.Completed);

        var mine = await Get(learner, course);

        Assert.Equal((1, 4, 25.0), (mine.TopicsCompleted, mine.TopicsTotal, mine.Percent));
        Assert.Equal([ProgressStatus.NotStarted, ProgressStatus.NotStarted], mine.Modules[0].Topics.Select(t => t.Status));
        Assert.Equal([0.0, 0.0], mine.Modules[0].Topics.Select(t => t.Progress));
        Assert.Equal(ProgressStatus.Completed, mine.Modules[1].Topics[0].Status);
        Assert.Equal((1, 2), (mine.Modules[1].TopicsCompleted, mine.Modules[1].TopicsTotal));
        Assert.Equal([true, false], mine.Modules.Select(m => m.State.Unlocked));
    }

    [Fact]
    public async Task Only_members_record_progress_and_bad_requests_are_refused()
    {
        var course = await CreateAsync(app, modules: 1);
        var stranger = await app.CreateUserAsync();
        var pending = await course.EnrolledLearnerAsync(app, EnrollmentStatus.PendingPayment);
        var learner = await course.EnrolledLearnerAsync(app);

        await Assert.ThrowsAsync<ProblemException>(() => Put(stranger, course.Topics[0], ProgressStatus.Completed));
        var forbidden = await Assert.ThrowsAsync<ProblemException>(() => Put(pending, course.Topics[0], ProgressStatus.Completed));
        var readForbidden = await Assert.ThrowsAsync<ProblemException>(() => Get(stranger, course));
        var missing = await Assert.ThrowsAsync<ProblemException>(() => Put(learner, course.Topics[0], null));
        var unknown = await Assert.ThrowsAsync<ProblemException>(() =>
            app.Run<TopicProgressService, TopicProgressState>(s => s.UpdateAsync(As(learner), Guid.NewGuid(), new TopicProgressRequest(ProgressStatus.Completed, null), default)));

        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);
        Assert.Equal(HttpStatusCode.Forbidden, readForbidden.Status);
        Assert.Equal((HttpStatusCode.BadRequest, "status"), (missing.Status, missing.Errors!.Keys.Single()));
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal(0, await app.Run<CoursePlatformDbContext, int>(db => Task.FromResult(db.TopicProgress.Count(p => p.TopicId == course.Topics[0].Id))));
    }

    [Fact]
    public async Task Concurrent_updates_of_one_topic_leave_one_row()
    {
        var course = await CreateAsync(app, modules: 1);
        var learner = await course.EnrolledLearnerAsync(app);

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Put(learner, course.Topics[0], i % 2 == 0 ? ProgressStatus.InProgress : ProgressStatus.Completed, i / 10.0)));

        var row = await app.Run<CoursePlatformDbContext, TopicProgress>(db => Task.FromResult(db.TopicProgress.Single(p => p.UserId == learner.Id)));
        Assert.NotNull(row.CompletedAt);
    }
}
