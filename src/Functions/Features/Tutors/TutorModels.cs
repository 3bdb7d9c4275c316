using System.ComponentModel.DataAnnotations;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure.Http;

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

public sealed record TutorApplicationRequest(
    [property: Required(ErrorMessage = "Give your full name."), MaxLength(200)] string? FullName,
    [property: Required(ErrorMessage = "Give an email address."), EmailAddress(ErrorMessage = "This is not an email address."), MaxLength(320)] string? Email,
    [property: Required(ErrorMessage = "List what you can teach: one to ten subjects.")] IReadOnlyList<string?>? Expertise,
    [property: Required(ErrorMessage = "Tell us why you want to tutor."), MinLength(TutorApplicationService.MinMotivationLength, ErrorMessage = "Write at least 20 characters."), MaxLength(4000)] string? Motivation,
    [property: WebUrl] IReadOnlyList<string?>? Links);

public sealed record RejectApplicationRequest(
    [property: Required(ErrorMessage = "Give the applicant a reason."), MaxLength(2000)] string? Reason);

/// <summary>
/// An application as admins see it. <c>UserId</c> and <c>TutorId</c> are set once it is approved (the account
/// and tutor profile it created or linked); <c>ReviewReason</c> is the reason of a rejection.
/// <c>ExistingAccount</c>: an account with this email exists (approval will not create one);
/// <c>SubmittedByAccount</c>: that account submitted the application signed in, the only way approval upgrades it.
/// </summary>
public sealed record TutorApplicationDto(
    Guid Id, string FullName, string Email, IReadOnlyList<string> Expertise, string Motivation, IReadOnlyList<string> Links,
    TutorApplicationStatus Status, string? ReviewReason, Guid? UserId, Guid? TutorId, Guid? ReviewedById, DateTimeOffset? ReviewedAt,
    DateTimeOffset CreatedAt, bool ExistingAccount, bool SubmittedByAccount);

/// <summary>What an applicant learns of their submission.</summary>
public sealed record SubmittedApplicationDto(Guid Id, TutorApplicationStatus Status, DateTimeOffset CreatedAt);

/// <summary>
/// An approval. <c>PasswordSetup</c> is present only when this call created the account (it has no way in yet),
/// so the admin hands the one-time token to the tutor (shown once); an existing account never gets one.
/// </summary>
public sealed record ApprovalDto(TutorApplicationDto Application, PasswordSetupDto? PasswordSetup);
