using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Stripe;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>Orders as learners and staff see them, and the staff refund.</summary>
public sealed class OrderService(
    CoursePlatformDbContext db, OrderRefunds refunds, AuditScope audit, TimeProvider time, ILogger<OrderService> logger)
{
    /// <summary>The caller's orders, newest first.</summary>
    public async Task<PagedList<OrderDto>> ListMineAsync(Guid userId, PageRequest page, CancellationToken cancellationToken)
    {
        var rows = await db.Orders.AsNoTracking().Where(o => o.UserId == userId)
            .OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .ToPageAsync(page, cancellationToken);
        var lines = await LinesAsync([.. rows.Items.Select(o => o.Id)], cancellationToken);
        return new PagedList<OrderDto>([.. rows.Items.Select(o => ToDto(o, lines))], rows.Page, rows.PageSize, rows.Total);
    }

    /// <summary>One of the caller's orders; another learner's is 404, as if it did not exist.</summary>
    public async Task<OrderDto> GetMineAsync(Guid userId, Guid orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId && o.UserId == userId, cancellationToken)
            ?? throw ProblemException.NotFound("order");
        return ToDto(order, await LinesAsync([order.Id], cancellationToken));
    }

    /// <summary>Every order, newest first, filtered by status, learner (id or email), course (id or slug) and creation time.</summary>
    public async Task<PagedList<ManagedOrderDto>> ListAsync(OrderFilter filter, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Orders.AsNoTracking();
        if (filter.Status is { } status) query = query.Where(o => o.Status == status);
        if (!string.IsNullOrWhiteSpace(filter.Learner))
        {
            var learner = filter.Learner.Trim();
            var email = learner.ToLowerInvariant(); // emails are stored lower-case
            query = Guid.TryParse(learner, out var userId)
                ? query.Where(o => o.UserId == userId)
                : query.Where(o => o.User.Email == email);
        }
        if (!string.IsNullOrWhiteSpace(filter.Course))
        {
            var (courseId, slug) = CourseResolver.ParseKey(filter.Course.Trim());
            query = query.Where(o => db.OrderLines.Any(l => l.OrderId == o.Id && (courseId != null ? l.CourseId == courseId : l.CourseSlug == slug)));
        }
        if (filter.From is { } from) query = query.Where(o => o.CreatedAt >= from);
        if (filter.To is { } to) query = query.Where(o => o.CreatedAt < to);
        var rows = await query.OrderByDescending(o => o.CreatedAt).ThenByDescending(o => o.Id)
            .Select(o => new { Order = o, o.User.Email })
            .ToPageAsync(page, cancellationToken);
        var lines = await LinesAsync([.. rows.Items.Select(r => r.Order.Id)], cancellationToken);
        return new PagedList<ManagedOrderDto>([.. rows.Items.Select(r => new ManagedOrderDto(
            r.Order.Id, r.Order.UserId, r.Email, r.Order.Status, r.Order.Currency, r.Order.Amount, r.Order.CreatedAt,
            r.Order.PaidAt, r.Order.CancelledAt, r.Order.RefundedAt, lines.GetValueOrDefault(r.Order.Id, [])))], rows.Page, rows.PageSize, rows.Total);
    }

    public async Task<ManagedOrderDetailDto> GetAsync(Guid orderId, CancellationToken cancellationToken)
    {
        var row = await db.Orders.AsNoTracking().Where(o => o.Id == orderId).Select(o => new { Order = o, o.User.Email })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("order");
        var events = await db.OrderEvents.AsNoTracking().Where(e => e.OrderId == orderId)
            .OrderBy(e => e.CreatedAt).ThenBy(e => e.Id)
            .Select(e => new OrderEventDto(e.Id, e.Type, e.Detail, e.ProviderEventId, e.CreatedAt))
            .ToListAsync(cancellationToken);
        var o = row.Order;
        return new ManagedOrderDetailDto(o.Id, o.UserId, row.Email, o.Status, o.Currency, o.Amount, o.Provider, o.ProviderSessionId,
            o.ProviderPaymentId, o.CheckoutUrl, o.SessionExpiresAt, o.CreatedAt, o.AwaitingPaymentSince, o.PaidAt, o.CancelledAt, o.RefundedAt,
            (await LinesAsync([o.Id], cancellationToken)).GetValueOrDefault(o.Id, []), events);
    }

    /// <summary>
    /// Refunds a paid order in full through Stripe, then ends its enrolments at once (the <c>charge.refunded</c> webhook that
    /// follows finds the order refunded and changes nothing). A refunded order answers as it is; any other status is 409.
    /// </summary>
    public async Task<ManagedOrderDetailDto> RefundAsync(Guid orderId, Caller admin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(admin);
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, cancellationToken) ?? throw ProblemException.NotFound("order");
        if (order.Status == OrderStatus.Refunded) return await GetAsync(orderId, cancellationToken);
        if (order.Status != OrderStatus.Paid || order.ProviderPaymentId is null)
            throw ProblemException.Conflict($"Only a paid order can be refunded; this one is {order.Status.ToString().ToLowerInvariant()}.", ProblemCodes.OrderNotRefundable);

        Refund? refund;
        try
        {
            // Joins the audit middleware's transaction (this is an /api/manage write): the settlement and its audit row commit together.
            refund = await refunds.RefundAsync(orderId, $"refund by {admin.UserId}", cancellationToken);
        }
        catch (StripeException e) when (StripeCheckout.RefusedForGood(e))
        {
            throw ProblemException.Conflict($"Stripe refused the refund: {e.StripeError.Message}", ProblemCodes.OrderNotRefundable);
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            logger.LogWarning(e, "Stripe did not answer the refund of order {OrderId}", orderId);
            throw ProblemException.ServiceUnavailable(TimeSpan.FromSeconds(30), "Stripe could not be reached; the refund was not made. Try again.",
                ProblemCodes.PaymentProviderUnavailable);
        }

        // Refunded (or otherwise changed) by someone else between the read above and the lock.
        if (refund is null) return await RefundAsync(orderId, admin, cancellationToken);
        // The audit middleware records this /api/manage write; this says what it changed.
        audit.Changed("order", orderId, new { Status = order.Status }, new { Status = OrderStatus.Refunded, RefundId = refund.Id, refund.Amount, refund.Currency });
        return await GetAsync(orderId, cancellationToken);
    }

    private async Task<Dictionary<Guid, IReadOnlyList<OrderLineDto>>> LinesAsync(List<Guid> orderIds, CancellationToken cancellationToken)
    {
        var lines = await db.OrderLines.AsNoTracking().Where(l => orderIds.Contains(l.OrderId))
            .OrderBy(l => l.CourseSlug)
            .Select(l => new { l.OrderId, Line = new OrderLineDto(l.CourseId, l.CourseSlug, l.CourseName, l.Price, l.Currency, l.RefundedAt) })
            .ToListAsync(cancellationToken);
        return lines.GroupBy(l => l.OrderId).ToDictionary(g => g.Key, g => (IReadOnlyList<OrderLineDto>)[.. g.Select(l => l.Line)]);
    }

    private OrderDto ToDto(Order o, Dictionary<Guid, IReadOnlyList<OrderLineDto>> lines)
    {
        // A pending order's page is shown while it can still be paid (not once checkout completed with a delayed payment).
        var url = o.Status == OrderStatus.Pending && o.AwaitingPaymentSince is null && (o.SessionExpiresAt is null || o.SessionExpiresAt > time.GetUtcNow()) ? o.CheckoutUrl : null;
        var receipt = o.PaidAt is { } paidAt ? new ReceiptDto(o.Provider, o.ProviderPaymentId, o.Amount, o.Currency, paidAt, o.RefundedAt) : null;
        return new OrderDto(o.Id, o.Status, o.Currency, o.Amount, url, o.CreatedAt, o.AwaitingPaymentSince, o.PaidAt, o.CancelledAt, o.RefundedAt,
            lines.GetValueOrDefault(o.Id, []), receipt);
    }
}
