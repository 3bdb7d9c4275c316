using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure;
using Stripe;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>A paid order refunded in full: the staff's refund and the timer's refund of a duplicate payment.</summary>
public sealed class OrderRefunds(CoursePlatformDbContext db, StripeCheckout stripe, OrderSettlement settlement)
{
    /// <summary>
    /// Refunds the order through Stripe (its idempotency key makes a retry the same refund) and settles it as refunded, in
    /// the caller's transaction if there is one (the <c>charge.refunded</c> webhook that follows changes nothing; it settles
    /// the same refund if this commit is lost). The order's row and the learner's payments stay locked from the check to the
    /// settlement, so a refund of a duplicate and a refund of the order it repeats cannot both pass their checks. Null, and
    /// nothing refunded, when the order is not paid by then, or (<paramref name="duplicateOnly"/>) is no longer a duplicate
    /// (its mark is then cleared). Stripe's errors are the caller's to answer.
    /// </summary>
    public async Task<Refund?> RefundAsync(Guid orderId, string type, bool duplicateOnly, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        var order = await settlement.LockAsync(orderId, cancellationToken);
        if (order is not { Status: OrderStatus.Paid, ProviderPaymentId: not null }) return null;
        await settlement.LockLearnerPaymentsAsync(order.UserId, cancellationToken);
        if (duplicateOnly && (order.ReconcileAfter is null || !await settlement.IsDuplicateAsync(order, cancellationToken)))
        {
            await settlement.ClearRefundDueAsync(order.Id, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        var refund = await stripe.RefundAsync(order, cancellationToken);
        await settlement.ApplyAsync(order, new Settlement(SettlementKind.Refunded, type, null, order.ProviderPaymentId, refund.Amount, refund.Currency),
            refund.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return refund;
    }
}
