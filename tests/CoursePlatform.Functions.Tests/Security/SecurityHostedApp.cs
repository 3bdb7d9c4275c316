using CoursePlatform.OidcStandIn;

namespace CoursePlatform.Functions.Tests.Security;

/// <summary>The hosted app with Google sign-in pointed at a running stand-in, and a known refresh grace.</summary>
public sealed class SecurityHostedApp : HostedApp, IAsyncLifetime
{
    public const string Frontend = "http://localhost:5173";
    public const string Callback = "http://localhost:7071/api/auth/google/callback";
    // Long enough for three round trips on a busy machine; a test makes a reuse late by backdating the rotation, not by waiting.
    public const int RefreshGraceSeconds = 30;

    public StandInProvider Provider { get; private set; } = null!;

    protected override IDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["Google__Authority"] = Provider.Issuer,
        ["Google__ClientId"] = "security-client",
        ["Google__ClientSecret"] = "security-secret",
        ["Google__CallbackUrl"] = Callback,
        ["Google__AllowedRedirectOrigins"] = Frontend,
        ["Auth__RefreshReuseGraceSeconds"] = RefreshGraceSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        Provider = await StandInProvider.StartAsync(new StandInSettings("security-client", "security-secret"));
        await InitializeAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Provider.DisposeAsync();
    }
}
