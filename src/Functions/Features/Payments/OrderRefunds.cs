using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure;
using Stripe;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>A paid order refunded in full: the staff's refund and the timer's refund of a duplicate payment.</summary>
public sealed class OrderRefunds(CoursePlatformDbContext db, StripeCheckout stripe, OrderSettlement settlement)
{
    /// <summary>
    /// Refunds <paramref name="order"/> through Stripe (its idempotency key makes a retry the same refund), then settles it
    /// as refunded in the caller's transaction if there is one (the <c>charge.refunded</c> webhook that follows changes
    /// nothing; it settles the same refund if this commit is lost). Stripe's errors are the caller's to answer.
    /// </summary>
    public async Task<Refund> RefundAsync(Order order, string type, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var refund = await stripe.RefundAsync(order, cancellationToken);
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        var locked = await settlement.LockAsync(order.Id, cancellationToken);
        await settlement.ApplyAsync(locked!, new Settlement(SettlementKind.Refunded, type, null, order.ProviderPaymentId, refund.Amount, refund.Currency),
            refund.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return refund;
    }
}
