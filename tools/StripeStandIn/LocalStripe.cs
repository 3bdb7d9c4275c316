using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.StripeStandIn;

public sealed record StripeStandInSettings(string SecretKey, string WebhookSecret, int Port = 0)
{
    /// <summary>Where events are delivered; settable later (the app's port may be known only after this starts).</summary>
    public string? WebhookUrl { get; set; }
}

/// <summary>How the stand-in misbehaves, so tests can prove the app copes. All off by default.</summary>
public sealed class StripeMisbehaviour
{
    /// <summary>Session creation answers 500 (Stripe down) while set: the crash-between-order-and-session case.</summary>
    public bool FailSessionCreates { get; set; }
    /// <summary>Refunds answer 500 (Stripe down) while set.</summary>
    public bool FailRefunds { get; set; }
    /// <summary>Refunds are refused for good while set, as Stripe refuses a disputed charge's (400 <c>charge_disputed</c>).</summary>
    public bool DisputeCharges { get; set; }
    /// <summary>Refunds answer 429 <c>lock_timeout</c> while set (typed <c>invalid_request_error</c>, as Stripe types it): busy, not refused.</summary>
    public bool LockTimeoutRefunds { get; set; }
    /// <summary>Events are queued but not delivered while set (a lost webhook); cleared, they go out.</summary>
    public bool HoldWebhooks { get; set; }
}

/// <summary>
/// Stripe, on loopback, for the part the app uses: <c>POST /v1/checkout/sessions</c>, <c>GET /v1/checkout/sessions/{id}</c>,
/// <c>POST /v1/checkout/sessions/{id}/expire</c> and <c>POST /v1/refunds</c>, answered in Stripe's shapes (so Stripe.net
/// runs unchanged against it) with Stripe's bearer-key check and idempotency keys; a hosted checkout page at each session's
/// <c>url</c> with buttons to pay, fail or cancel; and webhooks signed as Stripe signs them
/// (<c>Stripe-Signature: t=...,v1=hex(HMAC-SHA256(secret, "{t}.{payload}"))</c>), retried with backoff until the app answers 2xx.
/// </summary>
public sealed class LocalStripe : IAsyncDisposable
{
    /// <summary>Delivery attempts of one event (Stripe keeps trying for three days; locally a minute is plenty).</summary>
    public const int MaxDeliveryAttempts = 8;

    private readonly StripeStandInSettings settings;
    private readonly WebApplication app;
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<string, string> idempotent = new(StringComparer.Ordinal);
    private readonly Channel<(string Id, string Payload)> outbox = Channel.CreateUnbounded<(string, string)>();
    private readonly CancellationTokenSource stopping = new();
    private readonly object gate = new();
    private Task? delivery;
    private Task? expiry;

    private LocalStripe(StripeStandInSettings settings)
    {
        this.settings = settings;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        app.MapPost("/v1/checkout/sessions", CreateSession);
        app.MapGet("/v1/checkout/sessions/{id}", (HttpRequest request, string id) => Api(request, () => Find(id) is { } s ? Ok(Json(s)) : Missing(id)));
        app.MapPost("/v1/checkout/sessions/{id}/expire", ExpireSession);
        app.MapPost("/v1/refunds", CreateRefund);
        app.MapGet("/c/pay/{id}", Page);
        app.MapPost("/c/pay/{id}/{action}", PageAction);
    }

    public StripeMisbehaviour Misbehave { get; } = new();

    /// <summary>The API base to give Stripe.net (<c>Stripe__ApiBase</c>), e.g. <c>http://127.0.0.1:7073</c>.</summary>
    public string ApiBase { get; private set; } = "";

    public string? WebhookUrl { get => settings.WebhookUrl; set => settings.WebhookUrl = value; }

    public ConcurrentDictionary<string, StandInSession> Sessions { get; } = new(StringComparer.Ordinal);

    /// <summary>Every delivery attempt: event id, type and the app's status code (0 when it could not be reached).</summary>
    public ConcurrentQueue<(string EventId, string Type, int Status)> Deliveries { get; } = new();

    /// <summary>Every event made, in order: id, type and the exact payload signed.</summary>
    public ConcurrentQueue<(string Id, string Type, string Payload)> Events { get; } = new();

    /// <summary>How many API requests of each kind came in (<c>POST /v1/checkout/sessions</c>, ...), idempotent replays included.</summary>
    public ConcurrentDictionary<string, int> Requests { get; } = new(StringComparer.Ordinal);

    public static async Task<LocalStripe> StartAsync(StripeStandInSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var standIn = new LocalStripe(settings);
        await standIn.app.StartAsync();
        standIn.ApiBase = standIn.app.Urls.First().TrimEnd('/');
        standIn.delivery = Task.Run(standIn.DeliverAsync);
        standIn.expiry = Task.Run(standIn.ExpireLapsedAsync);
        return standIn;
    }

    public Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        outbox.Writer.TryComplete();
        foreach (var task in new[] { delivery, expiry }.OfType<Task>())
        {
            try { await task; } catch (OperationCanceledException) { }
        }
        await app.DisposeAsync();
        http.Dispose();
        stopping.Dispose();
    }

    /// <summary><c>t=...,v1=...</c> for <paramref name="payload"/> at <paramref name="timestamp"/>, signed with <paramref name="secret"/> (default: the endpoint's).</summary>
    public string Sign(string payload, DateTimeOffset timestamp, string? secret = null)
    {
        var t = timestamp.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret ?? settings.WebhookSecret), Encoding.UTF8.GetBytes($"{t}.{payload}"));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    /// <summary>An event as Stripe writes one around <paramref name="data"/> (a session or a charge); not delivered.</summary>
    public static (string Id, string Payload) EventPayload(string type, JsonObject data)
    {
        var id = "evt_" + Token();
        var payload = new JsonObject
        {
            ["id"] = id, ["object"] = "event", ["api_version"] = Stripe.StripeConfiguration.ApiVersion, ["created"] = Now(),
            ["data"] = new JsonObject { ["object"] = data }, ["livemode"] = false, ["pending_webhooks"] = 1,
            ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null }, ["type"] = type,
        };
        return (id, payload.ToJsonString());
    }

    /// <summary>The session as Stripe's API and events show it.</summary>
    public static JsonObject Json(StandInSession s) => new()
    {
        ["id"] = s.Id, ["object"] = "checkout.session", ["mode"] = "payment", ["livemode"] = false, ["created"] = s.Created,
        ["amount_subtotal"] = s.AmountTotal, ["amount_total"] = s.AmountTotal, ["currency"] = s.Currency,
        ["client_reference_id"] = s.ClientReferenceId, ["metadata"] = Metadata(s.Metadata),
        ["payment_intent"] = s.PaymentIntent, ["payment_status"] = s.PaymentStatus, ["status"] = s.Status,
        ["success_url"] = s.SuccessUrl, ["cancel_url"] = s.CancelUrl, ["url"] = s.Status == "open" ? s.Url : null, ["expires_at"] = s.ExpiresAt,
    };

    /// <summary>The charge of a paid session as <c>charge.refunded</c> carries it.</summary>
    public static JsonObject ChargeJson(StandInSession s, long refunded) => new()
    {
        ["id"] = s.ChargeId, ["object"] = "charge", ["amount"] = s.AmountTotal, ["amount_captured"] = s.AmountTotal, ["amount_refunded"] = refunded,
        ["currency"] = s.Currency, ["payment_intent"] = s.PaymentIntent, ["paid"] = true, ["captured"] = true, ["refunded"] = refunded >= s.AmountTotal,
        ["status"] = "succeeded", ["metadata"] = Metadata(s.PaymentMetadata), ["created"] = s.Created, ["livemode"] = false,
    };

    /// <summary>The pay button: the session completes paid and <c>checkout.session.completed</c> goes out.</summary>
    public bool Pay(string sessionId) => Settle(sessionId, paid: true);

    /// <summary>The fail button: a delayed payment method that fails (completed unpaid, then <c>async_payment_failed</c>).</summary>
    public bool Fail(string sessionId) => Settle(sessionId, paid: false) && SettleDelayed(sessionId, cleared: false);

    /// <summary>
    /// A delayed payment method (SEPA debit, ACH): checkout completes with <c>payment_status</c> "unpaid" and
    /// <c>checkout.session.completed</c> goes out; the money arrives (or not) later, by <see cref="ClearDelayed"/> or <see cref="FailDelayed"/>.
    /// </summary>
    public bool PayLater(string sessionId) => Settle(sessionId, paid: false);

    /// <summary>The delayed payment arrives: the session's <c>payment_status</c> turns "paid" and <c>checkout.session.async_payment_succeeded</c> goes out.</summary>
    public bool ClearDelayed(string sessionId) => SettleDelayed(sessionId, cleared: true);

    /// <summary>The delayed payment fails: <c>payment_status</c> stays "unpaid" and <c>checkout.session.async_payment_failed</c> goes out.</summary>
    public bool FailDelayed(string sessionId) => SettleDelayed(sessionId, cleared: false);

    /// <summary>The session's time runs out now: it expires and <c>checkout.session.expired</c> goes out.</summary>
    public bool ExpireNow(string sessionId)
    {
        lock (gate)
        {
            if (Find(sessionId) is not { Status: "open" } session) return false;
            session.Status = "expired";
            Emit("checkout.session.expired", Json(session));
            return true;
        }
    }

    /// <summary>Queues a signed delivery of an event (tests use it to send their own, e.g. a replay).</summary>
    public void Emit(string type, JsonObject data)
    {
        var (id, payload) = EventPayload(type, data);
        Events.Enqueue((id, type, payload));
        outbox.Writer.TryWrite((id, payload));
    }

    private bool Settle(string sessionId, bool paid)
    {
        lock (gate)
        {
            if (Find(sessionId) is not { Status: "open" } session) return false;
            session.Status = "complete";
            session.PaymentIntent = "pi_" + Token();
            session.ChargeId = "ch_" + Token();
            session.PaymentStatus = paid ? "paid" : "unpaid";
            Emit("checkout.session.completed", Json(session));
            return true;
        }
    }

    /// <summary>The outcome of a completed session's delayed payment, once (as on Stripe, a session's payment settles once).</summary>
    private bool SettleDelayed(string sessionId, bool cleared)
    {
        lock (gate)
        {
            if (Find(sessionId) is not { Status: "complete", PaymentStatus: "unpaid", DelayedSettled: false } session) return false;
            session.DelayedSettled = true;
            if (cleared) session.PaymentStatus = "paid";
            Emit(cleared ? "checkout.session.async_payment_succeeded" : "checkout.session.async_payment_failed", Json(session));
            return true;
        }
    }

    private async Task<IResult> CreateSession(HttpRequest request) => await Api(request, async () =>
    {
        if (Misbehave.FailSessionCreates) return Error(HttpStatusCode.InternalServerError, "api_error", "The stand-in is told to fail session creation.");
        var form = await request.ReadFormAsync();
        string? Value(string key) => form[key].FirstOrDefault();
        var items = new List<(long Amount, long Quantity, string Currency, string Name)>();
        for (var i = 0; Value($"line_items[{i}][quantity]") is { } quantity; i++)
        {
            items.Add((long.Parse(Value($"line_items[{i}][price_data][unit_amount]") ?? "0", System.Globalization.CultureInfo.InvariantCulture),
                long.Parse(quantity, System.Globalization.CultureInfo.InvariantCulture), Value($"line_items[{i}][price_data][currency]") ?? "",
                Value($"line_items[{i}][price_data][product_data][name]") ?? ""));
        }
        if (items.Count == 0 || items.Any(i => i.Amount <= 0 || i.Currency != items[0].Currency) || Value("mode") != "payment"
            || string.IsNullOrEmpty(Value("success_url")))
            return Error(HttpStatusCode.BadRequest, "invalid_request_error", "Need mode=payment, a success_url and line items in one currency with positive amounts.");
        var id = "cs_test_" + Token();
        var session = new StandInSession
        {
            Id = id, Created = Now(), AmountTotal = items.Sum(i => i.Amount * i.Quantity), Currency = items[0].Currency,
            ClientReferenceId = Value("client_reference_id"), SuccessUrl = Value("success_url")!, CancelUrl = Value("cancel_url"),
            ExpiresAt = long.TryParse(Value("expires_at"), out var expires) ? expires : Now() + 24 * 3600, Url = $"{ApiBase}/c/pay/{id}",
            Metadata = Prefixed(form, "metadata"), PaymentMetadata = Prefixed(form, "payment_intent_data[metadata]"),
            Items = [.. items.Select(i => (i.Name, i.Amount * i.Quantity))],
        };
        Sessions[id] = session;
        return Ok(Json(session));
    });

    private async Task<IResult> ExpireSession(HttpRequest request, string id) => await Api(request, () =>
    {
        var session = Find(id);
        if (session is null) return Missing(id);
        lock (gate)
        {
            if (session.Status != "open")
                return Error(HttpStatusCode.BadRequest, "invalid_request_error", $"Only Checkout Sessions with a status of open can be expired; this one is {session.Status}.");
            ExpireNow(id);
        }
        return Ok(Json(session));
    });

    private async Task<IResult> CreateRefund(HttpRequest request) => await Api(request, async () =>
    {
        if (Misbehave.FailRefunds) return Error(HttpStatusCode.InternalServerError, "api_error", "The stand-in is told to fail refunds.");
        if (Misbehave.LockTimeoutRefunds)
            return Error(HttpStatusCode.TooManyRequests, "invalid_request_error", "This object cannot be accessed right now because another API request or Stripe process is currently accessing it.", "lock_timeout");
        var form = await request.ReadFormAsync();
        var intent = form["payment_intent"].FirstOrDefault();
        lock (gate)
        {
            var session = Sessions.Values.FirstOrDefault(s => s.PaymentIntent == intent && s.PaymentStatus == "paid");
            if (session is null) return Error(HttpStatusCode.BadRequest, "invalid_request_error", $"No such payment_intent: '{intent}'", "resource_missing");
            if (Misbehave.DisputeCharges) return Error(HttpStatusCode.BadRequest, "invalid_request_error", $"Charge {session.ChargeId} has been disputed; it cannot be refunded.", "charge_disputed");
            if (session.Refunded >= session.AmountTotal) return Error(HttpStatusCode.BadRequest, "invalid_request_error", $"Charge {session.ChargeId} has already been refunded.", "charge_already_refunded");
            var amount = long.TryParse(form["amount"].FirstOrDefault(), out var a) ? a : session.AmountTotal - session.Refunded;
            if (amount <= 0 || amount > session.AmountTotal - session.Refunded)
                return Error(HttpStatusCode.BadRequest, "invalid_request_error",
                    $"Refund amount ({amount}) is greater than unrefunded amount on charge ({session.AmountTotal - session.Refunded})", "amount_too_large");
            session.Refunded += amount;
            Emit("charge.refunded", ChargeJson(session, session.Refunded));
            return Ok(new JsonObject
            {
                ["id"] = "re_" + Token(), ["object"] = "refund", ["amount"] = amount, ["currency"] = session.Currency, ["charge"] = session.ChargeId,
                ["payment_intent"] = intent, ["status"] = "succeeded", ["metadata"] = Metadata(Prefixed(form, "metadata")), ["created"] = Now(),
            });
        }
    });

    private IResult Page(string id)
    {
        var session = Find(id);
        if (session is null) return Results.NotFound("No such checkout session.");
        var lines = string.Concat(session.Items.Select(i => $"<tr><td>{WebUtility.HtmlEncode(i.Name)}</td><td>{i.Amount / 100.0:0.00} {session.Currency.ToUpperInvariant()}</td></tr>"));
        var body = session.Status == "open"
            ? $"""
              <form method="post" action="/c/pay/{id}/pay"><button type="submit">Pay {session.AmountTotal / 100.0:0.00} {session.Currency.ToUpperInvariant()}</button></form>
              <form method="post" action="/c/pay/{id}/fail"><button type="submit">Pay with a method that fails</button></form>
              <form method="post" action="/c/pay/{id}/pay-later"><button type="submit">Pay by bank debit (clears later)</button></form>
              <form method="post" action="/c/pay/{id}/cancel"><button type="submit">Cancel and go back</button></form>
              """
            : session is { Status: "complete", PaymentStatus: "unpaid", DelayedSettled: false }
            ? $"""
              <p>The bank debit is on its way (payment processing). What the bank does next:</p>
              <form method="post" action="/c/pay/{id}/clear"><button type="submit">The debit clears</button></form>
              <form method="post" action="/c/pay/{id}/bounce"><button type="submit">The debit fails</button></form>
              """
            : $"<p>This checkout session is {session.Status}.</p>";
        return Results.Content($"""
            <!doctype html><html><head><meta charset="utf-8"><title>Checkout (local Stripe stand-in)</title></head>
            <body style="font-family:sans-serif;max-width:30rem;margin:4rem auto">
            <h1>Checkout</h1><p>Local stand-in for Stripe Checkout: no card, no money.</p>
            <table>{lines}</table>{body}</body></html>
            """, "text/html; charset=utf-8");
    }

    private IResult PageAction(string id, string action)
    {
        var session = Find(id);
        if (session is null) return Results.NotFound("No such checkout session.");
        switch (action)
        {
            case "pay" when Pay(id):
                return Results.Redirect(session.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal));
            case "pay-later" when PayLater(id):
                return Results.Redirect(session.SuccessUrl.Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal));
            case "clear" when ClearDelayed(id):
            case "bounce" when FailDelayed(id):
                return Results.Content($"<p>Done: the debit {(action == "clear" ? "cleared" : "failed")}.</p>", "text/html; charset=utf-8");
            case "fail" when Fail(id):
            case "cancel": // as on Stripe, leaving the page changes nothing: the session stays open until it expires
                return Results.Redirect((session.CancelUrl ?? session.SuccessUrl).Replace("{CHECKOUT_SESSION_ID}", id, StringComparison.Ordinal));
            default:
                return Results.Conflict($"This checkout session is {session.Status}.");
        }
    }

    /// <summary>Bearer-key check and idempotency keys, as Stripe applies them to every API call.</summary>
    private async Task<IResult> Api(HttpRequest request, Func<Task<IResult>> handle)
    {
        Requests.AddOrUpdate($"{request.Method} {request.Path}", 1, (_, n) => n + 1);
        var auth = request.Headers.Authorization.ToString();
        if (auth != $"Bearer {settings.SecretKey}")
            return Error(HttpStatusCode.Unauthorized, "invalid_request_error", "Invalid API Key provided.");
        var key = request.Headers["Idempotency-Key"].FirstOrDefault();
        if (key is not null && idempotent.TryGetValue($"{request.Path}|{key}", out var earlier))
            return Results.Content(earlier, "application/json", statusCode: 200);
        var result = await handle();
        if (key is not null && result is JsonResult ok) idempotent.TryAdd($"{request.Path}|{key}", ok.Body);
        return result;
    }

    private Task<IResult> Api(HttpRequest request, Func<IResult> handle) => Api(request, () => Task.FromResult(handle()));

    private StandInSession? Find(string id) => Sessions.TryGetValue(id, out var s) ? s : null;

    /// <summary>Sessions past their <c>expires_at</c> expire (with their event), as Stripe's do.</summary>
    private async Task ExpireLapsedAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        while (await timer.WaitForNextTickAsync(stopping.Token))
        {
            foreach (var session in Sessions.Values.Where(s => s.Status == "open" && s.ExpiresAt <= Now())) ExpireNow(session.Id);
        }
    }

    private async Task DeliverAsync()
    {
        await foreach (var (id, payload) in outbox.Reader.ReadAllAsync(stopping.Token))
            _ = Task.Run(() => DeliverOneAsync(id, payload));
    }

    private async Task DeliverOneAsync(string id, string payload)
    {
        var type = System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("type").GetString()!;
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 1; attempt <= MaxDeliveryAttempts && !stopping.IsCancellationRequested; attempt++)
        {
            while (Misbehave.HoldWebhooks || WebhookUrl is null)
                await Task.Delay(200, stopping.Token);
            var status = 0;
            try
            {
                using var content = new StringContent(payload, Encoding.UTF8, "application/json");
                using var request = new HttpRequestMessage(HttpMethod.Post, WebhookUrl) { Content = content };
                // Signed at send time, as Stripe does: every retry carries a fresh timestamp.
                request.Headers.TryAddWithoutValidation("Stripe-Signature", Sign(payload, DateTimeOffset.UtcNow));
                using var response = await http.SendAsync(request, stopping.Token);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) when (!stopping.IsCancellationRequested) { }
            Deliveries.Enqueue((id, type, status));
            if (status is >= 200 and < 300) return;
            await Task.Delay(delay, stopping.Token);
            delay *= 2;
        }
    }

    private static Dictionary<string, string> Prefixed(IFormCollection form, string prefix) =>
        form.Keys.Where(k => k.StartsWith(prefix + "[", StringComparison.Ordinal) && k.EndsWith(']') && k.IndexOf('[', prefix.Length + 1) < 0)
            .ToDictionary(k => k[(prefix.Length + 1)..^1], k => form[k].ToString());

    private static JsonObject Metadata(Dictionary<string, string> values) => new([.. values.Select(v => KeyValuePair.Create(v.Key, (JsonNode?)v.Value))]);

    private static JsonResult Ok(JsonObject body) => new(body.ToJsonString(), 200);

    private static IResult Missing(string id) =>
        Error(HttpStatusCode.NotFound, "invalid_request_error", $"No such checkout.session: '{id}'", "resource_missing");

    private static IResult Error(HttpStatusCode status, string type, string message, string? code = null) =>
        Results.Json(new JsonObject { ["error"] = new JsonObject { ["type"] = type, ["message"] = message, ["code"] = code } }, statusCode: (int)status);

    private static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    /// <summary>An answer whose body is kept for idempotent replays.</summary>
    private sealed class JsonResult(string body, int status) : IResult
    {
        public string Body { get; } = body;

        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = status;
            httpContext.Response.ContentType = "application/json";
            return httpContext.Response.WriteAsync(Body);
        }
    }
}

/// <summary>A Checkout Session as the stand-in keeps it.</summary>
public sealed class StandInSession
{
    public required string Id { get; init; }
    public long Created { get; init; }
    public long AmountTotal { get; set; }
    public required string Currency { get; init; }
    public string? ClientReferenceId { get; init; }
    public required string SuccessUrl { get; init; }
    public string? CancelUrl { get; init; }
    public long ExpiresAt { get; set; }
    public required string Url { get; init; }
    public Dictionary<string, string> Metadata { get; init; } = [];
    public Dictionary<string, string> PaymentMetadata { get; init; } = [];
    public IReadOnlyList<(string Name, long Amount)> Items { get; init; } = [];
    public string Status { get; set; } = "open";
    public string PaymentStatus { get; set; } = "unpaid";
    public string? PaymentIntent { get; set; }
    public string? ChargeId { get; set; }
    public long Refunded { get; set; }
    /// <summary>A delayed payment's outcome was sent (succeeded or failed).</summary>
    public bool DelayedSettled { get; set; }
}
