using System.ComponentModel.DataAnnotations;
using CoursePlatform.Functions.Features.Enrollments;

namespace CoursePlatform.Functions.Features.Cart;

public sealed record AddToCartRequest(
    [property: Required(ErrorMessage = "Name the course to add: its id or slug.")] string? Course);

/// <summary>
/// A line of the live cart. <c>Price</c>/<c>Currency</c> are the snapshot taken when it was added;
/// <c>CurrentPrice</c>/<c>CurrentCurrency</c> what checkout would charge now. <c>Available</c> is false once
/// the course is unpublished (checkout refuses such a line; it can still be removed).
/// </summary>
public sealed record CartLineDto(
    Guid CourseId, string CourseSlug, string CourseName, decimal Price, string Currency,
    decimal CurrentPrice, string CurrentCurrency, bool PriceChanged, bool Available, DateTimeOffset AddedAt);

/// <summary>A saved-for-later item, as the course was when it was saved.</summary>
public sealed record SavedItemDto(
    Guid CourseId, string CourseSlug, string CourseName, decimal Price, decimal? DiscountedPrice, string Currency, DateTimeOffset SavedAt);

public sealed record MoneyDto(string Currency, decimal Amount);

/// <summary>
/// The cart. <c>Total</c> has one entry per currency: the sum of the current list prices of the available
/// lines (a cart may mix currencies, so one number would be wrong). What checkout charges can be less:
/// cohort admission is free and refused lines are not charged.
/// </summary>
public sealed record CartDto(IReadOnlyList<CartLineDto> Lines, IReadOnlyList<SavedItemDto> SavedForLater, IReadOnlyList<MoneyDto> Total);

public enum CartOutcome
{
    /// <summary>A new line (201).</summary>
    Added,
    /// <summary>The course already had a line; nothing changed (200).</summary>
    AlreadyInCart,
    /// <summary>The learner already has an enrolment (active or pending payment); no line (200).</summary>
    AlreadyEnrolled,
}

public sealed record CartChange(CartOutcome Outcome, CartDto Cart);

/// <summary>A line whose snapshot differs from the price checkout charged (<c>WasCurrency</c> in case the currency changed too).</summary>
public sealed record PriceChangeDto(Guid CourseId, string CourseSlug, decimal Was, string WasCurrency, decimal Now, string Currency);

/// <summary>An enrolment waiting for its payment (status <c>pending_payment</c>).</summary>
public sealed record PendingPaymentDto(Guid CourseId, string CourseSlug, decimal Amount, string Currency, string? PaymentReference);

/// <summary>A line checkout did not turn into an enrolment; it stays in the cart. <c>Reason</c> is one of <see cref="RefusalReasons"/>.</summary>
public sealed record RefusedLineDto(Guid CourseId, string CourseSlug, string Reason, string Detail);

public sealed record CourseRefDto(Guid CourseId, string CourseSlug);

/// <summary>
/// What checkout did: <c>Enrollments</c> it created (active and pending payment), the <c>Pending</c> payments
/// among them, <c>PriceChanges</c> of the lines it charged, <c>Refused</c> lines (kept in the cart) and lines
/// the learner <c>AlreadyEnrolled</c> in (removed), and the <c>Orders</c> the pending payments belong to, each with
/// its <c>checkoutUrl</c> (one per currency; empty when the gateway settles nothing remotely).
/// </summary>
public sealed record CheckoutResult(
    IReadOnlyList<EnrollmentDto> Enrollments, IReadOnlyList<PriceChangeDto> PriceChanges, IReadOnlyList<PendingPaymentDto> Pending,
    IReadOnlyList<RefusedLineDto> Refused, IReadOnlyList<CourseRefDto> AlreadyEnrolled, IReadOnlyList<CheckoutOrderDto> Orders);

public static class RefusalReasons
{
    /// <summary>The course is no longer published.</summary>
    public const string Unavailable = "unavailable";
    /// <summary>A cohort-gated course whose active cohorts do not list the learner.</summary>
    public const string NotInCohort = EligibilityReasons.NotInCohort;
    /// <summary>The learner is listed only in inactive cohorts of the course.</summary>
    public const string CohortInactive = EligibilityReasons.CohortInactive;
    /// <summary>The payment gateway declined the charge.</summary>
    public const string PaymentDeclined = "payment_declined";
}
