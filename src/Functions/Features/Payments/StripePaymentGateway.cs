using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Cart;
using CoursePlatform.Functions.Features.Enrollments;
using CoursePlatform.Functions.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>
/// Checkout's gateway when Stripe settles payments. Scoped: it shares checkout's DbContext and so its transaction.
/// <list type="bullet">
/// <item><see cref="ChargeAsync"/> (inside checkout's transaction): a free line is captured at once; a course the learner
/// already has a pending order for answers with that order (never a second charge), one whose delayed payment is on its
/// way refuses the checkout (409 <c>payment_processing</c>); every other paid line joins this
/// checkout's order of its currency, written here, so the order commits with the <c>pending_payment</c> enrolments.</item>
/// <item><see cref="StartAsync"/> (after the commit): the Stripe Checkout Session of each order without one
/// (<see cref="OrderPages"/>).</item>
/// </list>
/// </summary>
public sealed class StripePaymentGateway(CoursePlatformDbContext db, OrderPages pages, TimeProvider time) : IPaymentGateway
{
    public const string Provider = "stripe";

    // This checkout's new order per currency: one order per currency, as Stripe charges one currency per session.
    private readonly Dictionary<string, Order> opened = new(StringComparer.Ordinal);

    public async Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Amount == 0) return new PaymentResult(PaymentStatus.Captured, null);
        // Stripe charges whole minor units, per line: a finer price (saved before the rule) would never match the order's total.
        if (!Money.IsExact(request.Amount, request.Currency))
            return new PaymentResult(PaymentStatus.Declined, null, $"The price has more decimals than {request.Currency} has; the course cannot be bought until it is corrected.");

        await DelayedPayments.RefuseWhileOnItsWayAsync(db, request.UserId, request.CourseId, request.CourseName, cancellationToken);

        // A pending order whose page is still open already charges for this course: its URL, not a second order.
        var reusable = time.GetUtcNow().AddMinutes(1);
        var pending = await db.Orders
            .FromSql($"""
                SELECT o.* FROM orders o
                WHERE o.user_id = {request.UserId} AND o.status = 'pending' AND o.awaiting_payment_since IS NULL
                  AND (o.session_expires_at IS NULL OR o.session_expires_at > {reusable})
                  AND EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.course_id = {request.CourseId})
                ORDER BY o.created_at DESC
                LIMIT 1
                FOR UPDATE OF o
                """)
            .AsNoTracking()
            .Select(o => (Guid?)o.Id)
            .FirstOrDefaultAsync(cancellationToken);
        if (pending is { } existing) return new PaymentResult(PaymentStatus.Pending, existing.ToString());

        var now = time.GetUtcNow();
        now = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond)); // as timestamptz keeps it: the session's expiry derives from it
        if (!opened.TryGetValue(request.Currency, out var order))
        {
            order = new Order { Id = Guid.CreateVersion7(), UserId = request.UserId, Currency = request.Currency, Provider = Provider, CreatedAt = now };
            opened[request.Currency] = order;
            db.Orders.Add(order);
            db.OrderEvents.Add(new OrderEvent { Id = Guid.CreateVersion7(), OrderId = order.Id, Type = "created", CreatedAt = now });
        }
        order.Amount += request.Amount;
        db.OrderLines.Add(new OrderLine
        {
            Id = Guid.CreateVersion7(), OrderId = order.Id, CourseId = request.CourseId, CourseSlug = request.CourseSlug,
            CourseName = request.CourseName, Price = request.Amount, Currency = request.Currency,
        });
        await db.SaveChangesAsync(cancellationToken);
        return new PaymentResult(PaymentStatus.Pending, order.Id.ToString());
    }

    public async Task<IReadOnlyList<CheckoutOrderDto>> StartAsync(Guid userId, IReadOnlyList<string> references, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(references);
        var ids = references.Select(r => Guid.TryParse(r, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
        var orders = new List<CheckoutOrderDto>();
        foreach (var id in ids)
        {
            var order = await pages.EnsureAsync(id, cancellationToken);
            if (order is not null && order.UserId == userId)
                orders.Add(new CheckoutOrderDto(order.Id, order.Status, order.Currency, order.Amount, order.CheckoutUrl));
        }
        return orders;
    }
}
