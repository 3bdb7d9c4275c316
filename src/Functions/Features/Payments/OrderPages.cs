using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Stripe;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>
/// The payment page (Stripe Checkout Session) of an order, made after the order committed. Checkout calls it at once;
/// the reconciliation timer calls it again for an order a crash (or an unreachable Stripe) left without one. The
/// idempotency key derived from the order makes every call get the same session, so two of them never mean two pages.
/// </summary>
public sealed class OrderPages(CoursePlatformDbContext db, StripeCheckout stripe, TimeProvider time, ILogger<OrderPages> logger)
{
    /// <summary>The order with its page; null when there is no such order. A failure to reach Stripe leaves the page null, for the repair.</summary>
    public async Task<Order?> EnsureAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Lines).SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order is null || order.Status != OrderStatus.Pending || order.ProviderSessionId is not null) return order;
        try
        {
            var session = await stripe.CreateSessionAsync(order, cancellationToken);
            var expiresAt = new DateTimeOffset(DateTime.SpecifyKind(session.ExpiresAt, DateTimeKind.Utc));
            // Only the first writer records the session (a concurrent repair got the same one from the key anyway).
            await db.Orders.Where(o => o.Id == orderId && o.ProviderSessionId == null)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(o => o.ProviderSessionId, session.Id)
                    .SetProperty(o => o.CheckoutUrl, session.Url)
                    .SetProperty(o => o.SessionExpiresAt, expiresAt), cancellationToken);
            db.OrderEvents.Add(new OrderEvent
            {
                Id = Guid.CreateVersion7(), OrderId = orderId, Type = "session_created", Detail = session.Id, CreatedAt = time.GetUtcNow(),
            });
            await db.SaveChangesAsync(cancellationToken);
            db.ChangeTracker.Clear();
            order.ProviderSessionId = session.Id;
            order.CheckoutUrl = session.Url;
            order.SessionExpiresAt = expiresAt;
        }
        catch (Exception e) when (e is StripeException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning(e, "No Stripe Checkout Session for order {OrderId} yet; the reconciliation timer retries", orderId);
        }
        return order;
    }
}
