using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Stripe;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>Refunds of paid orders: the staff's refund in full, and the timer's refund of what an order paid for twice.</summary>
/// <remarks>
/// Each runs in the caller's transaction if there is one, with the order's row and the learner's payments locked from the
/// check to the settlement, so a refund of a repeat and a refund of the order it repeats cannot both pass their checks.
/// Stripe's idempotency keys make a retry the same refund; the <c>charge.refunded</c> webhook that follows changes nothing
/// (it settles the same refund if this commit is lost). Stripe's errors are the caller's to answer.
/// </remarks>
public sealed class OrderRefunds(CoursePlatformDbContext db, StripeCheckout stripe, OrderSettlement settlement, TimeProvider time)
{
    /// <summary>Refunds the order in full and settles it as refunded; null, and nothing refunded, when it is not paid by then.</summary>
    public async Task<Refund?> RefundAsync(Guid orderId, string type, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        var order = await settlement.LockAsync(orderId, cancellationToken);
        if (order is not { Status: OrderStatus.Paid, ProviderPaymentId: not null }) return null;
        await settlement.LockLearnerPaymentsAsync(order.UserId, cancellationToken);
        var refund = await RefundInFullAsync(order, type, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return refund;
    }

    /// <summary>
    /// Refunds what a paid order marked for it (<c>reconcile_after</c>) pays for twice: all of it, settled as refunded, when
    /// another paid order of the learner pays for every course it still holds; else the price of each repeated course alone
    /// (its line marked refunded; the order stays paid and the course stays, held by the other order). The mark is cleared.
    /// Empty, and nothing refunded, when it repeats nothing by then (the other order was refunded meanwhile).
    /// </summary>
    /// <remarks>
    /// One line per transaction, each from the check to its record: a failure on a later line (the caller retries it
    /// or records it) never loses the record of a refund Stripe already made.
    /// </remarks>
    public async Task<IReadOnlyList<Refund>> RefundRepeatsAsync(Guid orderId, CancellationToken cancellationToken)
    {
        List<Refund> refunds = [];
        while (true)
        {
            await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
            var order = await settlement.LockAsync(orderId, cancellationToken);
            if (order is not { Status: OrderStatus.Paid, ProviderPaymentId: not null, ReconcileAfter: not null }) return refunds;
            await settlement.LockLearnerPaymentsAsync(order.UserId, cancellationToken);
            var repeats = await settlement.RepeatsAsync(order, cancellationToken);
            if (!repeats.Any)
            {
                await settlement.ClearRefundDueAsync(order.Id, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
                return refunds;
            }
            if (repeats.Whole)
            {
                refunds.Add(await RefundInFullAsync(order, "refund: duplicate payment", cancellationToken)); // ends the order and its mark
                await transaction.CommitAsync(cancellationToken);
                return refunds;
            }
            // The first repeated line; the next, if any, in a transaction of its own.
            var line = repeats.Repeated[0];
            var refund = await stripe.RefundAsync(order, line, cancellationToken);
            await db.OrderLines.Where(l => l.Id == line.Id).ExecuteUpdateAsync(s => s.SetProperty(l => l.RefundedAt, time.GetUtcNow()), cancellationToken);
            await settlement.RecordAsync(order.Id, "refund: course paid for twice",
                $"refunded {line.CourseSlug} ({Money.Format(refund.Amount, refund.Currency)}); the order stays paid", cancellationToken, refund.Id);
            await transaction.CommitAsync(cancellationToken);
            refunds.Add(refund);
        }
    }

    private async Task<Refund> RefundInFullAsync(Order order, string type, CancellationToken cancellationToken)
    {
        var refund = await stripe.RefundAsync(order, null, cancellationToken);
        await settlement.ApplyAsync(order, new Settlement(SettlementKind.Refunded, type, null, order.ProviderPaymentId, refund.Amount, refund.Currency),
            refund.Id, cancellationToken);
        return refund;
    }
}
