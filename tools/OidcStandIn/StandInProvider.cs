using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoursePlatform.OidcStandIn;

public sealed record StandInSettings(string ClientId, string ClientSecret, int Port = 0);

/// <summary>
/// How the next ID tokens misbehave, so tests can prove the app refuses them. All off by default.
/// </summary>
public sealed class Misbehaviour
{
    public string? Audience { get; set; }
    public string? Issuer { get; set; }
    public bool SignWithUnknownKey { get; set; }
    public bool Expired { get; set; }
    public string? Nonce { get; set; }
    public bool EmailUnverified { get; set; }
    /// <summary>An email claim other than the one approved (a provider account this platform cannot store, say).</summary>
    public string? Email { get; set; }
}

/// <summary>
/// Google's part of the sign-in, on loopback: discovery, JWKS, an authorize page (type an email, or pass
/// <c>login_hint</c> to be approved at once), and a token endpoint that checks the client, the redirect
/// URI and the PKCE verifier before it signs an RS256 ID token.
/// </summary>
public sealed class StandInProvider : IAsyncDisposable
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(2);

    private readonly StandInSettings settings;
    private readonly WebApplication app;
    private readonly RsaSecurityKey signingKey = new(RSA.Create(2048)) { KeyId = "standin-" + Guid.NewGuid().ToString("N")[..8] };
    private readonly RsaSecurityKey unknownKey = new(RSA.Create(2048)) { KeyId = "unknown" };
    private readonly ConcurrentDictionary<string, PendingCode> codes = new();

    private StandInProvider(StandInSettings settings)
    {
        this.settings = settings;
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{settings.Port}");
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        app = builder.Build();
        app.MapGet("/.well-known/openid-configuration", Discovery);
        app.MapGet("/jwks", () => Results.Json(new { keys = new[] { PublicJwk(signingKey) } }));
        app.MapGet("/authorize", Authorize);
        app.MapPost("/authorize", Authorize);
        app.MapPost("/token", Token);
    }

    public Misbehaviour Misbehave { get; } = new();

    /// <summary>The issuer, e.g. <c>http://127.0.0.1:7072</c>; known once started.</summary>
    public string Issuer { get; private set; } = "";

    public static async Task<StandInProvider> StartAsync(StandInSettings settings)
    {
        var provider = new StandInProvider(settings);
        await provider.app.StartAsync();
        provider.Issuer = provider.app.Urls.First().TrimEnd('/');
        return provider;
    }

    public Task WaitForShutdownAsync() => app.WaitForShutdownAsync();

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    /// <summary>The subject the stand-in gives an email: stable, like a real provider's.</summary>
    public static string SubjectFor(string email) =>
        "standin-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())))[..20];

    private IResult Discovery() => Results.Json(new Dictionary<string, object>
    {
        ["issuer"] = Issuer,
        ["authorization_endpoint"] = $"{Issuer}/authorize",
        ["token_endpoint"] = $"{Issuer}/token",
        ["jwks_uri"] = $"{Issuer}/jwks",
        ["response_types_supported"] = new[] { "code" },
        ["subject_types_supported"] = new[] { "public" },
        ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        ["scopes_supported"] = new[] { "openid", "email", "profile" },
        ["code_challenge_methods_supported"] = new[] { "S256" },
        ["token_endpoint_auth_methods_supported"] = new[] { "client_secret_post" },
    });

    private async Task<IResult> Authorize(HttpRequest request)
    {
        var form = request.HasFormContentType ? await request.ReadFormAsync() : null;
        string? Value(string name) => form?[name].FirstOrDefault() ?? request.Query[name].FirstOrDefault();

        var (clientId, redirectUri, state) = (Value("client_id"), Value("redirect_uri"), Value("state"));
        if (clientId != settings.ClientId || !Uri.TryCreate(redirectUri, UriKind.Absolute, out _) || Value("response_type") != "code")
            return Results.BadRequest("Unknown client, missing redirect_uri or response_type other than code.");
        if (Value("code_challenge_method") != "S256" || string.IsNullOrEmpty(Value("code_challenge")))
            return Results.BadRequest("PKCE with S256 is required.");

        var email = Value("email") ?? Value("login_hint");
        if (string.IsNullOrWhiteSpace(email))
            return Results.Content(LoginPage(request), "text/html; charset=utf-8");

        var code = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        codes[code] = new PendingCode(clientId, redirectUri!, Value("code_challenge")!, Value("nonce"), email.Trim().ToLowerInvariant(),
            Value("name"), DateTimeOffset.UtcNow + CodeLifetime);
        var separator = redirectUri!.Contains('?', StringComparison.Ordinal) ? '&' : '?';
        return Results.Redirect($"{redirectUri}{separator}code={code}&state={Uri.EscapeDataString(state ?? "")}");
    }

    private async Task<IResult> Token(HttpRequest request)
    {
        if (!request.HasFormContentType) return TokenError("invalid_request");
        var form = await request.ReadFormAsync();
        string? Value(string name) => form[name].FirstOrDefault();

        if (Value("grant_type") != "authorization_code") return TokenError("unsupported_grant_type");
        if (Value("client_id") != settings.ClientId || Value("client_secret") != settings.ClientSecret) return TokenError("invalid_client", HttpStatusCode.Unauthorized);
        if (!codes.TryRemove(Value("code") ?? "", out var pending) || pending.ExpiresAt < DateTimeOffset.UtcNow) return TokenError("invalid_grant");
        if (pending.RedirectUri != Value("redirect_uri") || pending.ClientId != Value("client_id")) return TokenError("invalid_grant");
        var challenge = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(Value("code_verifier") ?? "")));
        if (challenge != pending.CodeChallenge) return TokenError("invalid_grant");

        return Results.Json(new Dictionary<string, object>
        {
            ["access_token"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)),
            ["token_type"] = "Bearer",
            ["expires_in"] = 3600,
            ["scope"] = "openid email profile",
            ["id_token"] = IdToken(pending),
        });
    }

    private string IdToken(PendingCode pending)
    {
        var now = DateTime.UtcNow;
        var issued = Misbehave.Expired ? now.AddHours(-2) : now;
        var claims = new Dictionary<string, object>
        {
            ["sub"] = SubjectFor(pending.Email),
            ["email"] = Misbehave.Email ?? pending.Email,
            ["email_verified"] = !Misbehave.EmailUnverified,
            ["name"] = pending.Name ?? pending.Email.Split('@')[0],
        };
        if ((Misbehave.Nonce ?? pending.Nonce) is { } nonce) claims["nonce"] = nonce;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Misbehave.Issuer ?? Issuer,
            Audience = Misbehave.Audience ?? pending.ClientId,
            IssuedAt = issued,
            NotBefore = issued,
            Expires = issued.AddHours(1),
            Claims = claims,
            SigningCredentials = new SigningCredentials(Misbehave.SignWithUnknownKey ? unknownKey : signingKey, SecurityAlgorithms.RsaSha256),
        });
    }

    private static object PublicJwk(RsaSecurityKey key)
    {
        var parameters = key.Rsa.ExportParameters(false);
        return new
        {
            kty = "RSA", use = "sig", alg = "RS256", kid = key.KeyId,
            n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent),
        };
    }

    private static IResult TokenError(string error, HttpStatusCode status = HttpStatusCode.BadRequest) =>
        Results.Json(new { error }, statusCode: (int)status);

    private static string LoginPage(HttpRequest request)
    {
        var hidden = string.Concat(request.Query.Select(q =>
            $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(q.Key)}\" value=\"{WebUtility.HtmlEncode(q.Value.ToString())}\">"));
        return $"""
            <!doctype html><html><head><meta charset="utf-8"><title>Sign in (local stand-in)</title></head>
            <body style="font-family:sans-serif;max-width:28rem;margin:4rem auto">
            <h1>Sign in</h1><p>Local stand-in for Google: any email signs in, as that user.</p>
            <form method="post" action="/authorize">{hidden}
            <p><label>Email <input name="email" type="email" required autofocus></label></p>
            <p><label>Name <input name="name"></label></p>
            <button type="submit">Continue</button></form></body></html>
            """;
    }

    private sealed record PendingCode(
        string ClientId, string RedirectUri, string CodeChallenge, string? Nonce, string Email, string? Name, DateTimeOffset ExpiresAt);
}
