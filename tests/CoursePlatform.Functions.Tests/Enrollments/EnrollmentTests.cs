using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Cohorts;
using CoursePlatform.Functions.Features.Enrollments;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Enrollments;

/// <summary>Enrolment rules: cohort gating, email matching and backfill, checkOnly, idempotency under concurrency.</summary>
public sealed class EnrollmentTests(DatabaseFixture database) : AppTest(database)
{
    private Task<EnrollOutcome> Enroll(User user, string course) =>
        app.Run<EnrollmentService, EnrollOutcome>(s => s.EnrollAsync(user.Id, course, default));

    private Task<Eligibility> Check(User user, string course) =>
        app.Run<EnrollmentService, Eligibility>(s => s.CheckAsync(user.Id, course, default));

    private Task<int> EnrollmentCount(Guid userId, Guid courseId) =>
        app.Db(db => db.Enrollments.CountAsync(e => e.UserId == userId && e.CourseId == courseId));

    private Task<CohortMember> Member(Guid cohortId, string email) =>
        app.Db(db => db.CohortMembers.AsNoTracking().SingleAsync(m => m.CohortId == cohortId && m.Email == email));

    [Fact]
    public async Task Open_free_course_enrols_with_source_free_by_id_or_slug_and_again_returns_the_same_enrolment()
    {
        var course = await app.CourseAsync(EnrollmentMode.Open);
        var learner = await app.CreateUserAsync();

        var first = await Enroll(learner, course.Slug);
        var second = await Enroll(learner, course.Id.ToString());

        Assert.True(first.Created);
        Assert.Equal(EnrollmentSource.Free, first.Enrollment.Source);
        Assert.Equal(EnrollmentStatus.Active, first.Enrollment.Status);
        Assert.Null(first.Enrollment.CohortId);
        Assert.False(second.Created);
        Assert.Equal(first.Enrollment.Id, second.Enrollment.Id);
        Assert.Equal(1, await EnrollmentCount(learner.Id, course.Id));
    }

    [Fact]
    public async Task Open_paid_course_is_refused_with_402_unless_a_cohort_admits_the_learner()
    {
        var course = await app.CourseAsync(EnrollmentMode.Open, price: 49.99m);
        var buyer = await app.CreateUserAsync();
        var invited = await app.CreateUserAsync();
        var cohort = await app.CohortAsync(course, members: (invited.Email, 2));

        var refused = await Assert.ThrowsAsync<ProblemException>(() => Enroll(buyer, course.Slug));
        Assert.Equal(HttpStatusCode.PaymentRequired, refused.Status);
        Assert.Equal(ProblemCodes.PaymentRequired, refused.Code);
        Assert.Contains("cart", refused.Detail, StringComparison.OrdinalIgnoreCase);
        var check = await Check(buyer, course.Slug);
        Assert.False(check.Eligible);
        Assert.Equal(EligibilityReasons.PaymentRequired, check.Reason);
        Assert.Equal(0, await EnrollmentCount(buyer.Id, course.Id));

        var admitted = await Enroll(invited, course.Slug);
        Assert.True(admitted.Created);
        Assert.Equal(EnrollmentSource.Cohort, admitted.Enrollment.Source);
        Assert.Equal(cohort.Id, admitted.Enrollment.CohortId);
    }

    [Fact]
    public async Task Cohort_course_admits_a_member_of_an_active_cohort_with_source_cohort()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort, price: 100);
        var learner = await app.CreateUserAsync();
        var cohort = await app.CohortAsync(course, members: (learner.Email, 3));

        var outcome = await Enroll(learner, course.Slug);

        Assert.True(outcome.Created);
        Assert.Equal(EnrollmentSource.Cohort, outcome.Enrollment.Source);
        Assert.Equal(cohort.Id, outcome.Enrollment.CohortId);
        Assert.Equal(learner.Id, (await Member(cohort.Id, learner.Email)).UserId);
    }

    [Fact]
    public async Task Cohort_course_refuses_someone_not_on_any_list()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        await app.CohortAsync(course, members: ("someone-else@example.com", 1));
        var stranger = await app.CreateUserAsync();

        var refused = await Assert.ThrowsAsync<ProblemException>(() => Enroll(stranger, course.Slug));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(ProblemCodes.NotInCohort, refused.Code);
        Assert.Equal(EligibilityReasons.NotInCohort, (await Check(stranger, course.Slug)).Reason);
        Assert.Equal(0, await EnrollmentCount(stranger.Id, course.Id));
    }

    [Fact]
    public async Task Inactive_cohort_is_refused_and_said_so()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        var learner = await app.CreateUserAsync();
        var cohort = await app.CohortAsync(course, active: false, members: (learner.Email, 1));

        var refused = await Assert.ThrowsAsync<ProblemException>(() => Enroll(learner, course.Slug));
        var check = await Check(learner, course.Slug);

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Contains("not active", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.CohortInactive, refused.Code);
        Assert.False(check.Eligible);
        Assert.Equal(EligibilityReasons.CohortInactive, check.Reason);
        Assert.Equal(0, await EnrollmentCount(learner.Id, course.Id));
        Assert.Null((await Member(cohort.Id, learner.Email)).UserId); // refused: nothing linked
    }

    [Fact]
    public async Task An_active_cohort_admits_even_when_another_cohort_listing_the_learner_is_inactive()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        var learner = await app.CreateUserAsync();
        await app.CohortAsync(course, active: false, name: "Old", members: (learner.Email, 1));
        var current = await app.CohortAsync(course, name: "Current", members: (learner.Email, 4));

        var outcome = await Enroll(learner, course.Slug);

        Assert.Equal(current.Id, outcome.Enrollment.CohortId);
    }

    [Fact]
    public async Task Email_in_a_different_case_is_accepted_and_the_user_id_is_backfilled()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        var learner = await app.CreateUserAsync(email: $"ana.lopez-{Guid.NewGuid():N}@example.com");
        var cohort = await app.CohortAsync(course);
        // The admin's list spells the address differently; the allowlist keeps it normalised.
        var listed = $"  {learner.Email.ToUpperInvariant()} ";
        await app.Run<CohortAdminService>(s => s.UpsertMembersAsync(cohort.Id, new UpsertMembersRequest([new MemberEntry(listed, 2)]), default));
        Assert.Null((await Member(cohort.Id, learner.Email)).UserId);

        var outcome = await Enroll(learner, course.Slug);

        Assert.True(outcome.Created);
        Assert.Equal(EnrollmentSource.Cohort, outcome.Enrollment.Source);
        Assert.Equal(cohort.Id, outcome.Enrollment.CohortId);
        var member = await Member(cohort.Id, learner.Email);
        Assert.Equal((learner.Id, 2), (member.UserId, member.BatchNo));
    }

    [Fact]
    public async Task A_member_row_linked_to_another_account_does_not_admit_by_email()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        var owner = await app.CreateUserAsync();
        var other = await app.CreateUserAsync();
        var cohort = await app.CohortAsync(course, members: (other.Email, 1));
        await app.Db(db => db.CohortMembers.Where(m => m.CohortId == cohort.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.UserId, owner.Id)));

        await Assert.ThrowsAsync<ProblemException>(() => Enroll(other, course.Slug));
        Assert.True((await Enroll(owner, course.Slug)).Created); // the linked account matches by user id
    }

    [Fact]
    public async Task Member_of_a_cohort_of_another_course_is_refused()
    {
        var gated = await app.CourseAsync(EnrollmentMode.Cohort);
        var otherCourse = await app.CourseAsync(EnrollmentMode.Cohort);
        var learner = await app.CreateUserAsync();
        await app.CohortAsync(gated, members: ("not-this-learner@example.com", 1));
        await app.CohortAsync(otherCourse, members: (learner.Email, 1));

        var refused = await Assert.ThrowsAsync<ProblemException>(() => Enroll(learner, gated.Slug));

        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal(EligibilityReasons.NotInCohort, (await Check(learner, gated.Slug)).Reason);
        Assert.Equal(0, await EnrollmentCount(learner.Id, gated.Id));
    }

    [Fact]
    public async Task CheckOnly_reports_eligibility_cohort_and_batch_without_writing_anything()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        var learner = await app.CreateUserAsync();
        var stored = learner.Email;
        var cohort = await app.CohortAsync(course, name: "Spring 2027", members: (stored, 7));

        var check = await Check(learner, course.Slug);

        Assert.Equal(new Eligibility(true, EligibilityReasons.CohortMember, false, EnrollmentSource.Cohort, cohort.Id, "Spring 2027", 7), check);
        Assert.Equal(0, await EnrollmentCount(learner.Id, course.Id));
        Assert.Null((await Member(cohort.Id, stored)).UserId); // no backfill on a check

        await Enroll(learner, course.Slug);
        var after = await Check(learner, course.Slug);
        Assert.True(after.AlreadyEnrolled);
        Assert.Equal(EligibilityReasons.AlreadyEnrolled, after.Reason);
        Assert.Equal(7, after.BatchNo);
        Assert.Equal("Spring 2027", after.CohortName);
    }

    [Fact]
    public async Task Twenty_parallel_enrolments_make_one_row_and_all_succeed()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        var learner = await app.CreateUserAsync();
        var cohort = await app.CohortAsync(course, members: (learner.Email, 1));

        using var start = new ManualResetEventSlim();
        var tasks = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            start.Wait();
            return await Enroll(learner, course.Slug);
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(tasks); // any exception fails the test here

        Assert.Equal(1, await EnrollmentCount(learner.Id, course.Id));
        Assert.Equal(1, outcomes.Count(o => o.Created));
        Assert.Single(outcomes.Select(o => o.Enrollment.Id).Distinct());
        Assert.All(outcomes, o => Assert.Equal(cohort.Id, o.Enrollment.CohortId));
        Assert.Equal(learner.Id, (await Member(cohort.Id, learner.Email)).UserId);
    }

    [Fact]
    public async Task Twenty_parallel_enrolments_in_an_open_free_course_make_one_row()
    {
        var course = await app.CourseAsync(EnrollmentMode.Open);
        var learner = await app.CreateUserAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => Enroll(learner, course.Slug))));

        Assert.Equal(1, await EnrollmentCount(learner.Id, course.Id));
        Assert.Equal(1, outcomes.Count(o => o.Created));
    }

    [Fact]
    public async Task Unpublished_and_unknown_courses_are_404_and_anonymous_is_401()
    {
        var draft = await app.CourseAsync(EnrollmentMode.Open, published: false);
        var learner = await app.CreateUserAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => Enroll(learner, draft.Slug))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => Check(learner, draft.Slug))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Assert.ThrowsAsync<ProblemException>(() => Enroll(learner, "no-such-course"))).Status);
        Assert.Equal(0, await EnrollmentCount(learner.Id, draft.Id));
    }

    [Fact]
    public async Task My_enrollments_lists_only_the_callers_courses_with_completed_topics_out_of_total()
    {
        var course = await app.CourseAsync(EnrollmentMode.Open, topics: 4);
        var empty = await app.CourseAsync(EnrollmentMode.Open);
        var learner = await app.CreateUserAsync();
        var other = await app.CreateUserAsync();
        await Enroll(learner, course.Slug);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await Enroll(learner, empty.Slug);
        await Enroll(other, course.Slug);

        var now = app.Clock.GetUtcNow();
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            var topics = await db.Topics.Where(t => t.CourseId == course.Id).OrderBy(t => t.TopicNumber).ToListAsync();
            db.TopicProgress.AddRange(
                new TopicProgress { UserId = learner.Id, TopicId = topics[0].Id, Status = ProgressStatus.Completed, Progress = 1, CompletedAt = now, UpdatedAt = now },
                new TopicProgress { UserId = learner.Id, TopicId = topics[1].Id, Status = ProgressStatus.InProgress, Progress = 0.5, UpdatedAt = now },
                // Another learner's progress never counts for this one.
                new TopicProgress { UserId = other.Id, TopicId = topics[2].Id, Status = ProgressStatus.Completed, Progress = 1, CompletedAt = now, UpdatedAt = now },
                new TopicProgress { UserId = other.Id, TopicId = topics[3].Id, Status = ProgressStatus.Completed, Progress = 1, CompletedAt = now, UpdatedAt = now });
            await db.SaveChangesAsync();
        });

        var page = await app.Run<EnrollmentService, PagedList<MyEnrollmentDto>>(s => s.ListMineAsync(learner.Id, new PageRequest(1, 20), default));

        Assert.Equal(2, page.Total);
        Assert.Equal([empty.Id, course.Id], page.Items.Select(i => i.CourseId)); // newest first
        var withTopics = page.Items[1];
        Assert.Equal(new EnrollmentProgress(1, 4, 25), withTopics.Progress);
        Assert.Equal(course.Slug, withTopics.CourseSlug);
        Assert.Equal(new EnrollmentProgress(0, 0, 0), page.Items[0].Progress);

        var otherPage = await app.Run<EnrollmentService, PagedList<MyEnrollmentDto>>(s => s.ListMineAsync(other.Id, new PageRequest(1, 20), default));
        Assert.Equal(new EnrollmentProgress(2, 4, 50), Assert.Single(otherPage.Items).Progress);

    }
}
