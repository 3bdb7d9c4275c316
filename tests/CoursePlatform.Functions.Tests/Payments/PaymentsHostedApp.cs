using CoursePlatform.StripeStandIn;

namespace CoursePlatform.Functions.Tests.Payments;

/// <summary>
/// The hosted app with payments pointed at a running Stripe stand-in that delivers its signed webhooks back to the app,
/// and a reconciliation timer every two seconds taking five orders of each kind (so a repair or a lost webhook is settled
/// within a test, and a test can fill a batch).
/// </summary>
public sealed class PaymentsHostedApp : HostedApp, IAsyncLifetime
{
    public const string SecretKey = "sk_test_payments_tests";
    public const string WebhookSecret = "whsec_payments_tests_secret";

    public LocalStripe Stripe { get; private set; } = null!;

    protected override IDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["Stripe__ApiBase"] = Stripe.ApiBase,
        ["Stripe__SecretKey"] = SecretKey,
        ["Stripe__WebhookSecret"] = WebhookSecret,
        ["Stripe__SuccessUrl"] = "http://localhost:5173/orders/{ORDER_ID}?checkout=success",
        ["Stripe__CancelUrl"] = "http://localhost:5173/orders/{ORDER_ID}?checkout=cancelled",
        ["Stripe__SessionRepairDelay"] = "00:00:02",
        // Small batches, so a test can show that orders the timer cannot settle do not starve the ones it can.
        ["Stripe__ReconcileBatchSize"] = "5",
        ["PaymentReconcileSchedule"] = "*/2 * * * * *",
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        Stripe = await LocalStripe.StartAsync(new StripeStandInSettings(SecretKey, WebhookSecret));
        await InitializeAsync();
        Stripe.WebhookUrl = new Uri(Api.BaseAddress!, "payments/stripe/webhook").ToString();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Stripe.DisposeAsync();
    }
}
