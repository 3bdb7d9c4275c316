using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Enrollments;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Cart;

/// <summary>
/// Checkout (docs/product.md, "Cart and checkout"): every line becomes an enrolment by the same rules and the
/// same write as <see cref="EnrollmentService.EnrollAsync"/>, in one transaction that holds the cart's
/// lines locked, so concurrent checkouts of one cart enrol each course once and the others find it empty.
/// <list type="bullet">
/// <item>an unpublished course, a cohort-gated course the learner is not admitted to, or a declined payment
/// refuses the line, which stays in the cart;</item>
/// <item>a course the learner owns already leaves the cart without a charge;</item>
/// <item>a member of an active cohort enrols with source <c>cohort</c>, free of charge (the allowlist is the admission);</item>
/// <item>otherwise the current price goes to <see cref="IPaymentGateway"/>: captured is an active
/// <c>checkout</c> enrolment, pending a <c>pending_payment</c> one.</item>
/// </list>
/// </summary>
public sealed class CheckoutService(
    CoursePlatformDbContext db, CourseResolver courses, EnrollmentService enrollments, IPaymentGateway payments, ILogger<CheckoutService> logger)
{
    public async Task<CheckoutResult> CheckoutAsync(Guid userId, CancellationToken cancellationToken)
    {
        var result = new Builder();
        var done = new List<Guid>();

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Row locks on the caller's lines: a concurrent checkout waits here, then sees only what this one left.
        var lines = await db.CartLines
            .FromSql($"SELECT * FROM cart_lines WHERE user_id = {userId} ORDER BY added_at, id FOR UPDATE")
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        if (lines.Count == 0) throw ProblemException.Conflict("Your cart is empty.", ProblemCodes.CartEmpty);

        var lineCourses = await courses.ResolveAsync([.. lines.Select(l => l.CourseId)], cancellationToken);
        foreach (var line in lines)
        {
            // A cart line's course cannot be deleted (restrict), so it is always there.
            if (await CheckOutLineAsync(userId, line, lineCourses[line.CourseId], result, cancellationToken)) done.Add(line.Id);
        }
        await db.CartLines.Where(l => done.Contains(l.Id)).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);

        // The provider's payment pages are made only now that the orders are committed: a crash before this leaves
        // orders without a page, which the gateway's own repair completes; never a page without an order.
        var orders = await payments.StartAsync(userId, [.. result.Pending.Select(p => p.PaymentReference).OfType<string>().Distinct()], cancellationToken);

        logger.LogInformation("Checkout by {UserId}: {Lines} lines, {Enrolled} enrolled, {Pending} pending payment, {Refused} refused, {Owned} already enrolled",
            userId, lines.Count, result.Enrollments.Count, result.Pending.Count, result.Refused.Count, result.AlreadyEnrolled.Count);
        return new CheckoutResult(result.Enrollments, result.PriceChanges, result.Pending, result.Refused, result.AlreadyEnrolled, orders);
    }

    /// <summary>Settles one line into <paramref name="result"/>; true when the line leaves the cart.</summary>
    private async Task<bool> CheckOutLineAsync(Guid userId, CartLine line, ResolvedCourse course, Builder result, CancellationToken cancellationToken)
    {
        if (!course.IsPublished)
            return result.Refuse(course, RefusalReasons.Unavailable, "This course is no longer available.");

        var eligibility = await enrollments.EvaluateAsync(userId, course, cancellationToken);
        switch (eligibility.Reason)
        {
            case EligibilityReasons.AlreadyEnrolled:
                return result.Owned(course);
            case EligibilityReasons.PaymentPending:
                return await RetryPaymentAsync(userId, line, course, result, cancellationToken);
            case EligibilityReasons.CohortMember:
                return result.Enrolled(await enrollments.WriteAsync(userId, course, EnrollmentSource.Cohort, EnrollmentStatus.Active,
                    eligibility.CohortId, cancellationToken), course);
            case EligibilityReasons.NotInCohort or EligibilityReasons.CohortInactive:
                return result.Refuse(course, eligibility.Reason, EligibilityReasons.ExplainCohortRefusal(eligibility.Reason));
        }

        var payment = await ChargeAsync(userId, line, course, result, cancellationToken);
        if (payment.Status == PaymentStatus.Declined)
            return result.Refuse(course, RefusalReasons.PaymentDeclined, payment.Detail ?? "The payment was declined.");

        var status = payment.Status == PaymentStatus.Captured ? EnrollmentStatus.Active : EnrollmentStatus.PendingPayment;
        var enrollment = await enrollments.WriteAsync(userId, course, EnrollmentSource.Checkout, status, null, cancellationToken);
        if (enrollment is not null && status == EnrollmentStatus.PendingPayment)
            result.Pending.Add(new PendingPaymentDto(course.Id, course.Slug, course.Price, course.Currency, payment.Reference));
        return result.Enrolled(enrollment, course);
    }

    /// <summary>A line for a purchase whose payment is pending: charge again; captured activates the enrolment.</summary>
    private async Task<bool> RetryPaymentAsync(Guid userId, CartLine line, ResolvedCourse course, Builder result, CancellationToken cancellationToken)
    {
        // Lock the pending enrolment before charging: a cancellation waits for this checkout, and one that got
        // in first leaves nothing to lock, so the course is bought afresh by the rules of any open course.
        var locked = await db.Database.SqlQuery<Guid>($"""
            SELECT id AS "Value" FROM enrollments
            WHERE user_id = {userId} AND course_id = {course.Id} AND status = 'pending_payment'
            FOR UPDATE
            """).ToListAsync(cancellationToken);
        if (locked.Count == 0) return await CheckOutLineAsync(userId, line, course, result, cancellationToken);

        var payment = await ChargeAsync(userId, line, course, result, cancellationToken);
        switch (payment.Status)
        {
            case PaymentStatus.Declined:
                return result.Refuse(course, RefusalReasons.PaymentDeclined, payment.Detail ?? "The payment was declined.");
            case PaymentStatus.Captured:
                return result.Enrolled(await enrollments.ActivatePendingAsync(userId, course.Id, cancellationToken), course);
            default:
                result.Pending.Add(new PendingPaymentDto(course.Id, course.Slug, course.Price, course.Currency, payment.Reference));
                return true;
        }
    }

    /// <summary>
    /// Charges an open course at today's price whatever the line's snapshot says (a difference is reported). Inside
    /// the transaction: a remote gateway records an order here and opens the provider's page after the commit.
    /// </summary>
    private Task<PaymentResult> ChargeAsync(Guid userId, CartLine line, ResolvedCourse course, Builder result, CancellationToken cancellationToken)
    {
        if (line.UnitPrice != course.Price || line.Currency != course.Currency)
            result.PriceChanges.Add(new PriceChangeDto(course.Id, course.Slug, line.UnitPrice, line.Currency, course.Price, course.Currency));
        return payments.ChargeAsync(new PaymentRequest(userId, course.Id, course.Price, course.Currency, course.Slug, course.Name), cancellationToken);
    }

    /// <summary>The lists of the response as checkout fills them.</summary>
    private sealed class Builder
    {
        public List<EnrollmentDto> Enrollments { get; } = [];
        public List<PriceChangeDto> PriceChanges { get; } = [];
        public List<PendingPaymentDto> Pending { get; } = [];
        public List<RefusedLineDto> Refused { get; } = [];
        public List<CourseRefDto> AlreadyEnrolled { get; } = [];

        public bool Refuse(ResolvedCourse course, string reason, string detail)
        {
            Refused.Add(new RefusedLineDto(course.Id, course.Slug, reason, detail));
            return false;
        }

        public bool Owned(ResolvedCourse course)
        {
            AlreadyEnrolled.Add(new CourseRefDto(course.Id, course.Slug));
            return true;
        }

        /// <summary>A null enrolment means another request enrolled the learner first: the line is owned.</summary>
        public bool Enrolled(EnrollmentDto? enrollment, ResolvedCourse course)
        {
            if (enrollment is null) return Owned(course);
            Enrollments.Add(enrollment);
            return true;
        }
    }
}
