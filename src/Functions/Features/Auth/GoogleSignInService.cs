using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace CoursePlatform.Functions.Features.Auth;

/// <summary>
/// Google sign-in as an OpenID Connect authorization-code flow with state, nonce and PKCE (S256). The
/// login state lives in the database, so any instance can finish a flow another one started. After the
/// callback the frontend gets a one-time code in its URL, never a token.
/// </summary>
public sealed class GoogleSignInService(
    CoursePlatformDbContext db,
    SessionService sessions,
    OidcProviderMetadata provider,
    HttpClient http,
    RateLimiter limiter,
    IOptions<GoogleOptions> options,
    IOptions<AuthOptions> authOptions,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<GoogleSignInService> logger)
{
    public const string Provider = "google";
    /// <summary>The cookie that binds a sign-in to the browser that started it (login CSRF).</summary>
    public const string BindingCookie = "cp_google_signin";
    /// <summary>Unfinished sign-ins one browser may start per <see cref="StartWindow"/>: a person retrying, not a script.</summary>
    public const int MaxPendingStartsPerBrowser = 10;
    /// <summary>
    /// Unfinished sign-ins one client address may start per <see cref="StartWindow"/>: twice a classroom of 200 behind
    /// one NAT all starting at once, yet a bound on the login-state rows a cookieless script can write.
    /// </summary>
    public const int MaxPendingStartsPerAddress = 400;
    public static readonly TimeSpan StartWindow = TimeSpan.FromMinutes(10);
    private GoogleOptions Settings => options.Value;

    /// <summary>
    /// Where to send the browser to sign in, and the cookie to set on it: <paramref name="redirect"/> must be an
    /// allowed frontend URL. Unfinished starts are limited per browser and per client address (each one writes a
    /// row); <paramref name="previousBinding"/> is the binding cookie the browser still holds from an earlier start,
    /// which names the browser.
    /// </summary>
    public async Task<(Uri Location, LoginCookie Cookie)> StartAsync(string? redirect, string? loginHint, string? codeChallenge, string? clientAddress,
        string? previousBinding, CancellationToken cancellationToken)
    {
        var returnTo = AllowedRedirect(redirect);
        if (codeChallenge is null || !IsChallenge(codeChallenge))
            throw ProblemException.Validation("code_challenge",
                "Send code_challenge: the base64url SHA-256 (43 characters) of a random code_verifier the frontend keeps for POST /auth/exchange.");
        if (loginHint is { Length: > 320 }) throw ProblemException.Validation("login_hint", "A login hint is an email address of at most 320 characters.");
        var browser = BrowserOf(previousBinding) ?? NewBrowserId();
        // The browser first: a client that keeps its cookie and hammers is stopped there without spending the
        // address's allowance, which the other browsers behind the same NAT share.
        var perBrowser = await limiter.HitAsync(BrowserKey(browser), MaxPendingStartsPerBrowser, StartWindow, cancellationToken);
        if (!perBrowser.Allowed) throw ProblemException.TooManyRequests(perBrowser.RetryAfter, "Too many sign-ins started in this browser; finish one or try again later.");
        if (AddressKey(clientAddress) is { } addressKey)
        {
            var perAddress = await limiter.HitAsync(addressKey, MaxPendingStartsPerAddress, StartWindow, cancellationToken);
            if (!perAddress.Allowed) throw ProblemException.TooManyRequests(perAddress.RetryAfter, "Too many sign-ins started from this address; try again later.");
        }
        var (state, verifier, nonce) = (SessionService.NewSecret(), SessionService.NewSecret(), SessionService.NewSecret());
        var now = time.GetUtcNow();
        db.AuthLoginStates.Add(new AuthLoginState
        {
            StateHash = SessionService.Hash(state), CodeVerifier = verifier, Nonce = nonce, RedirectUri = returnTo.ToString(), CodeChallenge = codeChallenge,
            CreatedAt = now, ExpiresAt = now.AddMinutes(Settings.LoginStateMinutes),
        });
        await db.SaveChangesAsync(cancellationToken);

        var metadata = await provider.GetAsync(cancellationToken);
        var query = new Dictionary<string, string?>
        {
            ["response_type"] = "code",
            ["client_id"] = Settings.ClientId,
            ["redirect_uri"] = Settings.CallbackUrl,
            ["scope"] = "openid email profile",
            ["state"] = state,
            ["nonce"] = nonce,
            ["code_challenge"] = Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))),
            ["code_challenge_method"] = "S256",
            ["login_hint"] = string.IsNullOrWhiteSpace(loginHint) ? null : loginHint.Trim(),
        };
        var location = new Uri(metadata.AuthorizationEndpoint + "?" + string.Join('&',
            query.Where(p => p.Value is not null).Select(p => $"{p.Key}={Uri.EscapeDataString(p.Value!)}")));
        return (location, new LoginCookie(BindingCookie, Binding(browser, state), Secure: !GoogleOptions.IsDevelopment(configuration), TimeSpan.FromMinutes(Settings.LoginStateMinutes)));
    }

    /// <summary>
    /// Finishes the flow; the result is the frontend URL carrying a one-time code (or the provider's error).
    /// <paramref name="binding"/> is the cookie <see cref="StartAsync"/> set: a callback URL opened in any other
    /// browser (an attacker's approved sign-in sent to a victim) is refused before the state is used. A completed
    /// sign-in gives its start back to the browser's and <paramref name="clientAddress"/>'s limits.
    /// </summary>
    public async Task<Uri> CallbackAsync(string? code, string? state, string? error, string? binding, string? clientAddress, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 200) throw InvalidState();
        var browser = BrowserOf(binding);
        if (browser is null || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(binding!), Encoding.ASCII.GetBytes(Binding(browser, state))))
            throw ProblemException.BadRequest("This sign-in was started in another browser (or its cookie expired); start the sign-in again here.", ProblemCodes.SignInStateInvalid);
        var login = await ConsumeStateAsync(state, cancellationToken);
        if (!string.IsNullOrEmpty(error) || string.IsNullOrEmpty(code))
            return WithQuery(WithQuery(login.RedirectUri, "error", string.IsNullOrEmpty(error) ? "invalid_request" : error[..Math.Min(error.Length, 100)]),
                "error_description", string.IsNullOrEmpty(error) ? "The identity provider returned no authorization code." : "The identity provider refused the sign-in.");

        var idToken = await RedeemCodeAsync(code, login.CodeVerifier, cancellationToken);
        var identity = await ValidateIdTokenAsync(idToken, login.Nonce, cancellationToken);
        var user = await UpsertUserAsync(identity, cancellationToken);

        var oneTimeCode = SessionService.NewSecret();
        var now = time.GetUtcNow();
        db.AuthLoginCodes.Add(new AuthLoginCode
        {
            CodeHash = SessionService.Hash(oneTimeCode), UserId = user.Id, CodeChallenge = login.CodeChallenge,
            CreatedAt = now, ExpiresAt = now.AddSeconds(Settings.LoginCodeSeconds),
        });
        await db.SaveChangesAsync(cancellationToken);
        // Only a sign-in the provider vouched for is given back (a provider error could be forged by the starter
        // itself), from the bucket its start was counted in.
        await limiter.ReleaseAsync(BrowserKey(browser), StartWindow, cancellationToken, login.CreatedAt);
        if (AddressKey(clientAddress) is { } addressKey) await limiter.ReleaseAsync(addressKey, StartWindow, cancellationToken, login.CreatedAt);
        logger.LogInformation("Google sign-in completed for user {UserId}", user.Id);
        return WithQuery(login.RedirectUri, "code", oneTimeCode);
    }

    /// <summary>
    /// <see cref="CallbackAsync"/> for a browser: a sign-in that fails goes back to the frontend as OAuth clients expect
    /// (<c>?error=&lt;code&gt;&amp;error_description=…</c>), never to a JSON page on the API's origin where the user is
    /// stranded. It returns to the start's <c>redirect</c> when the state names one, else to
    /// <see cref="GoogleOptions.DefaultFrontend"/>.
    /// </summary>
    public async Task<Uri> CallbackRedirectAsync(string? code, string? state, string? error, string? binding, string? clientAddress, CancellationToken cancellationToken)
    {
        try
        {
            return await CallbackAsync(code, state, error, binding, clientAddress, cancellationToken);
        }
        catch (ProblemException problem)
        {
            logger.LogInformation("Google sign-in failed with {Code}: {Detail}", problem.Code.Code, problem.Detail);
            var returnTo = await KnownRedirectAsync(state, cancellationToken) ?? Settings.DefaultFrontend().ToString();
            return WithQuery(WithQuery(returnTo, "error", problem.Code.Code), "error_description", problem.Detail);
        }
    }

    /// <summary>
    /// The frontend URL a sign-in started with, whether or not its state was consumed, if it is still on an allowed origin.
    /// A foreign browser's callback learns nothing from it: the starter chose it among the allowed origins.
    /// </summary>
    private async Task<string?> KnownRedirectAsync(string? state, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(state) || state.Length > 200) return null;
        var hash = SessionService.Hash(state);
        var redirect = await db.AuthLoginStates.AsNoTracking().Where(s => s.StateHash == hash).Select(s => s.RedirectUri).SingleOrDefaultAsync(cancellationToken);
        return redirect is not null && Uri.TryCreate(redirect, UriKind.Absolute, out var uri)
            && Settings.RedirectOrigins().Contains(uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()) ? redirect : null;
    }

    /// <summary>
    /// Trades a one-time code for tokens: once, within its minute, and only with the verifier of the challenge
    /// the sign-in started with, so a code minted for someone else's sign-in (a link an attacker sends) is useless.
    /// </summary>
    public async Task<TokenResponse> ExchangeAsync(string code, string codeVerifier, ClientInfo client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = SessionService.Hash(code);
        var row = await db.AuthLoginCodes.AsNoTracking().SingleOrDefaultAsync(c => c.CodeHash == hash, cancellationToken);
        if (row is not null && (row.CodeChallenge is null || !CryptographicOperations.FixedTimeEquals(
                Encoding.ASCII.GetBytes(row.CodeChallenge), Encoding.ASCII.GetBytes(Challenge(codeVerifier)))))
            throw ProblemException.Unauthorized("The code verifier does not match the sign-in that issued this code; sign in again.", "invalid_grant", ProblemCodes.InvalidGrant);
        var claimed = row is null ? 0 : await db.AuthLoginCodes
            .Where(c => c.Id == row.Id && c.ConsumedAt == null && c.ExpiresAt > now)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.ConsumedAt, now), cancellationToken);
        if (claimed == 0) throw ProblemException.Unauthorized("The sign-in code is invalid, expired or already used; sign in again.", "invalid_grant", ProblemCodes.InvalidGrant);

        var user = await db.Users.SingleAsync(u => u.Id == row!.UserId, cancellationToken);
        return await sessions.StartAsync(user, client, cancellationToken);
    }

    /// <summary>The stored return URL: an allowed frontend origin, no fragment, no <c>code</c> of its own, within its column.</summary>
    private Uri AllowedRedirect(string? redirect)
    {
        if (redirect is { Length: > MaxRedirectLength })
            throw ProblemException.Validation("redirect", $"Must be at most {MaxRedirectLength} characters.");
        if (!Uri.TryCreate(redirect, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !Settings.RedirectOrigins().Contains(uri.GetLeftPart(UriPartial.Authority).ToLowerInvariant()) || !string.IsNullOrEmpty(uri.Fragment))
            throw ProblemException.Validation("redirect", "Must be an absolute URL on an allowed frontend origin, without a fragment.");
        if (System.Web.HttpUtility.ParseQueryString(uri.Query).AllKeys.Any(k => string.Equals(k, "code", StringComparison.OrdinalIgnoreCase)))
            throw ProblemException.Validation("redirect", "Must not carry a code parameter: the sign-in adds its own.");
        return uri;
    }

    private const int MaxRedirectLength = 2048;

    /// <summary>S256 as PKCE defines it: base64url(SHA-256(ASCII verifier)).</summary>
    public static string Challenge(string verifier) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static bool IsChallenge(string value) =>
        value.Length == 43 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>
    /// The cookie value bound to a state: the browser's id, then an HMAC of id and state under the app's signing key,
    /// so only this app can mint it and the callback knows which browser's start to give back.
    /// </summary>
    private string Binding(string browser, string state) =>
        browser + "." + Base64UrlEncoder.Encode(HMACSHA256.HashData(authOptions.Value.SigningKeyBytes(), Encoding.UTF8.GetBytes($"google-signin-binding:{browser}:{state}")));

    /// <summary>
    /// The browser id a binding cookie carries, if well formed. The client could send any id, or none, but that only
    /// moves it to a fresh per-browser count: the per-address limit still bounds it.
    /// </summary>
    private static string? BrowserOf(string? binding) =>
        binding is { Length: > BrowserIdLength } && binding[BrowserIdLength] == '.' && binding[..BrowserIdLength].All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? binding[..BrowserIdLength] : null;

    private const int BrowserIdLength = 22; // 16 random bytes, base64url

    private static string NewBrowserId() => Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16));

    private static string BrowserKey(string browser) => $"google-start-browser:{browser}";

    private static string? AddressKey(string? clientAddress) => ClientAddress.LimitKey(clientAddress) is { } address ? $"google-start:{address}" : null;

    private async Task<AuthLoginState> ConsumeStateAsync(string state, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = SessionService.Hash(state);
        var login = await db.AuthLoginStates.AsNoTracking().SingleOrDefaultAsync(s => s.StateHash == hash, cancellationToken);
        var claimed = login is null ? 0 : await db.AuthLoginStates
            .Where(s => s.Id == login.Id && s.ConsumedAt == null && s.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ConsumedAt, now), cancellationToken);
        return claimed == 1 ? login! : throw InvalidState();
    }

    private async Task<string> RedeemCodeAsync(string code, string verifier, CancellationToken cancellationToken)
    {
        var metadata = await provider.GetAsync(cancellationToken);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["redirect_uri"] = Settings.CallbackUrl,
            ["client_id"] = Settings.ClientId,
            ["client_secret"] = Settings.ClientSecret,
            ["code_verifier"] = verifier,
        });
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsync(new Uri(metadata.TokenEndpoint), form, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            logger.LogWarning("Identity provider token endpoint unreachable: {Error}", ex.Message);
            throw ProblemException.ServiceUnavailable(TimeSpan.FromSeconds(30), "The identity provider is unreachable; try again shortly.", ProblemCodes.IdentityProviderUnavailable);
        }
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                logger.LogWarning("Identity provider refused the code exchange with {Status}", (int)response.StatusCode);
                throw SignInFailed("The identity provider did not accept the sign-in.");
            }
            var tokens = await response.Content.ReadFromJsonAsync<ProviderTokens>(cancellationToken);
            return tokens?.IdToken ?? throw SignInFailed("The identity provider returned no ID token.");
        }
    }

    private async Task<ProviderIdentity> ValidateIdTokenAsync(string idToken, string nonce, CancellationToken cancellationToken)
    {
        var result = await ValidateAsync(idToken, await provider.GetAsync(cancellationToken));
        if (result.Exception is SecurityTokenSignatureKeyNotFoundException)
            result = await ValidateAsync(idToken, await provider.RefreshAsync(cancellationToken)); // the provider rotated its keys
        if (!result.IsValid)
        {
            logger.LogWarning("Rejected ID token: {Reason}", result.Exception?.GetType().Name);
            throw SignInFailed("The identity provider's ID token is not valid.");
        }

        var claims = result.Claims;
        string? Claim(string name) => claims.TryGetValue(name, out var value) ? value?.ToString() : null;
        if (Claim("nonce") != nonce) throw SignInFailed("The ID token does not belong to this sign-in.");
        var email = Claim("email")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(Claim("sub")) || string.IsNullOrEmpty(email) || !string.Equals(Claim("email_verified"), "true", StringComparison.OrdinalIgnoreCase))
            throw SignInFailed("Sign in with an account whose email address is verified.");
        if (email.Length > 320 || Claim("sub")!.Length > 255 || email.Contains('\0', StringComparison.Ordinal))
            throw SignInFailed("The identity provider's account has an email address or subject this platform cannot store.");
        // A blank name is no name: the profile says null, never "".
        var name = Claim("name")?.Trim() is { Length: > 0 } full ? (full.Length <= 200 ? full : full[..200]) : null;
        return new ProviderIdentity(Claim("sub")!, email, name, Claim("picture"));
    }

    private Task<TokenValidationResult> ValidateAsync(string idToken, OpenIdConnectConfiguration metadata) =>
        new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(idToken, new TokenValidationParameters
        {
            // Google's tokens name their issuer with or without the scheme.
            ValidIssuers = [metadata.Issuer, metadata.Issuer.Replace("https://", "", StringComparison.Ordinal)],
            ValidAudience = Settings.ClientId,
            IssuerSigningKeys = metadata.SigningKeys,
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now <= exp.AddMinutes(1) && (notBefore is not { } nbf || now >= nbf.AddMinutes(-1));
            },
        });

    /// <summary>Finds the user by provider subject, else links an existing account by email, else creates a learner.</summary>
    private async Task<User> UpsertUserAsync(ProviderIdentity identity, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.AuthProvider == Provider && u.ProviderSubject == identity.Subject, cancellationToken)
            ?? await db.Users.SingleOrDefaultAsync(u => u.Email == identity.Email, cancellationToken);
        if (user is null)
        {
            user = new User { Email = identity.Email, Role = UserRole.Learner, CreatedAt = now };
            db.Users.Add(user);
        }
        else if (user.AuthProvider is not null && (user.AuthProvider != Provider || user.ProviderSubject != identity.Subject))
        {
            throw ProblemException.Conflict("This email already belongs to another sign-in account.", ProblemCodes.AccountConflict);
        }
        else if (user.AuthProvider is null && (user.Role != UserRole.Learner || user.PasswordHash is not null))
        {
            // A staff account, or one with a password, is never taken over by whoever controls a Google account
            // with the same address: it signs in with its password.
            logger.LogWarning("Refused to link Google sign-in to {Role} account {UserId} by email alone", user.Role, user.Id);
            throw ProblemException.Conflict("This email belongs to a staff account or one with a password; sign in with the password instead.", ProblemCodes.AccountConflict);
        }
        else if (user.Email != identity.Email && await db.Users.AnyAsync(u => u.Email == identity.Email && u.Id != user.Id, cancellationToken))
        {
            throw ProblemException.Conflict("The provider's email address already belongs to another account.", ProblemCodes.AccountConflict);
        }

        (user.AuthProvider, user.ProviderSubject, user.Email) = (Provider, identity.Subject, identity.Email);
        user.FullName = identity.Name ?? user.FullName;
        user.PictureUrl = identity.Picture is { Length: <= 2048 } picture ? picture : user.PictureUrl;
        user.UpdatedAt = now;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict("This account is being signed in concurrently; try again.", ProblemCodes.ConcurrentUpdate);
        }
        return user;
    }

    private static Uri WithQuery(Uri url, string name, string value) => WithQuery(url.ToString(), name, value);

    private static Uri WithQuery(string url, string name, string value) =>
        new(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + name + "=" + Uri.EscapeDataString(value));

    private static ProblemException InvalidState() =>
        ProblemException.BadRequest("The sign-in request is unknown, expired or already completed; start the sign-in again.", ProblemCodes.SignInStateInvalid);

    private static ProblemException SignInFailed(string detail) => new(ProblemCodes.SignInFailed, detail);

    /// <summary>A cookie the start of a sign-in sets (HttpOnly, SameSite=Lax, on the sign-in routes only).</summary>
    public sealed record LoginCookie(string Name, string Value, bool Secure, TimeSpan MaxAge);

    private sealed record ProviderIdentity(string Subject, string Email, string? Name, string? Picture);

    private sealed record ProviderTokens([property: JsonPropertyName("id_token")] string? IdToken);
}

/// <summary>The provider's discovery document and signing keys, cached per process and refreshed on demand.</summary>
public sealed class OidcProviderMetadata
{
    private readonly ConfigurationManager<OpenIdConnectConfiguration> manager;

    public OidcProviderMetadata(IOptions<GoogleOptions> options, IHttpClientFactory httpClients)
    {
        var settings = options.Value;
        var retriever = new HttpDocumentRetriever(httpClients.CreateClient(nameof(OidcProviderMetadata))) { RequireHttps = !settings.AuthorityIsLoopback() };
        manager = new ConfigurationManager<OpenIdConnectConfiguration>(
            settings.Authority.TrimEnd('/') + "/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever(), retriever);
    }

    public async Task<OpenIdConnectConfiguration> GetAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await manager.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            throw ProblemException.ServiceUnavailable(TimeSpan.FromSeconds(30), "The identity provider is unreachable; try again shortly.", ProblemCodes.IdentityProviderUnavailable);
        }
    }

    public Task<OpenIdConnectConfiguration> RefreshAsync(CancellationToken cancellationToken)
    {
        manager.RequestRefresh();
        return GetAsync(cancellationToken);
    }
}
