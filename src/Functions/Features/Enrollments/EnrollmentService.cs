using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Cohorts;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Enrollments;

/// <summary>
/// Enrolment by the learner (docs/product.md, "Cohort gating and batch projects"):
/// <list type="bullet">
/// <item>a member of one of the course's <b>active</b> cohorts enrols with source <c>cohort</c> (open or
/// gated course, free or paid: the allowlist is the admission); an email match links the user onto the row;</item>
/// <item>otherwise an open free course enrols with source <c>free</c>; an open paid course is refused
/// with 402 (it is bought through the cart's checkout); a cohort-gated course is refused with 403;</item>
/// <item>unpublished courses are 404; enrolling again returns the existing enrolment.</item>
/// </list>
/// </summary>
public sealed class EnrollmentService(CoursePlatformDbContext db, CourseResolver courses, CohortMembership membership, TimeProvider time)
{
    public async Task<Eligibility> CheckAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolvePublishedAsync(courseKey, cancellationToken);
        return await EvaluateAsync(userId, course, cancellationToken);
    }

    /// <summary>Whether <paramref name="userId"/> may enrol in <paramref name="course"/>; reads only (the catalog can use it for <c>eligible</c>).</summary>
    public async Task<Eligibility> EvaluateAsync(Guid userId, ResolvedCourse course, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(course);
        var existing = await db.Enrollments.AsNoTracking()
            .Where(e => e.UserId == userId && e.CourseId == course.Id)
            .Select(e => new { e.Source, e.Status, e.CohortId, CohortName = e.Cohort == null ? null : e.Cohort.Name })
            .SingleOrDefaultAsync(cancellationToken);
        if (existing is not null)
        {
            // Only a cohort enrolment has a batch to show; the others need no membership lookup (a round trip saved).
            var own = existing.CohortId is null ? null
                : (await membership.FindAsync(userId, course.Id, existing.CohortId, cancellationToken)).FirstOrDefault(m => m.CohortId == existing.CohortId);
            return new Eligibility(true, existing.Status == EnrollmentStatus.PendingPayment ? EligibilityReasons.PaymentPending : EligibilityReasons.AlreadyEnrolled,
                true, existing.Source, existing.CohortId, existing.CohortName, own?.BatchNo, existing.Status);
        }
        var matches = await membership.FindAsync(userId, course.Id, null, cancellationToken);
        var active = matches.FirstOrDefault(m => m.IsActive);
        if (active is not null)
            return new Eligibility(true, EligibilityReasons.CohortMember, false, EnrollmentSource.Cohort, active.CohortId, active.CohortName, active.BatchNo);
        if (course.EnrollmentMode == EnrollmentMode.Cohort)
            return new Eligibility(false, matches.Count > 0 ? EligibilityReasons.CohortInactive : EligibilityReasons.NotInCohort, false, null, null, null, null);
        return course.Price == 0
            ? new Eligibility(true, EligibilityReasons.Free, false, EnrollmentSource.Free, null, null, null)
            : new Eligibility(false, EligibilityReasons.PaymentRequired, false, null, null, null, null);
    }

    /// <summary>Enrols the caller, or returns the enrolment they already have (<c>Created</c> false). Safe under concurrent calls.</summary>
    public async Task<EnrollOutcome> EnrollAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolvePublishedAsync(courseKey, cancellationToken);
        // The same decision as checkOnly and the cart's checkout: one place for the rules.
        var eligibility = await EvaluateAsync(userId, course, cancellationToken);
        switch (eligibility.Reason)
        {
            case EligibilityReasons.AlreadyEnrolled or EligibilityReasons.PaymentPending:
                return new EnrollOutcome(false, await FindAsync(userId, course.Id, cancellationToken)
                    ?? throw new InvalidOperationException("The enrolment vanished while it was read."));
            case EligibilityReasons.NotInCohort or EligibilityReasons.CohortInactive:
                throw ProblemException.Forbidden(EligibilityReasons.ExplainCohortRefusal(eligibility.Reason), EligibilityReasons.RefusalCode(eligibility.Reason));
            case EligibilityReasons.PaymentRequired:
                throw new ProblemException(ProblemCodes.PaymentRequired,
                    "This course is paid: add it to the cart and check out to enrol.");
        }

        EnrollmentDto? created;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            created = await WriteAsync(userId, course, eligibility.Source!.Value, EnrollmentStatus.Active, eligibility.CohortId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        if (created is not null) return new EnrollOutcome(true, created);
        return new EnrollOutcome(false, await FindAsync(userId, course.Id, cancellationToken)
            ?? throw new InvalidOperationException("The enrolment vanished right after it was written."));
    }

    /// <summary>
    /// The one enrolment write, shared by <see cref="EnrollAsync"/> and the cart's checkout so both admit a
    /// learner the same way. Runs in the caller's transaction. Returns the new enrolment, or null when the
    /// learner already had one (then nothing is written).
    /// </summary>
    /// <param name="cohortId">The cohort whose allowlist admits the learner; an email match on it is linked to the user.</param>
    public async Task<EnrollmentDto?> WriteAsync(Guid userId, ResolvedCourse course, EnrollmentSource source, EnrollmentStatus status,
        Guid? cohortId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(course);
        if (cohortId is { } admittedBy) await membership.LinkByEmailAsync(userId, admittedBy, cancellationToken);
        var id = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)); // as timestamptz keeps it, so the DTO equals a re-read
        // The unique (user_id, course_id) index settles concurrent requests: one inserts, the others do nothing.
        var inserted = await db.Database.SqlQuery<Guid>($"""
            INSERT INTO enrollments (id, user_id, course_id, source, status, cohort_id, enrolled_at)
            VALUES ({id}, {userId}, {course.Id}, CAST({Json.Label(source)} AS enrollment_source),
                    CAST({Json.Label(status)} AS enrollment_status), {cohortId}, {now})
            ON CONFLICT (user_id, course_id) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        return inserted.Count == 1 ? new EnrollmentDto(id, course.Id, course.Slug, source, status, cohortId, now) : null;
    }

    /// <summary>The caller's enrolments, newest first, each with topics completed out of the course's topics.</summary>
    public async Task<PagedList<MyEnrollmentDto>> ListMineAsync(Guid userId, PageRequest page, CancellationToken cancellationToken)
    {
        var rows = await db.Enrollments.AsNoTracking()
            .Where(e => e.UserId == userId)
            .OrderByDescending(e => e.EnrolledAt).ThenBy(e => e.Id)
            .Select(e => new
            {
                e.Id, e.CourseId, e.Course.Slug, e.Course.Name, e.Course.ThumbnailUrl, e.Course.IsPublished,
                e.Source, e.Status, e.CohortId, e.EnrolledAt,
                Total = db.Topics.Count(t => t.CourseId == e.CourseId),
                Completed = db.TopicProgress.Count(p => p.UserId == e.UserId && p.Topic.CourseId == e.CourseId && p.Status == ProgressStatus.Completed),
            })
            .ToPageAsync(page, cancellationToken);
        return new PagedList<MyEnrollmentDto>(
            [.. rows.Items.Select(r => new MyEnrollmentDto(r.Id, r.CourseId, r.Slug, r.Name, r.ThumbnailUrl, r.IsPublished, r.Source, r.Status, r.CohortId, r.EnrolledAt,
                new EnrollmentProgress(r.Completed, r.Total, r.Total == 0 ? 0 : Math.Round(100.0 * r.Completed / r.Total, 1))))],
            rows.Page, rows.PageSize, rows.Total);
    }

    /// <summary>
    /// Cancels the caller's purchase whose payment is still pending (the enrolment goes; the course can be
    /// bought again). An active enrolment is not cancelled here (409); nor is one whose payment is on its way (409
    /// <c>payment_processing</c>: money that clears is always honoured); no enrolment is 404.
    /// </summary>
    public async Task CancelPendingAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        // An unknown course answers as one the caller has no enrolment in: no hint of which slugs exist.
        var course = await courses.ResolveAsync(courseKey, ProblemException.NotFound("enrolment"), cancellationToken);
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        if (await DelayedPayments.LockAndCheckOnItsWayAsync(db, userId, course.Id, cancellationToken))
        {
            throw ProblemException.Conflict("Your payment for this course was made with a method that clears later and is still on its way, "
                + "so the purchase cannot be cancelled now: if the payment fails the enrolment is released; once it clears, ask for a refund.",
                ProblemCodes.PaymentProcessing);
        }
        var deleted = await db.Enrollments
            .Where(e => e.UserId == userId && e.CourseId == course.Id && e.Status == EnrollmentStatus.PendingPayment)
            .ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        if (deleted == 1) return;
        if (await db.Enrollments.AnyAsync(e => e.UserId == userId && e.CourseId == course.Id, cancellationToken))
            throw ProblemException.Conflict("This enrolment is active, not a pending purchase; there is nothing to cancel.", ProblemCodes.EnrollmentNotPending);
        throw ProblemException.NotFound("enrolment");
    }

    /// <summary>
    /// The caller's enrolment in a course (the <c>Location</c> of an enrolment): 404 when there is none, also for a course
    /// that does not exist, so the route tells nothing of unpublished slugs.
    /// </summary>
    public async Task<EnrollmentDto> GetMineAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var (id, slug) = CourseResolver.ParseKey(courseKey);
        return await db.Enrollments.AsNoTracking()
            .Where(e => e.UserId == userId && (id != null ? e.CourseId == id : e.Course.Slug == slug))
            .Select(e => new EnrollmentDto(e.Id, e.CourseId, e.Course.Slug, e.Source, e.Status, e.CohortId, e.EnrolledAt))
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("enrolment");
    }

    /// <summary>Settles a pending purchase as paid (a retried payment was captured); runs in the caller's transaction.</summary>
    public async Task<EnrollmentDto?> ActivatePendingAsync(Guid userId, Guid courseId, CancellationToken cancellationToken)
    {
        var updated = await db.Enrollments
            .Where(e => e.UserId == userId && e.CourseId == courseId && e.Status == EnrollmentStatus.PendingPayment)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Status, EnrollmentStatus.Active), cancellationToken);
        return updated == 1 ? await FindAsync(userId, courseId, cancellationToken) : null;
    }

    private Task<EnrollmentDto?> FindAsync(Guid userId, Guid courseId, CancellationToken cancellationToken) =>
        db.Enrollments.AsNoTracking()
            .Where(e => e.UserId == userId && e.CourseId == courseId)
            .Select(e => new EnrollmentDto(e.Id, e.CourseId, e.Course.Slug, e.Source, e.Status, e.CohortId, e.EnrolledAt))
            .SingleOrDefaultAsync(cancellationToken);
}
