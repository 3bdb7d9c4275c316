namespace CoursePlatform.Functions.Features.Cart;

/// <summary>
/// Payment capture for checkout, behind an interface so a real provider can replace the default
/// (<see cref="DeferredPaymentGateway"/>) by registering its own singleton.
/// </summary>
public interface IPaymentGateway
{
    Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken);
}

public sealed record PaymentRequest(Guid UserId, Guid CourseId, decimal Amount, string Currency);

public enum PaymentStatus
{
    /// <summary>Paid: the enrolment is active.</summary>
    Captured,
    /// <summary>Accepted but not paid yet: the enrolment waits as <c>pending_payment</c>.</summary>
    Pending,
    /// <summary>Refused: no enrolment, the line stays in the cart.</summary>
    Declined,
}

/// <summary><c>Reference</c> identifies the payment at the provider; <c>Detail</c> says why a charge was declined.</summary>
public sealed record PaymentResult(PaymentStatus Status, string? Reference, string? Detail = null);
