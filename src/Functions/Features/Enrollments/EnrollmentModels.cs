using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using CoursePlatform.Functions.Infrastructure.Problems;

namespace CoursePlatform.Functions.Features.Enrollments;

public sealed record EnrollRequest(bool? CheckOnly);

public sealed record EnrollmentDto(
    Guid Id, Guid CourseId, string CourseSlug, EnrollmentSource Source, EnrollmentStatus Status, Guid? CohortId, DateTimeOffset EnrolledAt)
{
    /// <summary>Always <c>enrollment</c>: <c>POST …/enroll</c> answers 200 with this or an eligibility check; <c>kind</c> tells which.</summary>
    [Discriminator("enrollment")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Serialized: JSON writes instance properties only.")]
    public string Kind => "enrollment";
}

/// <summary>The result of an enrolment: <c>Created</c> is false when the learner was already enrolled.</summary>
public sealed record EnrollOutcome(bool Created, EnrollmentDto Enrollment);

/// <summary>
/// Whether the caller may enrol, without enrolling. <c>Reason</c> is one of
/// <see cref="EligibilityReasons"/>; the cohort fields are set when a cohort admits the caller.
/// </summary>
public sealed record Eligibility(
    bool Eligible, string Reason, bool AlreadyEnrolled, EnrollmentSource? Source, Guid? CohortId, string? CohortName, int? BatchNo,
    EnrollmentStatus? EnrollmentStatus = null)
{
    /// <summary>Always <c>eligibility</c>: tells this check from an enrolment in the 200 of <c>POST …/enroll</c>.</summary>
    [Discriminator("eligibility")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Serialized: JSON writes instance properties only.")]
    public string Kind => "eligibility";
}

public static class EligibilityReasons
{
    /// <summary>Already enrolled; enrolling again returns that enrolment.</summary>
    public const string AlreadyEnrolled = "already_enrolled";
    /// <summary>Bought, but the payment is not settled: check out again to retry it, or cancel the purchase.</summary>
    public const string PaymentPending = "payment_pending";
    /// <summary>On the allowlist of an active cohort of the course.</summary>
    public const string CohortMember = "cohort_member";
    /// <summary>An open course with price 0.</summary>
    public const string Free = "free";
    /// <summary>An open paid course: buy it through the cart's checkout.</summary>
    public const string PaymentRequired = "payment_required";
    /// <summary>A cohort-gated course whose active cohorts do not list the caller.</summary>
    public const string NotInCohort = "not_in_cohort";
    /// <summary>Listed only in cohorts of the course that are not active.</summary>
    public const string CohortInactive = "cohort_inactive";

    /// <summary>What a cohort refusal tells the learner, so enrolment and checkout say the same.</summary>
    public static string ExplainCohortRefusal(string reason) => reason switch
    {
        NotInCohort => "This course is open to the members of its cohorts only, and your account is not on the list.",
        CohortInactive => "Your cohort for this course is not active; ask the course team.",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a cohort refusal."),
    };

    /// <summary>The problem code of a cohort refusal (the same label as the reason).</summary>
    public static ProblemCode RefusalCode(string reason) => reason switch
    {
        NotInCohort => ProblemCodes.NotInCohort,
        CohortInactive => ProblemCodes.CohortInactive,
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "Not a cohort refusal."),
    };
}

public sealed record EnrollmentProgress(int TopicsCompleted, int TopicsTotal, double Percent);

public sealed record MyEnrollmentDto(
    Guid Id, Guid CourseId, string CourseSlug, string CourseName, string? ThumbnailUrl, bool IsPublished,
    EnrollmentSource Source, EnrollmentStatus Status, Guid? CohortId, DateTimeOffset EnrolledAt, EnrollmentProgress Progress);
