using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Features.Tutors;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using static CoursePlatform.Testing.TestApp;

namespace CoursePlatform.Functions.Tests.Tutors;

/// <summary>Staffing and the tutor views: assignment rules, the roster's facts, and who may see them.</summary>
public sealed class TutorViewTests(DatabaseFixture database) : AppTest(database)
{
    private async Task<(User User, Tutor Profile)> TutorAsync()
    {
        var user = await app.CreateUserAsync(UserRole.Tutor);
        var profile = new Tutor { UserId = user.Id, CreatedAt = app.Clock.GetUtcNow() };
        await app.Db(db => { db.Tutors.Add(profile); return db.SaveChangesAsync(); });
        return (user, profile);
    }

    private Task<PagedList<RosterEntryDto>> Roster(User caller, LearningCourse course, RosterSort sort = RosterSort.Name, bool descending = false) =>
        app.Run<TutorViewService, PagedList<RosterEntryDto>>(s => s.RosterAsync(As(caller), course.Course.Slug, sort, descending, new PageRequest(1, 20), default));

    private static async Task<ProblemException> Problem(HttpStatusCode status, Func<Task> action)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(action);
        Assert.Equal(status, problem.Status);
        return problem;
    }

    [Fact]
    public async Task Assigning_twice_keeps_one_assignment_and_unassigning_is_idempotent()
    {
        var course = await LearningCourse.CreateAsync(app);
        var (user, profile) = await TutorAsync();

        var (first, created) = await app.Run<StaffingService, (StaffingDto, bool)>(s => s.AssignAsync(course.Course.Slug, profile.Id, default));
        var (again, createdAgain) = await app.Run<StaffingService, (StaffingDto, bool)>(s => s.AssignAsync(course.Course.Id.ToString(), profile.Id, default));

        Assert.Equal((true, false), (created, createdAgain));
        Assert.Equal((first.AssignedAt, user.Id), (again.AssignedAt, again.UserId));
        Assert.Equal(1, await app.Db(db => db.CourseTutors.CountAsync(ct => ct.TutorId == profile.Id)));
        Assert.Equal([course.Course.Id], (await app.Run<TutorViewService, IReadOnlyList<TaughtCourseDto>>(s => s.CoursesAsync(As(user), default))).Select(c => c.Id));

        await app.Run<StaffingService>(s => s.UnassignAsync(course.Course.Slug, profile.Id, default));
        await app.Run<StaffingService>(s => s.UnassignAsync(course.Course.Slug, profile.Id, default));
        Assert.Empty(await app.Run<TutorViewService, IReadOnlyList<TaughtCourseDto>>(s => s.CoursesAsync(As(user), default)));
        await Problem(HttpStatusCode.NotFound, () => app.Run<StaffingService, (StaffingDto, bool)>(s => s.AssignAsync(course.Course.Slug, Guid.NewGuid(), default)));
    }

    [Fact]
    public async Task An_unassigned_tutor_gets_403_on_a_roster_an_admin_passes_and_learners_have_no_tutor_views()
    {
        var course = await LearningCourse.CreateAsync(app);
        var (stranger, _) = await TutorAsync();
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var learner = await course.EnrolledLearnerAsync(app);

        await Problem(HttpStatusCode.Forbidden, () => Roster(stranger, course));
        await Problem(HttpStatusCode.Forbidden, () => Roster(learner, course));
        // Learners never reach the tutor views: the functions declare the course's staff.
        Assert.Equal(Callers.CourseStaff, AuthorizationMiddleware.DeclarationOf($"{typeof(TutorFunctions).FullName}.{nameof(TutorFunctions.Courses)}"));
        Assert.Single((await Roster(admin, course)).Items);
        Assert.Contains(course.Course.Id, (await app.Run<TutorViewService, IReadOnlyList<TaughtCourseDto>>(s => s.CoursesAsync(As(admin), default))).Select(c => c.Id));
    }

    [Fact]
    public async Task The_roster_shows_progress_written_through_the_progress_service_with_cohort_cooldowns_and_sorting()
    {
        var course = await LearningCourse.CreateAsync(app);
        var (user, profile) = await TutorAsync();
        await app.Run<StaffingService, (StaffingDto, bool)>(s => s.AssignAsync(course.Course.Slug, profile.Id, default));
        var ana = await course.EnrolledLearnerAsync(app);
        var ben = await course.EnrolledLearnerAsync(app);
        var cohort = await app.CohortAsync(course.Course, members: (ben.Email, 2));
        await app.Db(async db =>
        {
            await db.CohortMembers.Where(m => m.CohortId == cohort.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.UserId, ben.Id));
            await db.Enrollments.Where(e => e.UserId == ben.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.CohortId, cohort.Id));
            return 0;
        });

        app.Clock.Advance(TimeSpan.FromMinutes(5));
        foreach (var topic in course.Topics.Take(2))
            await app.Run<TopicProgressService, TopicProgressState>(s => s.UpdateAsync(As(ana), topic.Id, new TopicProgressRequest(ProgressStatus.Completed, null), default));
        await app.Db(db =>
        {
            db.ModuleProgress.Add(new ModuleProgress { UserId = ben.Id, CourseId = course.Course.Id, ModuleNo = 1, CooldownUntil = app.Clock.GetUtcNow().AddDays(3), UpdatedAt = app.Clock.GetUtcNow() });
            return db.SaveChangesAsync();
        });

        var byProgress = await Roster(user, course, RosterSort.Progress, descending: true);
        Assert.Equal([ana.Id, ben.Id], byProgress.Items.Select(r => r.Id));
        var anaRow = byProgress.Items[0];
        Assert.Equal((2, course.Topics.Count, app.Clock.GetUtcNow()), (anaRow.TopicsCompleted, anaRow.TopicsTotal, anaRow.LastActivityAt));
        var benRow = byProgress.Items[1];
        Assert.Equal((cohort.Id, 2), (benRow.CohortId, benRow.BatchNo));
        Assert.Equal(1, Assert.Single(benRow.Cooldowns).ModuleNo);
        Assert.Equal([ben.Id, ana.Id], (await Roster(user, course, RosterSort.LastActivity)).Items.Select(r => r.Id));
    }
}
