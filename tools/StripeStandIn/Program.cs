using System.Globalization;
using System.Text.Json;
using CoursePlatform.StripeStandIn;

// Usage: CoursePlatform.StripeStandIn [--settings local.settings.json] [--port 7073] [--webhook-url http://localhost:7071/api/payments/stripe/webhook]
// The API key and the webhook secret come from the same settings the app reads (Stripe__SecretKey, Stripe__WebhookSecret).
var settingsFile = Arg("--settings") ?? "local.settings.json";
var values = File.Exists(settingsFile)
    ? JsonDocument.Parse(File.ReadAllText(settingsFile)).RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString())
    : [];
string? Setting(string name) => Environment.GetEnvironmentVariable(name) ?? values.GetValueOrDefault(name);

var secretKey = Setting("Stripe__SecretKey");
var webhookSecret = Setting("Stripe__WebhookSecret");
if (string.IsNullOrEmpty(secretKey) || string.IsNullOrEmpty(webhookSecret))
{
    Console.Error.WriteLine($"Stripe__SecretKey and Stripe__WebhookSecret are needed (from {settingsFile} or the environment).");
    return 2;
}
var port = int.Parse(Arg("--port") ?? new Uri(Setting("Stripe__ApiBase") is { Length: > 0 } apiBase ? apiBase : "http://127.0.0.1:7073").Port.ToString(CultureInfo.InvariantCulture),
    CultureInfo.InvariantCulture);
var webhookUrl = Arg("--webhook-url") ?? "http://localhost:7071/api/payments/stripe/webhook";

await using var stripe = await LocalStripe.StartAsync(new StripeStandInSettings(secretKey, webhookSecret, port) { WebhookUrl = webhookUrl });
Console.WriteLine($"Stripe stand-in listening on {stripe.ApiBase}, delivering webhooks to {webhookUrl} (development only)");
await stripe.WaitForShutdownAsync();
return 0;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
