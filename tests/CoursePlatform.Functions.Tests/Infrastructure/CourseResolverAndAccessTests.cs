using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Infrastructure;

public sealed class CourseResolverAndAccessTests(DatabaseFixture database) : AppTest(database)
{
    private async Task<Course> CreateCourse(Action<CoursePlatformDbContext, Course>? extra = null)
    {
        var now = app.Clock.GetUtcNow();
        var course = Build.Course(now, name: "C", published: false);
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.Courses.Add(course);
            extra?.Invoke(db, course);
            await db.SaveChangesAsync();
        });
        return course;
    }

    private Task<ResolvedCourse> Resolve(string key) => app.Run<CourseResolver, ResolvedCourse>(r => r.ResolveAsync(key, default));

    [Fact]
    public async Task A_course_resolves_by_uuid_and_by_slug_in_any_case_to_the_same_id()
    {
        var course = await CreateCourse();

        Assert.Equal(course.Id, (await Resolve(course.Id.ToString())).Id);
        Assert.Equal(course.Id, (await Resolve(course.Slug)).Id);
        Assert.Equal(course.Id, (await Resolve(course.Slug.ToUpperInvariant())).Id);
    }

    [Theory]
    [InlineData("no-such-course")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("'; drop table courses; --")]
    public async Task An_unknown_course_is_a_404(string key)
    {
        var error = await Assert.ThrowsAsync<ProblemException>(() => Resolve(key));
        Assert.Equal(HttpStatusCode.NotFound, error.Status);
    }

    [Fact]
    public async Task Admins_pass_tutor_checks_tutors_only_for_their_courses_learners_never()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var tutorUser = await app.CreateUserAsync(UserRole.Tutor);
        var otherTutorUser = await app.CreateUserAsync(UserRole.Tutor);
        var learner = await app.CreateUserAsync();
        var course = await CreateCourse((db, c) =>
        {
            var tutor = new Tutor { UserId = tutorUser.Id, CreatedAt = app.Clock.GetUtcNow() };
            db.Tutors.AddRange(tutor, new Tutor { UserId = otherTutorUser.Id, CreatedAt = app.Clock.GetUtcNow() });
            db.CourseTutors.Add(new CourseTutor { Course = c, Tutor = tutor, AssignedAt = app.Clock.GetUtcNow() });
            db.Enrollments.Add(Build.Enrollment(learner.Id, c, app.Clock.GetUtcNow()));
        });
        Caller As(User u) => new(u.Id, Guid.NewGuid(), u.Role);
        Task<bool> IsTutor(User u) => app.Run<CourseAccess, bool>(a => a.IsStaffAsync(As(u), course.Id, default));

        Assert.True(await IsTutor(admin));
        Assert.True(await IsTutor(tutorUser));
        Assert.False(await IsTutor(otherTutorUser));
        Assert.False(await IsTutor(learner));

        var forbidden = await Assert.ThrowsAsync<ProblemException>(() => app.Run<CourseAccess, Caller>(a => a.RequireStaffAsync(As(otherTutorUser), course.Id, default)));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.Status);

        // Course members: enrolled learners, the course's tutors and admins.
        Assert.False(await app.Run<CourseAccess, bool>(a => a.RequireMemberAsync(As(learner), course.Id, true, "course", default)));
        Assert.True(await app.Run<CourseAccess, bool>(a => a.RequireMemberAsync(As(admin), course.Id, true, "course", default)));
        var stranger = await app.CreateUserAsync();
        var refused = await Assert.ThrowsAsync<ProblemException>(() => app.Run<CourseAccess, bool>(a => a.RequireMemberAsync(As(stranger), course.Id, true, "course", default)));
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        // An unpublished course exists for its staff only: a learner, even enrolled, is told it does not exist.
        var hidden = await Assert.ThrowsAsync<ProblemException>(() => app.Run<CourseAccess, bool>(a => a.RequireMemberAsync(As(learner), course.Id, false, "course", default)));
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
    }
}
