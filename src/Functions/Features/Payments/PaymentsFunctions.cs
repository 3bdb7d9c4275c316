using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Data;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>Stripe's webhook, the learner's orders and the staff's order desk.</summary>
public sealed class PaymentsFunctions(StripeWebhookService webhook, OrderService orders)
{
    /// <summary>
    /// Stripe's events (checkout sessions completed, paid later, failed, expired; charges refunded). Signed with the
    /// endpoint secret in <c>Stripe-Signature</c>: 400 when it does not verify; 200 once handled, also for a replay.
    /// </summary>
    [Function("StripeWebhook")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> Webhook(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "payments/stripe/webhook")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        // Stripe is the caller: proven by the signature over the raw body, not by a bearer token.
        context.GetCaller();
        // Unsigned posts are refused before the body is read; a signed one is read within the body limit (413).
        var signature = request.Headers.TryGetValues("Stripe-Signature", out var values) ? values.FirstOrDefault() : null;
        if (string.IsNullOrEmpty(signature)) throw ProblemException.BadRequest("The Stripe-Signature header is missing.", ProblemCodes.WebhookSignatureInvalid);
        var payload = await request.ReadTextAsync(cancellationToken);
        return await request.OkAsync(await webhook.HandleAsync(payload, signature, cancellationToken), cancellationToken);
    }

    /// <summary>The caller's orders, newest first.</summary>
    [Function("ListMyOrders")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> ListMine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/orders")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await orders.ListMineAsync(context.RequireCaller().UserId, PageRequest.From(request), cancellationToken), cancellationToken);

    /// <summary>One of the caller's orders with its lines, status, amounts, the page to pay it while pending, and its receipt once paid.</summary>
    [Function("GetMyOrder")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> GetMine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/orders/{orderId:guid}")] HttpRequestData request,
        Guid orderId, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await orders.GetMineAsync(context.RequireCaller().UserId, orderId, cancellationToken), cancellationToken);

    /// <summary>Every order, newest first.</summary>
    [Function("ListOrders")]
    [Allow(Callers.Admins)]
    [QueryParameter("status", "Only orders in this status.", Values = ["pending", "paid", "cancelled", "expired", "refunded"])]
    [QueryParameter("learner", "Only this learner's orders: the user's id or email.", MaxLength = 320)]
    [QueryParameter("course", "Only orders with this course: its id or slug.", MaxLength = 120)]
    [QueryParameter("from", "Only orders created at or after this instant (ISO 8601).")]
    [QueryParameter("to", "Only orders created before this instant (ISO 8601).")]
    public async Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/orders")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var filter = new OrderFilter(Status(request.Query["status"]), request.Query["learner"], request.Query["course"],
            Instant(request.Query["from"], "from"), Instant(request.Query["to"], "to"));
        return await request.PrivateJsonAsync(await orders.ListAsync(filter, PageRequest.From(request), cancellationToken), cancellationToken);
    }

    /// <summary>An order with the provider's ids and its history of events.</summary>
    [Function("GetOrder")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/orders/{orderId:guid}")] HttpRequestData request,
        Guid orderId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(await orders.GetAsync(orderId, cancellationToken), cancellationToken);
    }

    /// <summary>Refunds a paid order in full through Stripe; its courses' access ends at once. A refunded order answers as it is.</summary>
    [Function("RefundOrder")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Refund(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/orders/{orderId:guid}/refund")] HttpRequestData request,
        Guid orderId, FunctionContext context, CancellationToken cancellationToken) =>
        await request.OkAsync(await orders.RefundAsync(orderId, context.RequireCaller(), cancellationToken), cancellationToken);

    private static OrderStatus? Status(string? text) =>
        string.IsNullOrEmpty(text) ? null
        : Json.TryParseLabel<OrderStatus>(text, out var status) ? status
        : throw ProblemException.Validation("status", "Must be one of pending, paid, cancelled, expired, refunded.");

    private static DateTimeOffset? Instant(string? text, string name) =>
        string.IsNullOrEmpty(text) ? null
        : DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var value) ? value
        : throw ProblemException.Validation(name, "Must be an ISO 8601 instant, e.g. 2026-12-01T00:00:00Z.");
}

public sealed class ReconcileOrdersFunction(PaymentReconciliation reconciliation)
{
    /// <summary>Schedule from the PaymentReconcileSchedule app setting (default every 5 minutes: <c>0 */5 * * * *</c>).</summary>
    [Function("ReconcileOrders")]
    public Task Run([TimerTrigger("%PaymentReconcileSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        reconciliation.RunAsync(cancellationToken);
}
