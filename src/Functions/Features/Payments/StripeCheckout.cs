using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>
/// The calls the app makes to Stripe, through Stripe.net, pointed at <see cref="StripeOptions.ApiBase"/> (the stand-in
/// locally). Every write carries an idempotency key derived from the order, so a retry, a repair and a concurrent call
/// all get the one session (or refund) Stripe made the first time.
/// </summary>
public sealed class StripeCheckout
{
    private readonly IStripeClient client;
    private readonly StripeOptions options;

    public StripeCheckout(IOptions<StripeOptions> options, IHttpClientFactory httpClients)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(httpClients);
        this.options = options.Value;
        var http = new SystemNetHttpClient(httpClients.CreateClient(nameof(StripeCheckout)), maxNetworkRetries: 2);
        client = new StripeClient(this.options.SecretKey, httpClient: http,
            apiBase: string.IsNullOrWhiteSpace(this.options.ApiBase) ? null : this.options.ApiBase.TrimEnd('/'));
    }

    /// <summary>
    /// The Checkout Session of <paramref name="order"/>: one line item per course from the snapshots, the order id as
    /// client_reference_id and metadata, expiring <see cref="StripeOptions.SessionLifetime"/> after the order was made
    /// (derived from the order, not the clock, so a retried request has the very same parameters its key was first used with).
    /// </summary>
    public Task<Session> CreateSessionAsync(Order order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var orderId = order.Id.ToString();
        var metadata = new Dictionary<string, string> { ["order_id"] = orderId };
        var create = new SessionCreateOptions
        {
            Mode = "payment",
            ClientReferenceId = orderId,
            Metadata = metadata,
            PaymentIntentData = new SessionPaymentIntentDataOptions { Metadata = metadata },
            LineItems = [.. order.Lines.OrderBy(l => l.CourseSlug, StringComparer.Ordinal).Select(l => new SessionLineItemOptions
            {
                Quantity = 1,
                PriceData = new SessionLineItemPriceDataOptions
                {
                    Currency = l.Currency.ToLowerInvariant(),
                    UnitAmount = Money.ToMinorUnits(l.Price, l.Currency),
                    ProductData = new SessionLineItemPriceDataProductDataOptions
                    {
                        Name = l.CourseName,
                        Metadata = new Dictionary<string, string> { ["course_id"] = l.CourseId.ToString() },
                    },
                },
            })],
            SuccessUrl = Fill(options.SuccessUrl, orderId),
            CancelUrl = Fill(options.CancelUrl, orderId),
            ExpiresAt = (order.CreatedAt + options.SessionLifetime).UtcDateTime,
        };
        return new SessionService(client).CreateAsync(create, Key($"order-{orderId}-session"), cancellationToken);
    }

    public Task<Session> GetSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        new SessionService(client).GetAsync(sessionId, cancellationToken: cancellationToken);

    /// <summary>Closes an open session so it can no longer be paid (Stripe then sends <c>checkout.session.expired</c>).</summary>
    public Task<Session> ExpireSessionAsync(string sessionId, CancellationToken cancellationToken) =>
        new SessionService(client).ExpireAsync(sessionId, null, Key($"expire-{sessionId}"), cancellationToken);

    /// <summary>
    /// A refund of the order's payment: all that is left of it, or (<paramref name="line"/>) that line's price alone. The key
    /// names the order or the line, so a second click or a retry is the same refund.
    /// </summary>
    public Task<Refund> RefundAsync(Order order, OrderLine? line, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var metadata = new Dictionary<string, string> { ["order_id"] = order.Id.ToString() };
        if (line is not null) metadata["course"] = line.CourseSlug;
        var refund = new RefundCreateOptions
        {
            PaymentIntent = order.ProviderPaymentId,
            Amount = line is null ? null : Money.ToMinorUnits(line.Price, line.Currency),
            Metadata = metadata,
        };
        return new RefundService(client).CreateAsync(refund, Key(line is null ? $"order-{order.Id}-refund" : $"order-{order.Id}-refund-line-{line.Id}"), cancellationToken);
    }

    /// <summary>
    /// Whether Stripe refused the request for good (400, <c>invalid_request_error</c>: a disputed or already refunded charge,
    /// an amount beyond what is left). Stripe types a busy object's 429 <c>lock_timeout</c> the same way: that one is retried.
    /// </summary>
    public static bool RefusedForGood(StripeException exception) =>
        exception is { HttpStatusCode: System.Net.HttpStatusCode.BadRequest, StripeError.Type: "invalid_request_error" };

    private static RequestOptions Key(string key) => new() { IdempotencyKey = key };

    // {CHECKOUT_SESSION_ID} is Stripe's own placeholder and stays for Stripe to fill.
    private static string Fill(string url, string orderId) => url.Replace("{ORDER_ID}", orderId, StringComparison.Ordinal);
}
