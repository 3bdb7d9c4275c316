using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>App settings <c>Stripe__*</c>: the Stripe account checkout charges through (locally the stand-in, tools/StripeStandIn).</summary>
public sealed class StripeOptions
{
    public const string Section = "Stripe";

    /// <summary>The secret API key (<c>sk_test_...</c> in test mode); in Azure a Key Vault reference.</summary>
    [Required]
    public string SecretKey { get; set; } = "";

    /// <summary>The webhook endpoint's signing secret (<c>whsec_...</c>); in Azure a Key Vault reference.</summary>
    [Required]
    public string WebhookSecret { get; set; } = "";

    /// <summary>Where Stripe's API is; empty is the real <c>https://api.stripe.com</c>, a loopback URL the stand-in.</summary>
    public string ApiBase { get; set; } = "";

    /// <summary>The frontend page a paid checkout returns to; <c>{ORDER_ID}</c> and <c>{CHECKOUT_SESSION_ID}</c> are filled in.</summary>
    [Required, Url]
    public string SuccessUrl { get; set; } = "";

    /// <summary>The frontend page a learner who leaves the payment page returns to.</summary>
    [Required, Url]
    public string CancelUrl { get; set; } = "";

    /// <summary>How long a payment page stays open (Stripe accepts 30 minutes to 24 hours).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How old a webhook's signature timestamp may be (replays older than this are refused).</summary>
    [Range(1, 3600)]
    public int WebhookToleranceSeconds { get; set; } = 300;

    /// <summary>An order still without a payment page this long after checkout is taken as a crash between the two and repaired.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan SessionRepairDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many orders of each kind (unstarted, lapsed, abandoned) one reconciliation run takes, oldest first.</summary>
    [Range(1, 10000)]
    public int ReconcileBatchSize { get; set; } = 100;

    /// <summary>An order Stripe answered with an error is left alone this long, so it cannot hold the head of every batch.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan ReconcileRetryDelay { get; set; } = TimeSpan.FromMinutes(15);
}
