using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>
/// The timer's sweep, so nothing stays pending for ever and no crash loses an order:
/// <list type="bullet">
/// <item>an order still without a payment page <see cref="StripeOptions.SessionRepairDelay"/> after checkout (a crash, or
/// Stripe unreachable, between the commit and the session) gets its page (same idempotency key: never two pages);</item>
/// <item>an order whose page expired without a webhook is settled by what Stripe says of the session: paid, expired, or
/// (still open past its time) expired now at Stripe first, so it cannot be paid after the order ends;</item>
/// <item>an order whose purchase the learner cancelled is closed the same way;</item>
/// <item>a paid order all of whose courses another paid order had already bought (marked by <see cref="OrderSettlement"/>) is
/// refunded in full, so a learner does not pay twice for one course (a partial repeat is recorded for staff).</item>
/// </list>
/// Each kind is taken oldest first, <see cref="StripeOptions.ReconcileBatchSize"/> at a time. Orders awaiting a delayed payment
/// are left to their webhook, and an order Stripe answered with an error waits <see cref="StripeOptions.ReconcileRetryDelay"/>,
/// so neither can keep newer orders (a paid one whose webhook was lost) out of the batch.
/// </summary>
public sealed class PaymentReconciliation(
    CoursePlatformDbContext db, OrderPages pages, OrderSettlement settlement, OrderRefunds refunds, StripeCheckout stripe, IOptions<StripeOptions> options,
    TimeProvider time, ILogger<PaymentReconciliation> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var batch = options.Value.ReconcileBatchSize;
        // Only orders the timer can still do something about: not one whose delayed payment is on its way (only its webhook
        // settles it) nor one Stripe answered with an error a moment ago. Otherwise those would fill every batch for ever.
        var due = db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Pending && o.AwaitingPaymentSince == null && (o.ReconcileAfter == null || o.ReconcileAfter <= now));

        var unstarted = await due
            .Where(o => o.ProviderSessionId == null && o.CreatedAt < now - options.Value.SessionRepairDelay)
            .OrderBy(o => o.CreatedAt).Select(o => new { o.Id, o.CreatedAt }).Take(batch).ToListAsync(cancellationToken);
        foreach (var order in unstarted)
        {
            // Past its lifetime a page would be born expired (and the real Stripe refuses an expiry under 30 minutes away):
            // the order ends instead; it has no session, so nothing was charged.
            var left = order.CreatedAt + options.Value.SessionLifetime - now;
            if (left <= TimeSpan.Zero || (string.IsNullOrWhiteSpace(options.Value.ApiBase) && left < TimeSpan.FromMinutes(30))) await SettleAsync(order.Id, new Settlement(SettlementKind.Expired, "reconciled: never started"), cancellationToken);
            else if ((await pages.EnsureAsync(order.Id, cancellationToken))?.ProviderSessionId is { } session)
                logger.LogInformation("Repaired order {OrderId}: its Stripe session {SessionId} was made late", order.Id, session);
            // Still without a page (Stripe failing): tried again next run; its lifetime ends it, so it cannot stay at the head for ever.
        }

        var lapsed = await due
            .Where(o => o.ProviderSessionId != null && o.SessionExpiresAt < now)
            .OrderBy(o => o.SessionExpiresAt).Select(o => new { o.Id, SessionId = o.ProviderSessionId! }).Take(batch).ToListAsync(cancellationToken);
        foreach (var order in lapsed) await CloseAsync(order.Id, order.SessionId, cancellationToken);

        // A purchase the learner cancelled (DELETE /api/me/enrollments/{course}) leaves its order with no enrolment for any of
        // its courses (checkout writes them in the order's own transaction): its page is closed at Stripe, so it can no
        // longer be paid, and the order ends. Paid meanwhile, it is settled as paid and the course granted again.
        var abandoned = await due
            .Where(o => o.ProviderSessionId != null
                && !db.OrderLines.Any(l => l.OrderId == o.Id && db.Enrollments.Any(e => e.UserId == o.UserId && e.CourseId == l.CourseId)))
            .OrderBy(o => o.CreatedAt).Select(o => new { o.Id, SessionId = o.ProviderSessionId! }).Take(batch).ToListAsync(cancellationToken);
        foreach (var order in abandoned) await CloseAsync(order.Id, order.SessionId, cancellationToken);

        var duplicates = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Paid && o.ReconcileAfter != null && o.ReconcileAfter <= now)
            .OrderBy(o => o.ReconcileAfter).Select(o => o.Id).Take(batch).ToListAsync(cancellationToken);
        foreach (var orderId in duplicates) await RefundDuplicateAsync(orderId, cancellationToken);
    }

    /// <summary>Refunds what a paid order pays for twice (all of it, or the repeated courses' prices); what it now holds alone is kept.</summary>
    private async Task RefundDuplicateAsync(Guid orderId, CancellationToken cancellationToken)
    {
        try
        {
            var refunded = await refunds.RefundRepeatsAsync(orderId, cancellationToken);
            if (refunded.Count > 0)
                logger.LogWarning("Refunded order {OrderId} ({Refunds}): it paid for courses another paid order of the learner had bought", orderId, string.Join(", ", refunded.Select(r => r.Id)));
            else
                logger.LogInformation("Order {OrderId} no longer pays for anything twice (the other order was refunded meanwhile); it is kept", orderId);
        }
        catch (StripeException e) when (StripeCheckout.RefusedForGood(e))
        {
            // Refused for good (a disputed or already refunded charge): retrying cannot help; staff must look at it.
            logger.LogError("Stripe refused the refund of order {OrderId}, a duplicate payment: {Error}. It needs a person.", orderId, e.StripeError.Message);
            // One transaction: whoever reads the order sees the refusal and the cleared mark together, never one alone.
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await settlement.RecordAsync(orderId, "refund refused", $"what was paid for twice not refunded: {e.StripeError.Message}", cancellationToken);
            await settlement.ClearRefundDueAsync(orderId, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            logger.LogWarning(e, "Could not refund the duplicate payment of order {OrderId}; tried again after {Delay}", orderId, options.Value.ReconcileRetryDelay);
            await DeferAsync(orderId, OrderStatus.Paid, cancellationToken);
        }
    }

    /// <summary>Ends an order by what Stripe says of its session, expiring the session first while it is still open.</summary>
    private async Task CloseAsync(Guid orderId, string sessionId, CancellationToken cancellationToken)
    {
        try
        {
            var session = await stripe.GetSessionAsync(sessionId, cancellationToken);
            if (session.Status == "open") session = await stripe.ExpireSessionAsync(sessionId, cancellationToken);
            var change = session switch
            {
                { Status: "complete", PaymentStatus: "paid" } => new Settlement(SettlementKind.Paid, "reconciled: paid", session.Id, session.PaymentIntentId, session.AmountTotal, session.Currency),
                { Status: "expired" } => new Settlement(SettlementKind.Expired, "reconciled: expired", session.Id),
                // Complete and unpaid: a delayed payment on its way (its completion webhook was lost); recorded as awaiting,
                // which takes it out of these queries: its async_payment_succeeded / _failed webhook settles it.
                { Status: "complete" } => new Settlement(SettlementKind.AwaitingPayment, "reconciled: awaiting payment", session.Id, session.PaymentIntentId),
                _ => null,
            };
            if (change is not null) await SettleAsync(orderId, change, cancellationToken);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            logger.LogWarning(e, "Could not reconcile order {OrderId} with Stripe; tried again after {Delay}", orderId, options.Value.ReconcileRetryDelay);
            await DeferAsync(orderId, OrderStatus.Pending, cancellationToken);
        }
    }

    /// <summary>
    /// Leaves an order the provider failed on for <see cref="StripeOptions.ReconcileRetryDelay"/>, so the rest of the batch
    /// moves on; only while it is still in the state the attempt was for (a pending order paid meanwhile is not marked).
    /// </summary>
    private Task<int> DeferAsync(Guid orderId, OrderStatus status, CancellationToken cancellationToken)
    {
        var after = time.GetUtcNow() + options.Value.ReconcileRetryDelay;
        return db.Orders.Where(o => o.Id == orderId && o.Status == status).ExecuteUpdateAsync(s => s.SetProperty(o => o.ReconcileAfter, after), cancellationToken);
    }

    private async Task SettleAsync(Guid orderId, Settlement change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await settlement.LockAsync(orderId, cancellationToken);
        if (order?.Status == OrderStatus.Pending) await settlement.ApplyAsync(order, change, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
