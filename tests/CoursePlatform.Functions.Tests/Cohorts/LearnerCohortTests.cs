using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Cohorts;
using CoursePlatform.Functions.Features.Enrollments;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Cohorts;

/// <summary>The learner's own cohort and batch project: each learner sees theirs and nobody else's.</summary>
public sealed class LearnerCohortTests(DatabaseFixture database) : AppTest(database)
{
    private Task<CohortMembershipDto> Cohort(User user, string course) =>
        app.Run<LearnerCohortService, CohortMembershipDto>(s => s.GetAsync(user.Id, course, default));

    private Task<ProjectBriefDto> Project(User user, string course) =>
        app.Run<LearnerCohortService, ProjectBriefDto>(s => s.GetProjectAsync(user.Id, course, default));

    private async Task Brief(Guid cohortId, int batchNo, string title) =>
        await app.Run<CohortAdminService>(s => s.PutProjectAsync(cohortId, batchNo.ToString(System.Globalization.CultureInfo.InvariantCulture),
            new ProjectBriefRequest(title, $"{title} tagline", $"{title} description", null), default));

    [Fact]
    public async Task Each_learner_gets_their_own_cohort_and_batch_brief_only()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        var other = await app.CourseAsync(EnrollmentMode.Cohort);
        var ana = await app.CreateUserAsync();
        var ben = await app.CreateUserAsync();
        var outsider = await app.CreateUserAsync();
        var cohort = await app.CohortAsync(course, name: "Autumn", members: [(ana.Email, 1), (ben.Email, 2)]);
        await app.CohortAsync(other, name: "Other course", members: (outsider.Email, 1));
        await Brief(cohort.Id, 1, "Batch one build");
        await Brief(cohort.Id, 2, "Batch two build");

        // Matched by email before enrolling (read-only, so nothing is linked yet), and by user id after.
        Assert.Equal(new CohortMembershipDto(cohort.Id, "Autumn", 1, true), await Cohort(ana, course.Slug));
        await app.Run<EnrollmentService>(s => s.EnrollAsync(ana.Id, course.Slug, default));
        Assert.Equal(new CohortMembershipDto(cohort.Id, "Autumn", 1, true), await Cohort(ana, course.Id.ToString()));
        Assert.Equal(new CohortMembershipDto(cohort.Id, "Autumn", 2, true), await Cohort(ben, course.Slug));

        var anaProject = await Project(ana, course.Slug);
        var benProject = await Project(ben, course.Slug);
        Assert.Equal(("Batch one build", 1), (anaProject.Title, anaProject.BatchNo));
        Assert.Equal(("Batch two build", 2), (benProject.Title, benProject.BatchNo));
        Assert.Equal("Batch two build tagline", benProject.Tagline);

        // Not on this course's list (only on another course's): 404 for both.
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => Cohort(outsider, course.Slug))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => Project(outsider, course.Slug))).Status);
    }

    [Fact]
    public async Task A_batch_without_a_brief_is_404_and_an_inactive_cohort_shows_only_to_those_enrolled_through_it()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        var enrolled = await app.CreateUserAsync();
        var waiting = await app.CreateUserAsync();
        var cohort = await app.CohortAsync(course, members: [(enrolled.Email, 5), (waiting.Email, 5)]);
        await app.Run<EnrollmentService>(s => s.EnrollAsync(enrolled.Id, course.Slug, default));

        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => Project(enrolled, course.Slug))).Status);

        await app.Run<CoursePlatformDbContext>(async db =>
        {
            (await db.Cohorts.FindAsync(cohort.Id))!.IsActive = false;
            await db.SaveChangesAsync();
        });
        Assert.Equal(new CohortMembershipDto(cohort.Id, cohort.Name, 5, false), await Cohort(enrolled, course.Slug));
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => Cohort(waiting, course.Slug))).Status);
    }
}
