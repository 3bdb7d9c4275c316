using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>What became of a webhook delivery (the HTTP answer is 200 for all three: Stripe stops retrying).</summary>
public enum WebhookOutcome { Processed, Replayed, Ignored }

public sealed record WebhookReceipt(string EventId, string Type, WebhookOutcome Outcome);

/// <summary>
/// Stripe's webhook: the signature is verified with the endpoint secret and a tolerance (Stripe.net's
/// <see cref="EventUtility.ConstructEvent(string, string, string, long, long, bool)"/>), then the event is recorded once
/// (<c>processed_payment_events</c>, keyed by its id) in the same transaction that settles its order. A replay, or the
/// same event delivered concurrently, finds the id taken (the unique key makes the others wait for the first) and
/// changes nothing.
/// </summary>
public sealed class StripeWebhookService(
    CoursePlatformDbContext db, OrderSettlement settlement, IOptions<StripeOptions> options, TimeProvider time, ILogger<StripeWebhookService> logger)
{
    public async Task<WebhookReceipt> HandleAsync(string payload, string? signature, CancellationToken cancellationToken)
    {
        Event stripeEvent;
        try
        {
            stripeEvent = EventUtility.ConstructEvent(payload, signature ?? "", options.Value.WebhookSecret,
                options.Value.WebhookToleranceSeconds, time.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException e)
        {
            logger.LogWarning("Refused a Stripe webhook: {Reason}", e.Message);
            throw ProblemException.BadRequest("The Stripe-Signature header does not verify this payload (wrong secret, stale timestamp or altered body).",
                ProblemCodes.WebhookSignatureInvalid);
        }

        var (orderId, change) = Read(stripeEvent);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var recorded = await db.Database.SqlQuery<string>($"""
            INSERT INTO processed_payment_events (id, provider, type, processed_at)
            VALUES ({stripeEvent.Id}, {StripePaymentGateway.Provider}, {stripeEvent.Type}, {time.GetUtcNow()})
            ON CONFLICT (id) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        if (recorded.Count == 0) return new WebhookReceipt(stripeEvent.Id, stripeEvent.Type, WebhookOutcome.Replayed);

        var outcome = WebhookOutcome.Ignored;
        if (change is not null)
        {
            orderId ??= await OrderOfPaymentAsync(change.PaymentId, cancellationToken);
            var order = orderId is { } id ? await settlement.LockAsync(id, cancellationToken) : null;
            if (order is null) logger.LogWarning("Stripe event {EventId} ({Type}) names no order of this app", stripeEvent.Id, stripeEvent.Type);
            else
            {
                await settlement.ApplyAsync(order, change, stripeEvent.Id, cancellationToken);
                outcome = WebhookOutcome.Processed;
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return new WebhookReceipt(stripeEvent.Id, stripeEvent.Type, outcome);
    }

    /// <summary>The order an event is about and what it says; other event types are recorded and ignored.</summary>
    private static (Guid? OrderId, Settlement? Change) Read(Event stripeEvent)
    {
        switch (stripeEvent.Data.Object)
        {
            case Session session:
                var kind = stripeEvent.Type switch
                {
                    EventTypes.CheckoutSessionCompleted => session.PaymentStatus == "paid" ? SettlementKind.Paid : SettlementKind.AwaitingPayment,
                    EventTypes.CheckoutSessionAsyncPaymentSucceeded => SettlementKind.Paid,
                    EventTypes.CheckoutSessionAsyncPaymentFailed => SettlementKind.Failed,
                    EventTypes.CheckoutSessionExpired => SettlementKind.Expired,
                    _ => (SettlementKind?)null,
                };
                return kind is null ? (null, null) : (OrderIdOf(session.ClientReferenceId, session.Metadata),
                    new Settlement(kind.Value, stripeEvent.Type, session.Id, session.PaymentIntentId, session.AmountTotal, session.Currency));
            case Charge charge when stripeEvent.Type == EventTypes.ChargeRefunded:
                return (OrderIdOf(null, charge.Metadata),
                    new Settlement(SettlementKind.Refunded, stripeEvent.Type, null, charge.PaymentIntentId, charge.AmountRefunded, charge.Currency, charge.Amount));
            default:
                return (null, null);
        }
    }

    private static Guid? OrderIdOf(string? clientReferenceId, Dictionary<string, string>? metadata) =>
        Guid.TryParse(clientReferenceId, out var id) ? id
        : metadata is not null && metadata.TryGetValue("order_id", out var value) && Guid.TryParse(value, out id) ? id
        : null;

    private async Task<Guid?> OrderOfPaymentAsync(string? paymentId, CancellationToken cancellationToken) =>
        paymentId is null ? null
        : await db.Orders.Where(o => o.ProviderPaymentId == paymentId).Select(o => (Guid?)o.Id).FirstOrDefaultAsync(cancellationToken);
}
