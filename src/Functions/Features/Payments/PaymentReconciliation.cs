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
/// <item>an order whose purchase the learner cancelled is closed the same way.</item>
/// </list>
/// </summary>
public sealed class PaymentReconciliation(
    CoursePlatformDbContext db, OrderPages pages, OrderSettlement settlement, StripeCheckout stripe, IOptions<StripeOptions> options,
    TimeProvider time, ILogger<PaymentReconciliation> logger)
{
    private const int Batch = 100;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var unstarted = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Pending && o.ProviderSessionId == null && o.CreatedAt < now - options.Value.SessionRepairDelay)
            .OrderBy(o => o.CreatedAt).Select(o => new { o.Id, o.CreatedAt }).Take(Batch).ToListAsync(cancellationToken);
        foreach (var order in unstarted)
        {
            // Past its lifetime a page would be born expired (and the real Stripe refuses an expiry under 30 minutes away):
            // the order ends instead; it has no session, so nothing was charged.
            var left = order.CreatedAt + options.Value.SessionLifetime - now;
            if (left <= TimeSpan.Zero || (string.IsNullOrWhiteSpace(options.Value.ApiBase) && left < TimeSpan.FromMinutes(30))) await SettleAsync(order.Id, new Settlement(SettlementKind.Expired, "reconciled: never started"), cancellationToken);
            else if ((await pages.EnsureAsync(order.Id, cancellationToken))?.ProviderSessionId is { } session)
                logger.LogInformation("Repaired order {OrderId}: its Stripe session {SessionId} was made late", order.Id, session);
        }

        var lapsed = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Pending && o.ProviderSessionId != null && o.SessionExpiresAt < now)
            .OrderBy(o => o.SessionExpiresAt).Select(o => new { o.Id, SessionId = o.ProviderSessionId! }).Take(Batch).ToListAsync(cancellationToken);
        foreach (var order in lapsed) await CloseAsync(order.Id, order.SessionId, cancellationToken);

        // A purchase the learner cancelled (DELETE /api/me/enrollments/{course}) leaves its order with no enrolment for any of
        // its courses (checkout writes them in the order's own transaction): its page is closed at Stripe, so it can no
        // longer be paid, and the order ends. Paid meanwhile, it is settled as paid and the course granted again.
        var abandoned = await db.Orders.AsNoTracking()
            .Where(o => o.Status == OrderStatus.Pending && o.ProviderSessionId != null
                && !db.OrderLines.Any(l => l.OrderId == o.Id && db.Enrollments.Any(e => e.UserId == o.UserId && e.CourseId == l.CourseId)))
            .OrderBy(o => o.CreatedAt).Select(o => new { o.Id, SessionId = o.ProviderSessionId! }).Take(Batch).ToListAsync(cancellationToken);
        foreach (var order in abandoned) await CloseAsync(order.Id, order.SessionId, cancellationToken);
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
                _ => null, // complete and unpaid: a delayed payment still on its way; its webhook settles it
            };
            if (change is not null) await SettleAsync(orderId, change, cancellationToken);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            logger.LogWarning(e, "Could not reconcile order {OrderId} with Stripe; the next run tries again", orderId);
        }
    }

    private async Task SettleAsync(Guid orderId, Settlement change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var order = await settlement.LockAsync(orderId, cancellationToken);
        if (order?.Status == OrderStatus.Pending) await settlement.ApplyAsync(order, change, null, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
