using CoursePlatform.Data;

namespace CoursePlatform.Functions.Features.Tutors;

/// <summary>A tutor's assignment to a course.</summary>
public sealed record StaffingDto(Guid CourseId, Guid TutorId, Guid UserId, DateTimeOffset AssignedAt);

/// <summary>A course in a tutor's list: <c>LearnerCount</c> counts active enrolments.</summary>
public sealed record TaughtCourseDto(Guid Id, string Slug, string Name, bool IsPublished, int LearnerCount);

public sealed record CooldownDto(int ModuleNo, DateTimeOffset Until);

/// <summary>
/// A learner of the roster (the entry is the learner: <c>id</c> is the user's). <c>LastActivityAt</c> is the
/// latest of enrolment, topic progress and quiz submission.
/// </summary>
public sealed record RosterEntryDto(
    Guid Id, string Email, string? FullName, EnrollmentStatus EnrollmentStatus, Guid? CohortId, string? CohortName, int? BatchNo,
    int TopicsCompleted, int TopicsTotal, int ModulesPassed, DateTimeOffset LastActivityAt, IReadOnlyList<CooldownDto> Cooldowns);
