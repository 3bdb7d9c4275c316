namespace CoursePlatform.Functions.Features.Cart;

/// <summary>
/// The default gateway while no payment provider is wired in: a free course is captured at once, a paid
/// one is recorded as pending with a reference for whoever settles it later. It never declines.
/// </summary>
public sealed class DeferredPaymentGateway : IPaymentGateway
{
    public Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.FromResult(request.Amount == 0
            ? new PaymentResult(PaymentStatus.Captured, null)
            : new PaymentResult(PaymentStatus.Pending, $"pay_{Guid.CreateVersion7():N}"));
    }
}
