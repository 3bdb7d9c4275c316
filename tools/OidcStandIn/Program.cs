using System.Text.Json;
using CoursePlatform.OidcStandIn;

// Usage: CoursePlatform.OidcStandIn [--settings local.settings.json] [--port 7072]
// Client id and secret come from the same settings the app reads (Google__ClientId, Google__ClientSecret).
var settingsFile = Arg("--settings") ?? "local.settings.json";
var values = File.Exists(settingsFile)
    ? JsonDocument.Parse(File.ReadAllText(settingsFile)).RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString())
    : [];
string? Setting(string name) => Environment.GetEnvironmentVariable(name) ?? values.GetValueOrDefault(name);

var clientId = Setting("Google__ClientId");
var clientSecret = Setting("Google__ClientSecret");
if (string.IsNullOrEmpty(clientId) || string.IsNullOrEmpty(clientSecret))
{
    Console.Error.WriteLine($"Google__ClientId and Google__ClientSecret are needed (from {settingsFile} or the environment).");
    return 2;
}
var port = int.Parse(Arg("--port") ?? new Uri(Setting("Google__Authority") ?? "http://127.0.0.1:7072").Port.ToString(), System.Globalization.CultureInfo.InvariantCulture);

await using var provider = await StandInProvider.StartAsync(new StandInSettings(clientId, clientSecret, port));
Console.WriteLine($"OpenID Connect stand-in listening on {provider.Issuer} (development only)");
await provider.WaitForShutdownAsync();
return 0;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
