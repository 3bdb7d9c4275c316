using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Personas;

public sealed record PersonaProfileDto(LearnerPersona PersonaKey, string? Reasoning, string? ClassifiedBy, DateTimeOffset UpdatedAt);

public sealed record StudyPersonaChoice(StudyPersona Persona);

/// <summary>A learner's study narrator and tutor persona per course. Always the caller's own.</summary>
public sealed class PersonaService(
    CoursePlatformDbContext db, CourseResolver courses, CourseAccess access, ILearnerPersonaClassifier classifier, RateLimiter limiter, TimeProvider time)
{
    /// <summary>Survey submissions per learner an hour: each may call the chat model, and a learner retakes it rarely.</summary>
    public const int ClassificationsPerHour = 10;

    public async Task<StudyPersonaChoice> SetStudyPersonaAsync(Caller caller, string courseKey, StudyPersona persona, CancellationToken cancellationToken)
    {
        var course = await MemberCourseAsync(caller, courseKey, cancellationToken);
        var now = time.GetUtcNow();
        // Upsert in one statement: concurrent choices never collide on the (user, course) key.
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO topic_personalization (id, user_id, course_id, study_persona, updated_at)
            VALUES ({Guid.CreateVersion7()}, {caller.UserId}, {course.Id}, {persona}, {now})
            ON CONFLICT (user_id, course_id) DO UPDATE SET study_persona = EXCLUDED.study_persona, updated_at = EXCLUDED.updated_at
            """, cancellationToken);
        return new StudyPersonaChoice(persona);
    }

    public async Task<PersonaProfileDto> GetLearnerPersonaAsync(Caller caller, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        // Always the caller's own profile; an unpublished course exists for its staff only.
        await access.RequireVisibleAsync(caller, course.Id, course.IsPublished, "course", cancellationToken);
        return await db.LearnerPersonaProfiles.AsNoTracking()
            .Where(p => p.UserId == caller.UserId && p.CourseId == course.Id)
            .Select(p => new PersonaProfileDto(p.PersonaKey, p.Reasoning, p.ClassifiedBy, p.UpdatedAt))
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("tutor persona profile");
    }

    public async Task<PersonaProfileDto> ClassifyAsync(Caller caller, string courseKey, PersonaSurvey survey, CancellationToken cancellationToken)
    {
        var course = await MemberCourseAsync(caller, courseKey, cancellationToken);
        var rate = await limiter.HitAsync($"persona-survey:{caller.UserId}", ClassificationsPerHour, TimeSpan.FromHours(1), cancellationToken);
        if (!rate.Allowed) throw ProblemException.TooManyRequests(rate.RetryAfter, $"At most {ClassificationsPerHour} survey submissions an hour; try again later.");
        var result = await classifier.ClassifyAsync(survey, cancellationToken);
        var now = time.GetUtcNow();

        var profile = await db.LearnerPersonaProfiles.SingleOrDefaultAsync(p => p.UserId == caller.UserId && p.CourseId == course.Id, cancellationToken);
        if (profile is null)
        {
            profile = new LearnerPersonaProfile { UserId = caller.UserId, CourseId = course.Id, CreatedAt = now };
            db.LearnerPersonaProfiles.Add(profile);
        }
        profile.PersonaKey = result.PersonaKey;
        profile.Reasoning = result.Reasoning;
        profile.ClassifiedBy = result.ClassifiedBy;
        profile.SurveyAnswers = JsonSerializer.SerializeToDocument(survey, Json.Options);
        profile.UpdatedAt = now;
        await db.SaveChangesOrConflictAsync(
            () => ProblemException.Conflict("The survey was submitted twice at once; submit it again.", ProblemCodes.ConcurrentUpdate), cancellationToken);
        return new PersonaProfileDto(profile.PersonaKey, profile.Reasoning, profile.ClassifiedBy, profile.UpdatedAt);
    }

    /// <summary>Personalization is for the course's members: enrolled learners, its tutors and admins; an unpublished course is staff-only.</summary>
    private async Task<ResolvedCourse> MemberCourseAsync(Caller caller, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        await access.RequireMemberAsync(caller, course.Id, course.IsPublished, "course", cancellationToken);
        return course;
    }
}
