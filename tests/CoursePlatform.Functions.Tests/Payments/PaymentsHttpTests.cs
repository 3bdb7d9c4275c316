using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Tests.ApiContract;
using CoursePlatform.StripeStandIn;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Payments;

/// <summary>
/// Payments through the running app and the Stripe stand-in: buying, paying, failing, expiring, refunding, the webhook's
/// signature and idempotency, events out of order or concurrent, amount mismatches, a crash between the order and its
/// page, concurrent checkouts, and the order views.
/// </summary>
public sealed class PaymentsHttpTests(PaymentsHostedApp hosted) : IClassFixture<PaymentsHostedApp>
{
    private static readonly TimeSpan Settles = TimeSpan.FromSeconds(30);

    private LocalStripe Stripe => hosted.Stripe;

    private async Task<Course> PaidCourseAsync(decimal price = 29, string currency = "USD", string? slug = null)
    {
        var now = DateTimeOffset.UtcNow;
        var course = Build.Course(now, slug: slug, name: "Cloud Cost Clinic", price: price, currency: currency);
        await using var db = hosted.Database.CreateContext();
        db.Courses.Add(course);
        db.Topics.Add(Build.Topic(course, now, 1, 2));
        await db.SaveChangesAsync();
        return course;
    }

    /// <summary>Waits until the reconciliation timer has run <paramref name="runs"/> more times than so far (not a fixed sleep: a busy machine runs fewer).</summary>
    private async Task MoreTimerRunsAsync(int runs)
    {
        const string executed = "Executed 'Host.Functions.ReconcileOrders'";
        int Count() => hosted.Host.Output.Split(executed).Length - 1;
        var target = Count() + runs;
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Count() >= target), Settles), hosted.Host.Output);
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        return await hosted.Api.SendAsync(request);
    }

    private async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}\n{hosted.Host.Output}");
            if (text.Length == 0) return default;
            using var json = JsonDocument.Parse(text);
            return json.RootElement.Clone();
        }
    }

    private async Task<JsonElement> CheckoutAsync(string token, params Course[] courses)
    {
        foreach (var course in courses) await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = course.Slug }), HttpStatusCode.Created);
        return await Expect(await Send(HttpMethod.Post, "cart/checkout", token), HttpStatusCode.OK);
    }

    private Task<Order> OrderAsync(Guid orderId) => Db(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == orderId));

    private async Task<T> Db<T>(Func<CoursePlatformDbContext, Task<T>> use)
    {
        await using var db = hosted.Database.CreateContext();
        return await use(db);
    }

    private Task<Enrollment?> EnrollmentAsync(Guid userId, Guid courseId) =>
        Db(db => db.Enrollments.AsNoTracking().SingleOrDefaultAsync(e => e.UserId == userId && e.CourseId == courseId));

    private async Task<Order> SettledAsync(Guid orderId, OrderStatus status)
    {
        Assert.True(await Eventually.HoldsAsync(async () => (await OrderAsync(orderId)).Status == status, Settles),
            $"order {orderId} is {(await OrderAsync(orderId)).Status}, not {status}\n{hosted.Host.Output}");
        return await OrderAsync(orderId);
    }

    private async Task<HttpResponseMessage> PostWebhook(string payload, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "payments/stripe/webhook") { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
        return await hosted.Api.SendAsync(request);
    }

    /// <summary>A completed-and-paid event for <paramref name="session"/> as Stripe would send it, not delivered.</summary>
    private static (string Id, string Payload) Completed(StandInSession session, long? amount = null, string? currency = null)
    {
        var data = LocalStripe.Json(session);
        data["status"] = "complete";
        data["payment_status"] = "paid";
        data["payment_intent"] = "pi_" + Guid.NewGuid().ToString("N")[..20];
        if (amount is not null) data["amount_total"] = amount;
        if (currency is not null) data["currency"] = currency;
        return LocalStripe.EventPayload("checkout.session.completed", data);
    }

    private StandInSession SessionOf(Guid orderId) => Stripe.Sessions.Values.Single(s => s.ClientReferenceId == orderId.ToString());

    private static Guid OrderIdOf(JsonElement checkout) => Assert.Single(checkout.GetProperty("orders").EnumerateArray()).GetProperty("id").GetGuid();

    private static async Task<HttpResponseMessage> Press(string checkoutUrl, string button)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        return await browser.PostAsync($"{checkoutUrl}/{button}", null);
    }

    [Fact]
    public async Task Buying_cloud_cost_clinic_end_to_end_pays_activates_reads_and_a_refund_ends_access()
    {
        var course = await PaidCourseAsync(29, "USD", slug: "cloud-cost-clinic");
        var topic = await Db(db => db.Topics.AsNoTracking().SingleAsync(t => t.CourseId == course.Id));
        var (learner, token) = await hosted.SignInAsync();
        var (_, admin) = await hosted.SignInAsync(UserRole.Admin);
        await Expect(await Send(HttpMethod.Get, $"topics/{topic.Id}/content", token), HttpStatusCode.Forbidden);

        var checkout = await CheckoutAsync(token, course);
        var order = Assert.Single(checkout.GetProperty("orders").EnumerateArray());
        Assert.Equal(("pending", "USD", 29m), (order.GetProperty("status").GetString(), order.GetProperty("currency").GetString(), order.GetProperty("amount").GetDecimal()));
        var orderId = order.GetProperty("id").GetGuid();
        var url = order.GetProperty("checkoutUrl").GetString()!;
        Assert.StartsWith(Stripe.ApiBase, url, StringComparison.Ordinal);
        Assert.Equal(orderId.ToString(), Assert.Single(checkout.GetProperty("pending").EnumerateArray()).GetProperty("paymentReference").GetString());
        Assert.Equal(EnrollmentStatus.PendingPayment, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
        var session = SessionOf(orderId);
        Assert.Equal((2900L, "usd"), (session.AmountTotal, session.Currency));
        Assert.Equal(orderId.ToString(), session.Metadata["order_id"]);

        // The hosted page, then the pay button: back to the frontend's success page, and the webhook settles the order.
        using (var browser = new HttpClient())
            Assert.Contains("Pay 29.00 USD", await browser.GetStringAsync(url), StringComparison.Ordinal);
        using (var paid = await Press(url, "pay"))
        {
            Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
            Assert.Equal($"http://localhost:5173/orders/{orderId}?checkout=success", paid.Headers.Location!.ToString());
        }
        var settled = await SettledAsync(orderId, OrderStatus.Paid);
        Assert.Equal(session.PaymentIntent, settled.ProviderPaymentId);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
        await Expect(await Send(HttpMethod.Get, $"topics/{topic.Id}/content", token), HttpStatusCode.OK);

        var mine = await Expect(await Send(HttpMethod.Get, $"me/orders/{orderId}", token), HttpStatusCode.OK);
        Assert.Equal("paid", mine.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("checkoutUrl").ValueKind);
        Assert.Equal(session.PaymentIntent, mine.GetProperty("receipt").GetProperty("paymentReference").GetString());
        Assert.Equal("cloud-cost-clinic", Assert.Single(mine.GetProperty("lines").EnumerateArray()).GetProperty("courseSlug").GetString());

        // Stripe down: 503, nothing changes, access stays.
        Stripe.Misbehave.FailRefunds = true;
        try
        {
            var down = await Expect(await Send(HttpMethod.Post, $"manage/orders/{orderId}/refund", admin), HttpStatusCode.ServiceUnavailable);
            Assert.Equal(ProblemCodes.PaymentProviderUnavailable.Code, down.GetProperty("code").GetString());
            Assert.Equal(OrderStatus.Paid, (await OrderAsync(orderId)).Status);
            Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
        }
        finally
        {
            Stripe.Misbehave.FailRefunds = false;
        }

        // The admin refunds through Stripe: access ends at once; Stripe's charge.refunded that follows changes nothing.
        var refunded = await Expect(await Send(HttpMethod.Post, $"manage/orders/{orderId}/refund", admin), HttpStatusCode.OK);
        Assert.Equal("refunded", refunded.GetProperty("status").GetString());
        Assert.Null(await EnrollmentAsync(learner.Id, course.Id));
        await Expect(await Send(HttpMethod.Get, $"topics/{topic.Id}/content", token), HttpStatusCode.Forbidden);
        // This order's webhook, recorded (deliveries of other tests' refunds are in the stand-in's list too).
        Assert.True(await Eventually.HoldsAsync(() => Db(db => db.OrderEvents.AnyAsync(e => e.OrderId == orderId && e.Type == "charge.refunded")), Settles), hosted.Host.Output);
        Assert.Equal(OrderStatus.Refunded, (await OrderAsync(orderId)).Status);
        var detail = await Expect(await Send(HttpMethod.Get, $"manage/orders/{orderId}", admin), HttpStatusCode.OK);
        var types = detail.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Equal(["created", "session_created", "checkout.session.completed"], types.Take(3));
        Assert.Contains("charge.refunded", types);
        // Refunding again answers the refunded order; nothing more goes to Stripe.
        var refunds = Stripe.Requests.GetValueOrDefault("POST /v1/refunds");
        await Expect(await Send(HttpMethod.Post, $"manage/orders/{orderId}/refund", admin), HttpStatusCode.OK);
        Assert.Equal(refunds, Stripe.Requests.GetValueOrDefault("POST /v1/refunds"));
        // The refund is in the audit trail (manage writes are audited).
        var audit = await Expect(await Send(HttpMethod.Get, $"manage/audit?resource={orderId}", admin), HttpStatusCode.OK);
        var entry = audit.GetProperty("items").EnumerateArray().Last();
        Assert.Equal("RefundOrder", entry.GetProperty("action").GetString());
    }

    [Fact]
    public async Task A_failed_payment_cancels_the_order_and_releases_the_course_to_buy_again()
    {
        var course = await PaidCourseAsync(15);
        var (learner, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        var url = (await OrderAsync(orderId)).CheckoutUrl!;

        using (var failed = await Press(url, "fail")) Assert.Equal(HttpStatusCode.Redirect, failed.StatusCode);

        await SettledAsync(orderId, OrderStatus.Cancelled);
        Assert.Null(await EnrollmentAsync(learner.Id, course.Id));
        var again = OrderIdOf(await CheckoutAsync(token, course));
        Assert.NotEqual(orderId, again);
    }

    [Fact]
    public async Task An_expired_session_expires_the_order_and_releases_the_enrolment_and_cancel_changes_nothing()
    {
        var course = await PaidCourseAsync(15);
        var (learner, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        var url = (await OrderAsync(orderId)).CheckoutUrl!;

        // Leaving the page (cancel) goes back to the frontend; the order waits, as the session does on Stripe.
        using (var cancelled = await Press(url, "cancel"))
            Assert.Equal($"http://localhost:5173/orders/{orderId}?checkout=cancelled", cancelled.Headers.Location!.ToString());
        Assert.Equal(OrderStatus.Pending, (await OrderAsync(orderId)).Status);

        Assert.True(Stripe.ExpireNow(SessionOf(orderId).Id));
        await SettledAsync(orderId, OrderStatus.Expired);
        Assert.Null(await EnrollmentAsync(learner.Id, course.Id));
    }

    [Fact]
    public async Task A_purchase_the_learner_cancels_closes_its_stripe_page_and_expires_the_order()
    {
        var course = await PaidCourseAsync(17);
        var (learner, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));

        await Expect(await Send(HttpMethod.Delete, $"me/enrollments/{course.Slug}", token), HttpStatusCode.NoContent);

        await SettledAsync(orderId, OrderStatus.Expired);
        Assert.Equal("expired", SessionOf(orderId).Status);
        Assert.Null(await EnrollmentAsync(learner.Id, course.Id));
    }

    [Fact]
    public async Task A_second_checkout_while_the_order_is_pending_returns_that_order_and_its_page()
    {
        var course = await PaidCourseAsync(40);
        var (learner, token) = await hosted.SignInAsync();
        var first = Assert.Single((await CheckoutAsync(token, course)).GetProperty("orders").EnumerateArray());

        var second = Assert.Single((await CheckoutAsync(token, course)).GetProperty("orders").EnumerateArray());

        Assert.Equal(first.GetProperty("id").GetGuid(), second.GetProperty("id").GetGuid());
        Assert.Equal(first.GetProperty("checkoutUrl").GetString(), second.GetProperty("checkoutUrl").GetString());
        Assert.Equal(1, await Db(db => db.Orders.CountAsync(o => o.UserId == learner.Id)));
    }

    [Fact]
    public async Task Two_concurrent_checkouts_of_one_cart_create_one_order_per_currency()
    {
        var dollars = await PaidCourseAsync(10);
        var pounds = await PaidCourseAsync(12, "GBP");
        var (learner, token) = await hosted.SignInAsync();
        foreach (var course in new[] { dollars, pounds })
            await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = course.Slug }), HttpStatusCode.Created);

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Send(HttpMethod.Post, "cart/checkout", token)));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        var ok = await Expect(responses.Single(r => r.StatusCode == HttpStatusCode.OK), HttpStatusCode.OK);
        Assert.Equal(["GBP", "USD"], ok.GetProperty("orders").EnumerateArray().Select(o => o.GetProperty("currency").GetString()).Order());
        var orders = await Db(db => db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => o.UserId == learner.Id).ToListAsync());
        Assert.Equal(2, orders.Count);
        Assert.All(orders, o => Assert.Single(o.Lines));
        Assert.Equal(2, Stripe.Sessions.Values.Count(s => orders.Any(o => o.Id.ToString() == s.ClientReferenceId)));
        foreach (var response in responses) response.Dispose();
    }

    [Fact]
    public async Task A_bad_signature_a_stale_timestamp_and_no_signature_are_400_and_change_nothing()
    {
        var course = await PaidCourseAsync(20);
        var (_, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        var (eventId, payload) = Completed(SessionOf(orderId));

        var wrongSecret = await Expect(await PostWebhook(payload, Stripe.Sign(payload, DateTimeOffset.UtcNow, "whsec_someone_else")), HttpStatusCode.BadRequest);
        Assert.Equal(ProblemCodes.WebhookSignatureInvalid.Code, wrongSecret.GetProperty("code").GetString());
        var stale = await Expect(await PostWebhook(payload, Stripe.Sign(payload, DateTimeOffset.UtcNow.AddMinutes(-10))), HttpStatusCode.BadRequest);
        Assert.Equal(ProblemCodes.WebhookSignatureInvalid.Code, stale.GetProperty("code").GetString());
        var unsigned = await Expect(await PostWebhook(payload, null), HttpStatusCode.BadRequest);
        Assert.Equal(ProblemCodes.WebhookSignatureInvalid.Code, unsigned.GetProperty("code").GetString());
        // A body over the limit is refused as it is read (413), signed or not: it is never held whole in memory.
        var padded = payload + new string(' ', 1024 * 1024);
        await Expect(await PostWebhook(padded, Stripe.Sign(padded, DateTimeOffset.UtcNow)), HttpStatusCode.RequestEntityTooLarge);
        var altered = payload.Replace("\"paid\"", "\"unpaid\"", StringComparison.Ordinal);
        await Expect(await PostWebhook(altered, Stripe.Sign(payload, DateTimeOffset.UtcNow)), HttpStatusCode.BadRequest);

        Assert.Equal(OrderStatus.Pending, (await OrderAsync(orderId)).Status);
        // This event only: the stand-in may still be delivering (and retrying) other tests' events meanwhile.
        Assert.False(await Db(db => db.ProcessedPaymentEvents.AnyAsync(e => e.Id == eventId)));
    }

    [Fact]
    public async Task The_same_event_ten_times_concurrently_activates_once_and_a_replay_changes_nothing()
    {
        var course = await PaidCourseAsync(25);
        var (learner, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        var (eventId, payload) = Completed(SessionOf(orderId));
        var signature = Stripe.Sign(payload, DateTimeOffset.UtcNow);

        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(async _ => await Expect(await PostWebhook(payload, signature), HttpStatusCode.OK)));

        Assert.Equal(1, answers.Count(a => a.GetProperty("outcome").GetString() == "processed"));
        Assert.Equal(9, answers.Count(a => a.GetProperty("outcome").GetString() == "replayed"));
        Assert.Equal(OrderStatus.Paid, (await OrderAsync(orderId)).Status);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
        Assert.Equal(1, await Db(db => db.OrderEvents.CountAsync(e => e.ProviderEventId == eventId)));

        // Replayed later, re-signed: 200, and nothing changes.
        var paidAt = (await OrderAsync(orderId)).PaidAt;
        var events = await Db(db => db.OrderEvents.CountAsync(e => e.OrderId == orderId));
        var replay = await Expect(await PostWebhook(payload, Stripe.Sign(payload, DateTimeOffset.UtcNow)), HttpStatusCode.OK);
        Assert.Equal("replayed", replay.GetProperty("outcome").GetString());
        Assert.Equal(paidAt, (await OrderAsync(orderId)).PaidAt);
        Assert.Equal(events, await Db(db => db.OrderEvents.CountAsync(e => e.OrderId == orderId)));
    }

    [Fact]
    public async Task Expired_after_completed_does_not_undo_the_payment_and_completed_after_expired_still_grants_it()
    {
        var course = await PaidCourseAsync(30);
        var other = await PaidCourseAsync(31);
        var (learner, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        var session = SessionOf(orderId);
        var (_, completed) = Completed(session);
        await Expect(await PostWebhook(completed, Stripe.Sign(completed, DateTimeOffset.UtcNow)), HttpStatusCode.OK);

        var (_, expired) = LocalStripe.EventPayload("checkout.session.expired", LocalStripe.Json(session));
        await Expect(await PostWebhook(expired, Stripe.Sign(expired, DateTimeOffset.UtcNow)), HttpStatusCode.OK);

        Assert.Equal(OrderStatus.Paid, (await OrderAsync(orderId)).Status);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);

        // The other order: Stripe's events arrive the other way round; money taken is still never lost.
        var otherId = OrderIdOf(await CheckoutAsync(token, other));
        var otherSession = SessionOf(otherId);
        var (_, early) = LocalStripe.EventPayload("checkout.session.expired", LocalStripe.Json(otherSession));
        await Expect(await PostWebhook(early, Stripe.Sign(early, DateTimeOffset.UtcNow)), HttpStatusCode.OK);
        var (_, late) = Completed(otherSession);
        await Expect(await PostWebhook(late, Stripe.Sign(late, DateTimeOffset.UtcNow)), HttpStatusCode.OK);
        Assert.Equal(OrderStatus.Paid, (await OrderAsync(otherId)).Status);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, other.Id))!.Status);
    }

    [Fact]
    public async Task A_payment_whose_amount_or_currency_differs_never_activates()
    {
        var course = await PaidCourseAsync(50);
        var (learner, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        var session = SessionOf(orderId);

        var (_, cheaper) = Completed(session, amount: 100);
        await Expect(await PostWebhook(cheaper, Stripe.Sign(cheaper, DateTimeOffset.UtcNow)), HttpStatusCode.OK);
        var (_, otherCurrency) = Completed(session, currency: "eur");
        await Expect(await PostWebhook(otherCurrency, Stripe.Sign(otherCurrency, DateTimeOffset.UtcNow)), HttpStatusCode.OK);

        Assert.Equal(OrderStatus.Pending, (await OrderAsync(orderId)).Status);
        Assert.Equal(EnrollmentStatus.PendingPayment, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
        Assert.Equal(2, await Db(db => db.OrderEvents.CountAsync(e => e.OrderId == orderId && e.Detail!.StartsWith("amount_mismatch"))));
    }

    [Fact]
    public async Task A_crash_between_the_order_and_its_session_is_repaired_by_the_timer_and_the_order_is_paid_once()
    {
        var course = await PaidCourseAsync(35);
        var (learner, token) = await hosted.SignInAsync();
        Stripe.Misbehave.FailSessionCreates = true;
        Guid orderId;
        try
        {
            var checkout = await CheckoutAsync(token, course);
            var order = Assert.Single(checkout.GetProperty("orders").EnumerateArray());
            orderId = order.GetProperty("id").GetGuid();
            // The order committed with the pending enrolment; the page could not be made: no page, no charge.
            Assert.Equal(JsonValueKind.Null, order.GetProperty("checkoutUrl").ValueKind);
            Assert.Null((await OrderAsync(orderId)).ProviderSessionId);
            Assert.Equal(EnrollmentStatus.PendingPayment, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
        }
        finally
        {
            Stripe.Misbehave.FailSessionCreates = false;
        }

        Assert.True(await Eventually.HoldsAsync(async () => (await OrderAsync(orderId)).CheckoutUrl is not null, Settles), hosted.Host.Output);
        var mine = await Expect(await Send(HttpMethod.Get, $"me/orders/{orderId}", token), HttpStatusCode.OK);
        var url = mine.GetProperty("checkoutUrl").GetString()!;
        using (var paid = await Press(url, "pay")) Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        await SettledAsync(orderId, OrderStatus.Paid);
        Assert.Single(Stripe.Sessions.Values, s => s.ClientReferenceId == orderId.ToString());
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
    }

    [Fact]
    public async Task An_order_whose_session_expired_without_a_webhook_is_expired_by_the_timer_after_asking_stripe()
    {
        var course = await PaidCourseAsync(45);
        var (learner, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        Stripe.Misbehave.HoldWebhooks = true;
        try
        {
            Assert.True(Stripe.ExpireNow(SessionOf(orderId).Id));
            // Time passes: the page's expiry is behind us and no webhook came.
            await Db(db => db.Orders.Where(o => o.Id == orderId)
                .ExecuteUpdateAsync(s => s.SetProperty(o => o.SessionExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

            await SettledAsync(orderId, OrderStatus.Expired);
            Assert.Null(await EnrollmentAsync(learner.Id, course.Id));
            Assert.Contains("GET /v1/checkout/sessions/" + SessionOf(orderId).Id, Stripe.Requests.Keys);
        }
        finally
        {
            Stripe.Misbehave.HoldWebhooks = false;
        }
    }

    [Fact]
    public async Task Orders_are_listed_newest_first_for_their_owner_only_and_staff_filter_them()
    {
        var first = await PaidCourseAsync(11);
        var second = await PaidCourseAsync(12);
        var (learner, token) = await hosted.SignInAsync();
        var (_, stranger) = await hosted.SignInAsync();
        var (_, admin) = await hosted.SignInAsync(UserRole.Admin);
        var older = OrderIdOf(await CheckoutAsync(token, first));
        var newer = OrderIdOf(await CheckoutAsync(token, second));

        var mine = await Expect(await Send(HttpMethod.Get, "me/orders?pageSize=1", token), HttpStatusCode.OK);
        Assert.Equal(2, mine.GetProperty("total").GetInt32());
        Assert.Equal(newer, Assert.Single(mine.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        await Expect(await Send(HttpMethod.Get, $"me/orders/{older}", stranger), HttpStatusCode.NotFound);
        await Expect(await Send(HttpMethod.Get, "me/orders", null), HttpStatusCode.Unauthorized);
        await Expect(await Send(HttpMethod.Get, "manage/orders", token), HttpStatusCode.Forbidden);

        var byLearner = await Expect(await Send(HttpMethod.Get, $"manage/orders?learner={Uri.EscapeDataString(learner.Email)}&status=pending", admin), HttpStatusCode.OK);
        Assert.Equal([newer, older], byLearner.GetProperty("items").EnumerateArray().Select(o => o.GetProperty("id").GetGuid()));
        var byCourse = await Expect(await Send(HttpMethod.Get, $"manage/orders?course={first.Slug}", admin), HttpStatusCode.OK);
        Assert.Equal(older, Assert.Single(byCourse.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
        var none = await Expect(await Send(HttpMethod.Get, $"manage/orders?learner={learner.Id}&status=paid", admin), HttpStatusCode.OK);
        Assert.Equal(0, none.GetProperty("total").GetInt32());
        var future = await Expect(await Send(HttpMethod.Get, $"manage/orders?learner={learner.Id}&from=2999-01-01T00:00:00Z", admin), HttpStatusCode.OK);
        Assert.Equal(0, future.GetProperty("total").GetInt32());
        await Expect(await Send(HttpMethod.Get, "manage/orders?status=lost", admin), HttpStatusCode.BadRequest);
        var refused = await Expect(await Send(HttpMethod.Post, $"manage/orders/{older}/refund", admin), HttpStatusCode.Conflict);
        Assert.Equal(ProblemCodes.OrderNotRefundable.Code, refused.GetProperty("code").GetString());
        await Expect(await Send(HttpMethod.Get, $"manage/orders/{Guid.NewGuid()}", admin), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Payment_routes_answer_as_the_openapi_document_declares()
    {
        var document = await ContractDocument.JsonAsync();
        var course = await PaidCourseAsync(19);
        var (_, token) = await hosted.SignInAsync();
        var (_, admin) = await hosted.SignInAsync(UserRole.Admin);
        var samples = new JsonArray();

        async Task<JsonNode> Check(HttpMethod method, string url, string path, string? bearer, HttpStatusCode expected = HttpStatusCode.OK,
            object? body = null, string? raw = null, string? signature = null)
        {
            using var request = new HttpRequestMessage(method, url);
            if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
            if (body is not null) request.Content = JsonContent.Create(body);
            if (raw is not null) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
            if (signature is not null) request.Headers.TryAddWithoutValidation("Stripe-Signature", signature);
            using var response = await hosted.Api.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == expected, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
            var mediaType = response.Content.Headers.ContentType!.MediaType!;
            var status = ((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var operation = document["paths"]![path]?[method.Method.ToLowerInvariant()] ?? throw new InvalidOperationException($"The document has no {method} {path}.");
            Assert.True(operation["responses"]?[status]?["content"]?[mediaType]?["schema"] is not null, $"{method} {path} answered {status} {mediaType}, which the document does not declare");
            var node = JsonNode.Parse(text)!;
            samples.Add(new JsonObject { ["path"] = path, ["method"] = method.Method.ToLowerInvariant(), ["status"] = status, ["mediaType"] = mediaType, ["body"] = node.DeepClone() });
            return node;
        }

        await Check(HttpMethod.Post, "cart/lines", "/cart/lines", token, HttpStatusCode.Created, new { course = course.Slug });
        var checkout = await Check(HttpMethod.Post, "cart/checkout", "/cart/checkout", token);
        var orderId = checkout["orders"]![0]!["id"]!.GetValue<Guid>();
        await Check(HttpMethod.Get, "me/orders", "/me/orders", token);
        await Check(HttpMethod.Get, $"me/orders/{orderId}", "/me/orders/{orderId}", token);
        await Check(HttpMethod.Get, $"me/orders/{Guid.NewGuid()}", "/me/orders/{orderId}", token, HttpStatusCode.NotFound);
        await Check(HttpMethod.Get, "manage/orders?status=pending", "/manage/orders", admin);
        await Check(HttpMethod.Get, $"manage/orders/{orderId}", "/manage/orders/{orderId}", admin);
        await Check(HttpMethod.Post, $"manage/orders/{orderId}/refund", "/manage/orders/{orderId}/refund", admin, HttpStatusCode.Conflict);
        await Check(HttpMethod.Post, "payments/stripe/webhook", "/payments/stripe/webhook", null, HttpStatusCode.BadRequest, raw: "{}", signature: "t=1,v1=00");
        var session = SessionOf(orderId);
        Assert.True(Stripe.Pay(session.Id));
        await SettledAsync(orderId, OrderStatus.Paid);
        // Stripe's own event, delivered again: 200, replayed.
        var payload = Stripe.Events.Single(e => e.Type == "checkout.session.completed" && e.Payload.Contains(session.Id, StringComparison.Ordinal)).Payload;
        var replayed = await Check(HttpMethod.Post, "payments/stripe/webhook", "/payments/stripe/webhook", null, raw: payload, signature: Stripe.Sign(payload, DateTimeOffset.UtcNow));
        Assert.Equal("replayed", replayed["outcome"]!.GetValue<string>());
        await Check(HttpMethod.Post, $"manage/orders/{orderId}/refund", "/manage/orders/{orderId}/refund", admin);

        var file = Path.Combine(Paths.TestResults("api-contract"), "payments.samples.json");
        await File.WriteAllTextAsync(file, samples.ToJsonString());
        var (exitCode, output) = await NodeTools.RunAsync("node", "validate-responses.mjs", await ContractDocument.FileAsync(), file);
        Assert.True(exitCode == 0, $"validate-responses.mjs failed ({exitCode}):\n{output}");
        using var report = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal(samples.Count, report.RootElement.GetProperty("checked").GetInt32());
        var failures = report.RootElement.GetProperty("failures").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    /// <summary>The order's page lapsed, and the timer has not closed it at Stripe yet (a retry delay keeps it away): still payable there.</summary>
    private Task<int> LapsedBeforeTheTimerClosedItAsync(Guid orderId) =>
        Db(db => db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s
            .SetProperty(o => o.SessionExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))
            .SetProperty(o => o.ReconcileAfter, DateTimeOffset.UtcNow.AddHours(1))));

    private Task<int> SessionLapsedAsync(Guid orderId) =>
        Db(db => db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s.SetProperty(o => o.SessionExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

    private async Task AwaitingAsync(Guid orderId) =>
        Assert.True(await Eventually.HoldsAsync(async () => (await OrderAsync(orderId)).AwaitingPaymentSince is not null, Settles),
            $"order {orderId} is not awaiting its delayed payment\n{hosted.Host.Output}");

    [Fact]
    public async Task A_delayed_payment_refuses_a_second_checkout_of_its_course_until_it_clears_then_grants_it_once()
    {
        var course = await PaidCourseAsync(39);
        var (learner, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        var session = SessionOf(orderId);

        // A bank debit: checkout completes unpaid; the order waits for the money, the enrolment stays pending.
        Assert.True(Stripe.PayLater(session.Id));
        await AwaitingAsync(orderId);
        Assert.Equal(OrderStatus.Pending, (await OrderAsync(orderId)).Status);
        Assert.Equal(EnrollmentStatus.PendingPayment, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
        var mine = await Expect(await Send(HttpMethod.Get, $"me/orders/{orderId}", token), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("checkoutUrl").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, mine.GetProperty("awaitingPaymentSince").ValueKind);

        // The page's lifetime passes; the learner tries to put the course in the cart again: refused.
        await SessionLapsedAsync(orderId);
        var notAdded = await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = course.Slug }), HttpStatusCode.Conflict);
        Assert.Equal(ProblemCodes.PaymentProcessing.Code, notAdded.GetProperty("code").GetString());
        // A line added before the debit was reported (the webhook came in between) is refused at checkout: no second order.
        await Db(db =>
        {
            db.CartLines.Add(new CartLine { UserId = learner.Id, CourseId = course.Id, UnitPrice = 39, Currency = "USD", AddedAt = DateTimeOffset.UtcNow });
            return db.SaveChangesAsync();
        });
        var refused = await Expect(await Send(HttpMethod.Post, "cart/checkout", token), HttpStatusCode.Conflict);
        Assert.Equal(ProblemCodes.PaymentProcessing.Code, refused.GetProperty("code").GetString());
        Assert.Equal(1, await Db(db => db.Orders.CountAsync(o => o.UserId == learner.Id)));
        Assert.Single(Stripe.Sessions.Values, s => s.Metadata.GetValueOrDefault("order_id") is { } id && id == orderId.ToString());
        // Nor can the purchase be cancelled while its money may still arrive.
        var notCancelled = await Expect(await Send(HttpMethod.Delete, $"me/enrollments/{course.Slug}", token), HttpStatusCode.Conflict);
        Assert.Equal(ProblemCodes.PaymentProcessing.Code, notCancelled.GetProperty("code").GetString());
        Assert.Equal(EnrollmentStatus.PendingPayment, (await EnrollmentAsync(learner.Id, course.Id))!.Status);

        // Days later the debit clears: the one order is paid, the course active, the waiting cart line gone.
        Assert.True(Stripe.ClearDelayed(session.Id));
        await SettledAsync(orderId, OrderStatus.Paid);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
        Assert.Equal(1, await Db(db => db.Orders.CountAsync(o => o.UserId == learner.Id)));
        Assert.False(await Db(db => db.CartLines.AnyAsync(l => l.UserId == learner.Id)));
        Assert.Equal(1, await Db(db => db.OrderEvents.CountAsync(e => e.OrderId == orderId && e.Detail!.StartsWith("paid"))));
    }

    [Fact]
    public async Task A_delayed_payment_that_fails_cancels_the_order_and_releases_the_course_to_buy_again()
    {
        var course = await PaidCourseAsync(38);
        var (learner, token) = await hosted.SignInAsync();
        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        var session = SessionOf(orderId);
        Assert.True(Stripe.PayLater(session.Id));
        await AwaitingAsync(orderId);

        Assert.True(Stripe.FailDelayed(session.Id));

        await SettledAsync(orderId, OrderStatus.Cancelled);
        Assert.Null(await EnrollmentAsync(learner.Id, course.Id));
        var again = OrderIdOf(await CheckoutAsync(token, course));
        Assert.NotEqual(orderId, again);
    }

    /// <summary>
    /// A learner's first page (order <c>Late</c>) lapses before the timer has closed it at Stripe (its retry delay keeps the
    /// timer away), and the learner buys the course again (order <c>First</c>, paid). <c>Late</c>'s page is still payable.
    /// </summary>
    private async Task<(Course Course, User Learner, Guid Late, Guid First)> BoughtAgainAfterThePageLapsedAsync(decimal price)
    {
        var course = await PaidCourseAsync(price);
        var (learner, token) = await hosted.SignInAsync();
        var late = OrderIdOf(await CheckoutAsync(token, course));
        await LapsedBeforeTheTimerClosedItAsync(late);
        var first = OrderIdOf(await CheckoutAsync(token, course));
        Assert.NotEqual(late, first);
        Assert.True(Stripe.Pay(SessionOf(first).Id));
        await SettledAsync(first, OrderStatus.Paid);
        return (course, learner, late, first);
    }

    [Fact]
    public async Task A_second_payment_for_a_course_already_paid_for_is_refunded_by_the_timer_and_the_access_stays()
    {
        var (course, learner, late, first) = await BoughtAgainAfterThePageLapsedAsync(26);

        // Then the first page is paid after all (it was still open at Stripe): money taken twice for one course.
        Assert.True(Stripe.Pay(SessionOf(late).Id));

        // Granted as any payment is, marked, and refunded in full by the timer; the course stays, paid for by the other order.
        var refunded = await SettledAsync(late, OrderStatus.Refunded);
        Assert.Null(refunded.ReconcileAfter);
        Assert.Equal(26 * 100, SessionOf(late).Refunded);
        Assert.Equal(0, SessionOf(first).Refunded);
        var events = await Db(db => db.OrderEvents.AsNoTracking().Where(e => e.OrderId == late).OrderBy(e => e.CreatedAt).Select(e => e.Type + ": " + e.Detail).ToListAsync());
        Assert.Contains(events, e => e.StartsWith("checkout.session.completed: paid (a duplicate: refund due)", StringComparison.Ordinal));
        Assert.Contains(events, e => e.StartsWith("refund: duplicate payment: refunded", StringComparison.Ordinal));
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);

        // The order that stays is never refunded: a few more timer runs change nothing.
        await MoreTimerRunsAsync(2);
        var kept = await OrderAsync(first);
        Assert.Equal((OrderStatus.Paid, (DateTimeOffset?)null), (kept.Status, kept.ReconcileAfter));
        Assert.Equal(0, SessionOf(first).Refunded);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
    }

    [Fact]
    public async Task A_payment_repeating_one_of_its_courses_gets_that_price_back_and_a_later_refund_takes_back_only_what_is_still_paid_for()
    {
        var repeated = await PaidCourseAsync(31);
        var other = await PaidCourseAsync(17);
        var (learner, token) = await hosted.SignInAsync();
        var (_, admin) = await hosted.SignInAsync(UserRole.Admin);
        // A page for both courses lapses before the timer closed it at Stripe; the learner buys the first one alone, and pays.
        var late = OrderIdOf(await CheckoutAsync(token, repeated, other));
        await LapsedBeforeTheTimerClosedItAsync(late);
        var first = OrderIdOf(await CheckoutAsync(token, repeated));
        Assert.True(Stripe.Pay(SessionOf(first).Id));
        await SettledAsync(first, OrderStatus.Paid);

        // Then the old page is paid after all: one of its two courses is paid for twice.
        Assert.True(Stripe.Pay(SessionOf(late).Id));

        // The timer refunds that course's price alone; the order stays paid for the other, and both courses stay.
        Assert.True(await Eventually.HoldsAsync(() => Db(db => db.OrderLines.AnyAsync(l => l.OrderId == late && l.RefundedAt != null)), Settles), hosted.Host.Output);
        var order = await OrderAsync(late);
        Assert.Equal((OrderStatus.Paid, (DateTimeOffset?)null), (order.Status, order.ReconcileAfter));
        Assert.Equal((31 * 100, 0), (SessionOf(late).Refunded, SessionOf(first).Refunded));
        var events = await Db(db => db.OrderEvents.AsNoTracking().Where(e => e.OrderId == late).Select(e => e.Type + ": " + e.Detail).ToListAsync());
        Assert.Contains(events, e => e.StartsWith("checkout.session.completed: paid (1 of 2 courses already paid for: refund of that part due)", StringComparison.Ordinal));
        Assert.Contains(events, e => e.StartsWith($"refund: course paid for twice: refunded {repeated.Slug} (31 USD)", StringComparison.Ordinal));
        Assert.Equal((EnrollmentStatus.Active, EnrollmentStatus.Active),
            ((await EnrollmentAsync(learner.Id, repeated.Id))!.Status, (await EnrollmentAsync(learner.Id, other.Id))!.Status));
        var lines = (await Expect(await Send(HttpMethod.Get, $"manage/orders/{late}", admin), HttpStatusCode.OK)).GetProperty("lines").EnumerateArray()
            .ToDictionary(l => l.GetProperty("courseSlug").GetString()!, l => l.GetProperty("refundedAt").ValueKind);
        Assert.Equal((JsonValueKind.String, JsonValueKind.Null), (lines[repeated.Slug], lines[other.Slug]));
        await MoreTimerRunsAsync(2);
        Assert.Equal(31 * 100, SessionOf(late).Refunded); // refunded once

        // Staff refund the first order: the course it paid for goes, since the other order's payment for it was returned too.
        Assert.Equal("refunded", (await Expect(await Send(HttpMethod.Post, $"manage/orders/{first}/refund", admin), HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Null(await EnrollmentAsync(learner.Id, repeated.Id));
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, other.Id))!.Status);

        // And the rest of the old order: what is left of its payment, no more.
        Assert.Equal("refunded", (await Expect(await Send(HttpMethod.Post, $"manage/orders/{late}/refund", admin), HttpStatusCode.OK)).GetProperty("status").GetString());
        Assert.Equal((31 + 17) * 100, SessionOf(late).Refunded);
        Assert.Null(await EnrollmentAsync(learner.Id, other.Id));
    }

    [Fact]
    public async Task A_duplicate_payment_whose_first_order_is_refunded_before_the_timer_gets_to_it_is_kept()
    {
        var (course, learner, late, first) = await BoughtAgainAfterThePageLapsedAsync(24);
        var (_, admin) = await hosted.SignInAsync(UserRole.Admin);

        // The duplicate lands while Stripe fails refunds: the timer's attempt is deferred, the order stays paid and marked.
        Stripe.Misbehave.FailRefunds = true;
        try
        {
            Assert.True(Stripe.Pay(SessionOf(late).Id));
            await SettledAsync(late, OrderStatus.Paid);
            Assert.True(await Eventually.HoldsAsync(async () => (await OrderAsync(late)).ReconcileAfter > DateTimeOffset.UtcNow.AddMinutes(10), Settles),
                $"the failed refund of {late} was not deferred\n{hosted.Host.Output}");
        }
        finally
        {
            Stripe.Misbehave.FailRefunds = false;
        }

        // Meanwhile staff refund the first order; the course stays, the second order paid for it.
        await Expect(await Send(HttpMethod.Post, $"manage/orders/{first}/refund", admin), HttpStatusCode.OK);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);

        // When the timer comes back to it, the second order is no longer a duplicate: kept, unmarked, not refunded.
        await Db(db => db.Orders.Where(o => o.Id == late).ExecuteUpdateAsync(s => s.SetProperty(o => o.ReconcileAfter, DateTimeOffset.UtcNow)));
        Assert.True(await Eventually.HoldsAsync(async () => (await OrderAsync(late)).ReconcileAfter is null, Settles), hosted.Host.Output);
        Assert.Equal(OrderStatus.Paid, (await OrderAsync(late)).Status);
        Assert.Equal(0, SessionOf(late).Refunded);
        Assert.Equal(24 * 100, SessionOf(first).Refunded);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
    }

    [Fact]
    public async Task A_duplicate_payment_whose_refund_finds_the_charge_busy_is_tried_again_not_given_up()
    {
        var (course, learner, late, first) = await BoughtAgainAfterThePageLapsedAsync(22);

        // 429 lock_timeout, which Stripe types invalid_request_error as it types a refusal: busy, so deferred.
        Stripe.Misbehave.LockTimeoutRefunds = true;
        try
        {
            Assert.True(Stripe.Pay(SessionOf(late).Id));
            await SettledAsync(late, OrderStatus.Paid);
            Assert.True(await Eventually.HoldsAsync(async () => (await OrderAsync(late)).ReconcileAfter > DateTimeOffset.UtcNow.AddMinutes(10), Settles),
                $"the busy refund of {late} was not deferred\n{hosted.Host.Output}");
        }
        finally
        {
            Stripe.Misbehave.LockTimeoutRefunds = false;
        }
        Assert.False(await Db(db => db.OrderEvents.AnyAsync(e => e.OrderId == late && e.Type == "refund refused")));

        // Its next turn refunds it.
        await Db(db => db.Orders.Where(o => o.Id == late).ExecuteUpdateAsync(s => s.SetProperty(o => o.ReconcileAfter, DateTimeOffset.UtcNow)));
        await SettledAsync(late, OrderStatus.Refunded);
        Assert.Equal((22 * 100, 0), (SessionOf(late).Refunded, SessionOf(first).Refunded));
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
    }

    [Fact]
    public async Task A_duplicate_payment_Stripe_refuses_to_refund_is_recorded_for_a_person_and_not_retried()
    {
        var (course, learner, late, first) = await BoughtAgainAfterThePageLapsedAsync(23);

        Stripe.Misbehave.DisputeCharges = true;
        try
        {
            Assert.True(Stripe.Pay(SessionOf(late).Id));
            Assert.True(await Eventually.HoldsAsync(() => Db(db => db.OrderEvents.AnyAsync(e => e.OrderId == late && e.Type == "refund refused")), Settles),
                hosted.Host.Output);
        }
        finally
        {
            Stripe.Misbehave.DisputeCharges = false;
        }

        // Unmarked, so the timer does not ask again; still paid, for a person to settle with the learner.
        var order = await OrderAsync(late);
        Assert.Equal((OrderStatus.Paid, (DateTimeOffset?)null), (order.Status, order.ReconcileAfter));
        var detail = await Db(db => db.OrderEvents.Where(e => e.OrderId == late && e.Type == "refund refused").Select(e => e.Detail).SingleAsync());
        Assert.Contains("disputed", detail, StringComparison.Ordinal);
        // The log line travels worker -> host -> pipe, and may arrive after the database shows the refusal.
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(hosted.Host.Output.Contains("needs a person", StringComparison.Ordinal)), Settles), hosted.Host.Output);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
    }

    [Fact]
    public async Task Refunding_one_of_two_paid_orders_of_a_course_keeps_the_access_the_other_paid_for()
    {
        var course = await PaidCourseAsync(27);
        var (learner, token) = await hosted.SignInAsync();
        var (_, admin) = await hosted.SignInAsync(UserRole.Admin);
        var first = OrderIdOf(await CheckoutAsync(token, course));
        Assert.True(Stripe.Pay(SessionOf(first).Id));
        await SettledAsync(first, OrderStatus.Paid);
        // A second paid order of the same course (what a completion after expiry, or the double charge before the delayed-payment rule, leaves).
        var now = DateTimeOffset.UtcNow;
        await Db(db =>
        {
            db.Orders.Add(new Order
            {
                Id = Guid.CreateVersion7(), UserId = learner.Id, Status = OrderStatus.Paid, Currency = "USD", Amount = 27, Provider = "stripe",
                ProviderPaymentId = "pi_second_" + Guid.NewGuid().ToString("N")[..12], CreatedAt = now, PaidAt = now,
                Lines = [new OrderLine { Id = Guid.CreateVersion7(), CourseId = course.Id, CourseSlug = course.Slug, CourseName = course.Name, Price = 27, Currency = "USD" }],
            });
            return db.SaveChangesAsync();
        });

        var refunded = await Expect(await Send(HttpMethod.Post, $"manage/orders/{first}/refund", admin), HttpStatusCode.OK);

        Assert.Equal("refunded", refunded.GetProperty("status").GetString());
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
    }

    [Fact]
    public async Task Orders_awaiting_a_delayed_payment_or_failing_at_stripe_do_not_starve_a_paid_order_whose_webhook_was_lost()
    {
        var course = await PaidCourseAsync(44);
        var (learner, token) = await hosted.SignInAsync();
        var (stuck, _) = await hosted.SignInAsync();
        // Older than the paid order and lapsed long ago: 101 orders awaiting a bank debit (only their webhook settles them)
        // and, more than a batch (5 here), orders whose session Stripe answers with an error (404).
        var longAgo = DateTimeOffset.UtcNow.AddDays(-3);
        Order Stuck(string session, DateTimeOffset? awaiting) => new()
        {
            Id = Guid.CreateVersion7(), UserId = stuck.Id, Currency = "USD", Amount = 10, Provider = "stripe", ProviderSessionId = session,
            CreatedAt = longAgo, SessionExpiresAt = longAgo.AddHours(1), AwaitingPaymentSince = awaiting,
        };
        var awaiting = Enumerable.Range(0, 101).Select(_ => Stuck("cs_test_awaiting_" + Guid.NewGuid().ToString("N"), longAgo)).ToList();
        var failing = Enumerable.Range(0, 7).Select(_ => Stuck("cs_test_unknown_" + Guid.NewGuid().ToString("N"), null)).ToList();
        await Db(db =>
        {
            db.Orders.AddRange(awaiting);
            db.Orders.AddRange(failing);
            return db.SaveChangesAsync();
        });

        var orderId = OrderIdOf(await CheckoutAsync(token, course));
        Stripe.Misbehave.HoldWebhooks = true;
        try
        {
            // Paid, the webhook lost, the page's time over: only the timer can settle it.
            Assert.True(Stripe.Pay(SessionOf(orderId).Id));
            await SessionLapsedAsync(orderId);

            await SettledAsync(orderId, OrderStatus.Paid);
            Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, course.Id))!.Status);
            // The awaiting orders were not even asked about; the failing ones wait for their retry time.
            Assert.DoesNotContain(Stripe.Requests.Keys, k => k.Contains("cs_test_awaiting_", StringComparison.Ordinal));
            var failingIds = failing.Select(o => o.Id).ToList();
            Assert.Equal(failing.Count, await Db(db => db.Orders.CountAsync(o => failingIds.Contains(o.Id) && o.ReconcileAfter > DateTimeOffset.UtcNow)));
            var awaitingIds = awaiting.Select(o => o.Id).ToList();
            Assert.Equal(awaiting.Count, await Db(db => db.Orders.CountAsync(o => awaitingIds.Contains(o.Id) && o.Status == OrderStatus.Pending)));
        }
        finally
        {
            Stripe.Misbehave.HoldWebhooks = false;
        }
    }

    [Fact]
    public async Task A_price_finer_than_its_currency_is_refused_and_zero_decimal_courses_are_charged_what_the_order_says()
    {
        var (_, admin) = await hosted.SignInAsync(UserRole.Admin);
        var slug = "yen-course-" + Guid.NewGuid().ToString("N")[..8];
        var bad = await Expect(await Send(HttpMethod.Post, "manage/courses", admin, new { slug, name = "Yen course", price = 100.50m, currency = "JPY", isPublished = true }),
            HttpStatusCode.BadRequest);
        Assert.Equal(ProblemCodes.ValidationFailed.Code, bad.GetProperty("code").GetString());
        Assert.Equal(["price"], bad.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        await Expect(await Send(HttpMethod.Post, "manage/courses", admin, new { slug, name = "Yen course", price = 100m, currency = "JPY", isPublished = true }),
            HttpStatusCode.Created);
        var patched = await Expect(await Send(HttpMethod.Patch, $"manage/courses/{slug}", admin, new { price = 99.9m }), HttpStatusCode.BadRequest);
        Assert.Equal(["price"], patched.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        await Expect(await Send(HttpMethod.Patch, $"manage/courses/{slug}", admin, new { price = 10.5m, currency = "USD" }), HttpStatusCode.OK);
        await Expect(await Send(HttpMethod.Patch, $"manage/courses/{slug}", admin, new { price = 200m, currency = "JPY" }), HttpStatusCode.OK);

        // Two whole-yen courses: the session charges their sum in yen, and the payment settles the order.
        var other = await PaidCourseAsync(150, "JPY");
        var (learner, token) = await hosted.SignInAsync();
        var yen = await Db(db => db.Courses.AsNoTracking().SingleAsync(c => c.Slug == slug));
        var orderId = OrderIdOf(await CheckoutAsync(token, yen, other));
        var session = SessionOf(orderId);
        Assert.Equal((350L, "jpy"), (session.AmountTotal, session.Currency));
        Assert.True(Stripe.Pay(session.Id));
        await SettledAsync(orderId, OrderStatus.Paid);
        Assert.Equal(EnrollmentStatus.Active, (await EnrollmentAsync(learner.Id, yen.Id))!.Status);
    }
}
