using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>What the provider says happened to an order's payment.</summary>
public enum SettlementKind
{
    /// <summary>Money taken (<c>checkout.session.completed</c> paid, <c>async_payment_succeeded</c>).</summary>
    Paid,
    /// <summary>Checkout finished, the money is still on its way (a delayed payment method).</summary>
    AwaitingPayment,
    /// <summary>The delayed payment failed.</summary>
    Failed,
    /// <summary>The page closed unpaid.</summary>
    Expired,
    /// <summary>Money returned (<c>charge.refunded</c>, or a refund made here).</summary>
    Refunded,
}

/// <param name="Type">The event type (or the app's own name for the source) recorded with the order.</param>
/// <param name="AmountMinor">What the provider charged (Paid) or refunded so far (Refunded), in minor units.</param>
public sealed record Settlement(SettlementKind Kind, string Type, string? SessionId = null, string? PaymentId = null,
    long? AmountMinor = null, string? Currency = null, long? ChargedMinor = null);

/// <summary>
/// The one place an order changes state, always under the order's row lock and in one transaction with the enrolments
/// it grants or takes away, so events arriving twice, concurrently or out of order end in the same state:
/// <list type="bullet">
/// <item>paid wins over expired and failed (money taken is never lost: a late completion still grants the courses);</item>
/// <item>refunded wins over everything (a refund that overtakes its completion never activates);</item>
/// <item>a payment whose amount or currency differs from the order is refused, logged and recorded, and never activates.</item>
/// </list>
/// </summary>
public sealed class OrderSettlement(CoursePlatformDbContext db, TimeProvider time, ILogger<OrderSettlement> logger)
{
    /// <summary>Locks the order for the rest of the caller's transaction; null when there is none.</summary>
    public Task<Order?> LockAsync(Guid orderId, CancellationToken cancellationToken) =>
        db.Orders.FromSql($"SELECT * FROM orders WHERE id = {orderId} FOR UPDATE").AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The learner's payments and refunds, one at a time for the rest of the caller's transaction, so the second of two
    /// payments for the same courses sees the first, and a refund never crosses the check of another. Always taken after
    /// the order's row lock, and never followed by another order's row lock, so no two settlements wait on each other.
    /// </summary>
    public Task LockLearnerPaymentsAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({"payments:" + userId}, 0))", cancellationToken);

    /// <summary>Applies <paramref name="settlement"/> to the locked <paramref name="order"/>, in the caller's transaction; true when the state changed.</summary>
    public async Task<bool> ApplyAsync(Order order, Settlement settlement, string? providerEventId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(settlement);
        if (settlement.Kind is SettlementKind.Paid or SettlementKind.Refunded) await LockLearnerPaymentsAsync(order.UserId, cancellationToken);
        var now = time.GetUtcNow();
        var courses = await db.OrderLines.Where(l => l.OrderId == order.Id).Select(l => l.CourseId).ToListAsync(cancellationToken);
        string outcome;
        var changed = false;
        switch (settlement.Kind)
        {
            case SettlementKind.Paid when !Matches(order, settlement):
                outcome = "amount_mismatch";
                logger.LogError("Order {OrderId} refused a payment of {Charged} for {Expected}: it stays {Status}",
                    order.Id, Money.Format(settlement.AmountMinor ?? -1, settlement.Currency ?? "?"), Money.Format(Money.ToMinorUnits(order.Amount, order.Currency), order.Currency), order.Status);
                break;
            case SettlementKind.Paid when order.Status is OrderStatus.Pending or OrderStatus.Expired or OrderStatus.Cancelled:
                // Paid for courses another paid order already bought (a late completion after the learner bought again):
                // granted as any payment is, and due for a refund of what it repeats by the timer (PaymentReconciliation,
                // OrderRefunds.RefundRepeatsAsync), so no course is paid for twice.
                var repeats = await RepeatsAsync(order, cancellationToken);
                await SetAsync(order.Id, OrderStatus.Paid, s => s
                    .SetProperty(o => o.PaidAt, now)
                    .SetProperty(o => o.ProviderPaymentId, o => settlement.PaymentId ?? o.ProviderPaymentId), cancellationToken,
                    reconcileAfter: repeats.Any ? now : null);
                await ActivateAsync(order.UserId, courses, now, cancellationToken);
                (outcome, changed) = (repeats.Whole ? "paid (a duplicate: refund due)"
                    : repeats.Any ? $"paid ({repeats.Repeated.Count} of {repeats.Lines.Count} courses already paid for: refund of that part due)" : "paid", true);
                break;
            case SettlementKind.AwaitingPayment when order.Status == OrderStatus.Pending:
                // Checkout finished with a method that clears later: no new checkout of these courses until it is paid or fails.
                await SetAsync(order.Id, OrderStatus.Pending, s => s
                    .SetProperty(o => o.AwaitingPaymentSince, o => o.AwaitingPaymentSince ?? now)
                    .SetProperty(o => o.ProviderPaymentId, o => settlement.PaymentId ?? o.ProviderPaymentId), cancellationToken);
                (outcome, changed) = ("awaiting_payment", order.AwaitingPaymentSince is null);
                break;
            case SettlementKind.Failed when order.Status == OrderStatus.Pending:
                await SetAsync(order.Id, OrderStatus.Cancelled, s => s.SetProperty(o => o.CancelledAt, now), cancellationToken);
                await ReleaseAsync(order, courses, cancellationToken);
                (outcome, changed) = ("cancelled", true);
                break;
            case SettlementKind.Expired when order.Status == OrderStatus.Pending:
                await SetAsync(order.Id, OrderStatus.Expired, s => s.SetProperty(o => o.CancelledAt, now), cancellationToken);
                await ReleaseAsync(order, courses, cancellationToken);
                (outcome, changed) = ("expired", true);
                break;
            case SettlementKind.Refunded when settlement.ChargedMinor is { } charged && settlement.AmountMinor < charged:
                outcome = "partially_refunded"; // recorded; access stays until the whole payment is returned
                break;
            case SettlementKind.Refunded when order.Status != OrderStatus.Refunded:
                await SetAsync(order.Id, OrderStatus.Refunded, s => s
                    .SetProperty(o => o.RefundedAt, now)
                    .SetProperty(o => o.ProviderPaymentId, o => settlement.PaymentId ?? o.ProviderPaymentId), cancellationToken);
                if (order.Status == OrderStatus.Paid) await RevokeAsync(order, courses, cancellationToken);
                else await ReleaseAsync(order, courses, cancellationToken);
                (outcome, changed) = ("refunded", true);
                break;
            default:
                outcome = "ignored"; // a later state already holds (paid after expired, expired after paid, a second refund...)
                break;
        }
        await RecordAsync(order.Id, settlement.Type,
            outcome + (settlement.AmountMinor is { } amount ? $" ({Money.Format(amount, settlement.Currency ?? order.Currency)})" : ""),
            cancellationToken, providerEventId);
        logger.LogInformation("Order {OrderId}: {Type} -> {Outcome}", order.Id, settlement.Type, outcome);
        return changed;
    }

    /// <summary>The order's lines it still pays for (not refunded on their own), and those whose course another paid order of the learner also pays for.</summary>
    public async Task<Repeats> RepeatsAsync(Order order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var lines = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == order.Id && l.RefundedAt == null).ToListAsync(cancellationToken);
        var courses = lines.Select(l => l.CourseId).ToList();
        var elsewhere = await db.OrderLines
            .Where(l => courses.Contains(l.CourseId) && l.OrderId != order.Id && l.RefundedAt == null && l.Order.UserId == order.UserId && l.Order.Status == OrderStatus.Paid)
            .Select(l => l.CourseId).Distinct().ToListAsync(cancellationToken);
        return new Repeats(lines, [.. lines.Where(l => elsewhere.Contains(l.CourseId))]);
    }

    /// <summary>Takes the refund-due mark off a paid order (it holds its courses now, or Stripe refused its refund for good).</summary>
    public Task<int> ClearRefundDueAsync(Guid orderId, CancellationToken cancellationToken) =>
        db.Orders.Where(o => o.Id == orderId && o.Status == OrderStatus.Paid)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.ReconcileAfter, (DateTimeOffset?)null), cancellationToken);

    /// <summary>Records on the order's history what happened: each settlement, and what happened outside one (a refund Stripe refused).</summary>
    public async Task RecordAsync(Guid orderId, string type, string detail, CancellationToken cancellationToken, string? providerEventId = null)
    {
        db.OrderEvents.Add(new OrderEvent
        {
            Id = Guid.CreateVersion7(), OrderId = orderId, Type = type, Detail = detail, ProviderEventId = providerEventId, CreatedAt = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(cancellationToken);
        db.ChangeTracker.Clear();
    }

    private static bool Matches(Order order, Settlement settlement) =>
        settlement.AmountMinor == Money.ToMinorUnits(order.Amount, order.Currency)
        && string.Equals(settlement.Currency, order.Currency.Trim(), StringComparison.OrdinalIgnoreCase);

    /// <param name="reconcileAfter">When the timer next looks at the order: a new state starts afresh (a retry delay set for the old one goes).</param>
    private Task<int> SetAsync(Guid orderId, OrderStatus status,
        Func<Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Order>, Microsoft.EntityFrameworkCore.Query.UpdateSettersBuilder<Order>> more,
        CancellationToken cancellationToken, DateTimeOffset? reconcileAfter = null) =>
        db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => more(s.SetProperty(o => o.Status, status).SetProperty(o => o.ReconcileAfter, reconcileAfter)), cancellationToken);

    /// <summary>Paid: each course active (a pending enrolment turns active; one cancelled meanwhile is made again), its cart lines gone.</summary>
    private async Task ActivateAsync(Guid userId, List<Guid> courses, DateTimeOffset now, CancellationToken cancellationToken)
    {
        foreach (var courseId in courses)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO enrollments (id, user_id, course_id, source, status, cohort_id, enrolled_at)
                VALUES ({Guid.CreateVersion7()}, {userId}, {courseId}, CAST({Json.Label(EnrollmentSource.Checkout)} AS enrollment_source),
                        CAST({Json.Label(EnrollmentStatus.Active)} AS enrollment_status), NULL, {now})
                ON CONFLICT (user_id, course_id) DO UPDATE SET status = 'active' WHERE enrollments.status = 'pending_payment'
                """, cancellationToken);
        }
        await db.CartLines.Where(l => l.UserId == userId && courses.Contains(l.CourseId)).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>Unpaid: the pending enrolments go, so the course can be bought again; one another pending order still pays for stays.</summary>
    private Task<int> ReleaseAsync(Order order, List<Guid> courses, CancellationToken cancellationToken) =>
        db.Enrollments
            .Where(e => e.UserId == order.UserId && courses.Contains(e.CourseId) && e.Status == EnrollmentStatus.PendingPayment)
            .Where(e => !db.Orders.Any(o => o.Id != order.Id && o.UserId == order.UserId && o.Status == OrderStatus.Pending
                && db.OrderLines.Any(l => l.OrderId == o.Id && l.CourseId == e.CourseId)))
            .ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// Refunded: the bought enrolments end (progress rows are the learner's and stay); cohort admissions are not purchases and
    /// stay, and so does a course another paid order of the learner also bought (its money was not returned).
    /// </summary>
    private Task<int> RevokeAsync(Order order, List<Guid> courses, CancellationToken cancellationToken) =>
        db.Enrollments
            .Where(e => e.UserId == order.UserId && courses.Contains(e.CourseId) && e.Source == EnrollmentSource.Checkout)
            .Where(e => !db.Orders.Any(o => o.Id != order.Id && o.UserId == order.UserId && o.Status == OrderStatus.Paid
                && db.OrderLines.Any(l => l.OrderId == o.Id && l.CourseId == e.CourseId && l.RefundedAt == null)))
            .ExecuteDeleteAsync(cancellationToken);
}

/// <param name="Lines">The lines an order still pays for.</param>
/// <param name="Repeated">Those of them whose course another paid order of the learner also pays for.</param>
public sealed record Repeats(IReadOnlyList<OrderLine> Lines, IReadOnlyList<OrderLine> Repeated)
{
    /// <summary>Some of the order is paid for twice.</summary>
    public bool Any => Repeated.Count > 0;

    /// <summary>All of it is: the whole payment is a duplicate.</summary>
    public bool Whole => Lines.Count > 0 && Repeated.Count == Lines.Count;
}
