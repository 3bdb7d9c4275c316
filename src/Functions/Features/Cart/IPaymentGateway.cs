using CoursePlatform.Data;

namespace CoursePlatform.Functions.Features.Cart;

/// <summary>
/// Payment capture for checkout, behind an interface so a real provider can replace the default
/// (<see cref="DeferredPaymentGateway"/>) by registering its own (Features/Payments registers Stripe's).
/// </summary>
public interface IPaymentGateway
{
    /// <summary>
    /// One paid line, inside checkout's transaction (the gateway may write its own rows there, e.g. an order,
    /// so the order and the <c>pending_payment</c> enrolment commit or roll back together).
    /// </summary>
    Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// After checkout's transaction committed: the orders behind the pending <paramref name="references"/> with where the
    /// learner pays each. A gateway that settles nothing remotely has none.
    /// </summary>
    Task<IReadOnlyList<CheckoutOrderDto>> StartAsync(Guid userId, IReadOnlyList<string> references, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CheckoutOrderDto>>([]);
}

/// <summary>A line to charge: the course, today's price, and the name the receipt shows.</summary>
public sealed record PaymentRequest(Guid UserId, Guid CourseId, decimal Amount, string Currency, string CourseSlug = "", string CourseName = "");

public enum PaymentStatus
{
    /// <summary>Paid: the enrolment is active.</summary>
    Captured,
    /// <summary>Accepted but not paid yet: the enrolment waits as <c>pending_payment</c>.</summary>
    Pending,
    /// <summary>Refused: no enrolment, the line stays in the cart.</summary>
    Declined,
}

/// <summary><c>Reference</c> identifies the payment at the provider (an order id for Stripe); <c>Detail</c> says why a charge was declined.</summary>
public sealed record PaymentResult(PaymentStatus Status, string? Reference, string? Detail = null);

/// <summary>An order checkout opened (or found pending) and where to pay it; <c>CheckoutUrl</c> is null while the provider's page is being made.</summary>
public sealed record CheckoutOrderDto(Guid Id, OrderStatus Status, string Currency, decimal Amount, string? CheckoutUrl);
