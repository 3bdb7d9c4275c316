using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using CoursePlatform.OidcStandIn;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Tests.Auth;

/// <summary>The whole sign-in round trip against a stand-in provider on loopback that signs its own ID tokens.</summary>
public sealed class GoogleSignInTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const string Frontend = "http://localhost:5173";
    private const string Callback = "http://localhost:7071/api/auth/google/callback";
    private static readonly ClientInfo Client = new("203.0.113.9", "tests");
    private readonly HttpClient browser = new(new HttpClientHandler { AllowAutoRedirect = false });
    private StandInProvider provider = null!;
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        provider = await StandInProvider.StartAsync(new StandInSettings("test-client", "test-secret"));
        app = new TestApp(database, new Dictionary<string, string?>
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["Google:Authority"] = provider.Issuer,
            ["Google:ClientId"] = "test-client",
            ["Google:ClientSecret"] = "test-secret",
            ["Google:CallbackUrl"] = Callback,
            ["Google:AllowedRedirectOrigins"] = Frontend,
        });
        app.Clock.SetUtcNow(DateTimeOffset.UtcNow); // the stand-in stamps tokens with the real clock
    }

    public async Task DisposeAsync()
    {
        app.Dispose();
        browser.Dispose();
        await provider.DisposeAsync();
    }

    /// <summary>The frontend's PKCE verifier (one for the whole class) and the challenge it starts sign-ins with.</summary>
    private const string Verifier = "the-frontends-own-code-verifier-of-43-characters-or-more";
    private static readonly string Challenge = GoogleSignInService.Challenge(Verifier);

    /// <summary>The binding cookie each started sign-in set on "the browser", by state.</summary>
    private readonly Dictionary<string, string> bindings = [];

    /// <summary>Starts a sign-in in a fresh browser, or in the one that holds <paramref name="previousBinding"/>.</summary>
    private async Task<Uri> Start(string email, string redirect = Frontend + "/signed-in", string address = "203.0.113.9", string? previousBinding = null)
    {
        var (location, cookie) = await app.Run<GoogleSignInService, (Uri, GoogleSignInService.LoginCookie)>(g => g.StartAsync(redirect, email, Challenge, address, previousBinding, default));
        Assert.Equal(GoogleSignInService.BindingCookie, cookie.Name);
        bindings[System.Web.HttpUtility.ParseQueryString(location.Query)["state"]!] = cookie.Value;
        return location;
    }

    /// <summary>What the browser does at the provider: follow the authorize URL to the app's callback.</summary>
    private async Task<(string Code, string State)> Authorize(Uri authorizeUrl)
    {
        using var response = await browser.GetAsync(authorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!;
        Assert.StartsWith(Callback, location.ToString(), StringComparison.Ordinal);
        var query = System.Web.HttpUtility.ParseQueryString(location.Query);
        return (query["code"]!, query["state"]!);
    }

    /// <summary>The callback in the browser that started the sign-in (its cookie), unless <paramref name="binding"/> says otherwise.</summary>
    private Task<Uri> Callback_(string? code, string? state, string? error = null, string? binding = null, string address = "203.0.113.9") =>
        app.Run<GoogleSignInService, Uri>(g => g.CallbackAsync(code, state, error,
            binding ?? (state is not null && bindings.TryGetValue(state, out var b) ? b : null), address, default));

    private Task<TokenResponse> Exchange(string code, string verifier = Verifier) =>
        app.Run<GoogleSignInService, TokenResponse>(g => g.ExchangeAsync(code, verifier, Client, default));

    private static string LoginCode(Uri frontend) => System.Web.HttpUtility.ParseQueryString(frontend.Query)["code"]!;

    private async Task<TokenResponse> SignIn(string email)
    {
        var (code, state) = await Authorize(await Start(email));
        return await Exchange(LoginCode(await Callback_(code, state)));
    }

    [Fact]
    public async Task A_provider_account_without_a_name_has_a_null_full_name_not_an_empty_one()
    {
        var email = $"noname-{Guid.NewGuid():N}@example.com";
        var (code, state) = await Authorize(new Uri(await Start(email) + "&name=%20"));
        var tokens = await Exchange(LoginCode(await Callback_(code, state)));

        Assert.Null(tokens.User.FullName);
        Assert.Null(await app.Run<CoursePlatformDbContext, string?>(db => db.Users.Where(u => u.Email == email).Select(u => u.FullName).SingleAsync()));
    }

    [Fact]
    public async Task A_new_learner_signs_in_and_gets_tokens_through_a_one_time_code()
    {
        var email = $"ana-{Guid.NewGuid():N}@example.com";
        var authorize = await Start(email);
        var authorizeQuery = System.Web.HttpUtility.ParseQueryString(authorize.Query);
        Assert.Equal("S256", authorizeQuery["code_challenge_method"]);
        Assert.False(string.IsNullOrEmpty(authorizeQuery["nonce"]));

        var (code, state) = await Authorize(authorize);
        var frontend = await Callback_(code, state);

        Assert.StartsWith(Frontend + "/signed-in?code=", frontend.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("token", frontend.ToString(), StringComparison.OrdinalIgnoreCase);
        var tokens = await Exchange(LoginCode(frontend));
        Assert.Equal(email, tokens.User.Email);
        Assert.Equal(UserRole.Learner, tokens.User.Role);
        var user = await app.Run<CoursePlatformDbContext, User>(db => db.Users.SingleAsync(u => u.Email == email));
        Assert.Equal(("google", StandInProvider.SubjectFor(email)), (user.AuthProvider, user.ProviderSubject));
    }

    [Fact]
    public async Task Signing_in_again_finds_the_same_user_and_an_existing_learner_account_is_linked_by_email()
    {
        var email = $"ben-{Guid.NewGuid():N}@example.com";
        var learner = await app.CreateUserAsync(UserRole.Learner, email);

        var first = await SignIn(email);
        var second = await SignIn(email.ToUpperInvariant());

        Assert.Equal(learner.Id, first.User.Id);
        Assert.Equal(learner.Id, second.User.Id);
        Assert.Equal(UserRole.Learner, second.User.Role);
    }

    [Theory]
    [InlineData(UserRole.Admin, false)]
    [InlineData(UserRole.Tutor, false)]
    [InlineData(UserRole.Learner, true)]
    public async Task A_staff_account_or_one_with_a_password_is_never_linked_by_email_alone(UserRole role, bool withPassword)
    {
        var email = $"staff-{Guid.NewGuid():N}@example.com";
        var account = await app.CreateUserAsync(role, email, u => u.PasswordHash = withPassword ? "AQAAAAIAAYagAAAAEFakeHashForTheTest" : null);

        var (code, state) = await Authorize(await Start(email));
        var refused = await Assert.ThrowsAsync<ProblemException>(() => Callback_(code, state));

        Assert.Equal(HttpStatusCode.Conflict, refused.Status);
        Assert.Equal(ProblemCodes.AccountConflict, refused.Code);
        var stored = await app.Run<CoursePlatformDbContext, User>(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == account.Id));
        Assert.Equal(((string?)null, (string?)null), (stored.AuthProvider, stored.ProviderSubject));
        Assert.Equal(0, await app.Run<CoursePlatformDbContext, int>(db => db.AuthLoginCodes.CountAsync(c => c.UserId == account.Id)));
    }

    [Fact]
    public async Task A_callback_opened_in_another_browser_is_refused_and_leaves_the_sign_in_usable()
    {
        // The attacker starts a sign-in and approves it with their own account...
        var (code, state) = await Authorize(await Start($"mallory-{Guid.NewGuid():N}@example.com"));
        // ...and sends the callback URL to a victim, whose browser has no (or another) binding cookie.
        var noCookie = await Assert.ThrowsAsync<ProblemException>(() => Callback_(code, state, binding: ""));
        Assert.Equal(HttpStatusCode.BadRequest, noCookie.Status);
        Assert.Equal(ProblemCodes.SignInStateInvalid, noCookie.Code);
        var (_, otherState) = await Authorize(await Start($"victim-{Guid.NewGuid():N}@example.com"));
        await Assert.ThrowsAsync<ProblemException>(() => Callback_(code, state, binding: bindings[otherState]));

        // Nothing was consumed: the browser that started it still finishes it.
        Assert.StartsWith(Frontend + "/signed-in?code=", (await Callback_(code, state)).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_code_minted_for_another_frontend_is_useless_without_its_verifier()
    {
        // An attacker completes a sign-in of their own and sends the victim ".../signed-in?code=X": the victim's
        // frontend exchanges it with its own verifier, which does not match the attacker's challenge.
        var (code, state) = await Authorize(await Start($"mallory-{Guid.NewGuid():N}@example.com"));
        var loginCode = LoginCode(await Callback_(code, state));

        var refused = await Assert.ThrowsAsync<ProblemException>(() => Exchange(loginCode, "a-victims-frontend-verifier-that-is-long-enough-43"));
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        Assert.Equal(ProblemCodes.InvalidGrant, refused.Code);
        Assert.NotNull(await Exchange(loginCode)); // the attacker's own frontend still could, and nobody else
    }

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    [InlineData("not+base64url/characters-------------------")]
    public async Task A_start_without_a_proper_code_challenge_is_refused(string? challenge)
    {
        var error = await Assert.ThrowsAsync<ProblemException>(() => app.Run<GoogleSignInService, (Uri, GoogleSignInService.LoginCookie)>(
            g => g.StartAsync(Frontend + "/", null, challenge, "203.0.113.9", null, default)));
        Assert.True(error.Errors!.ContainsKey("code_challenge"));
    }

    [Fact]
    public async Task A_classroom_of_200_behind_one_address_all_sign_in()
    {
        const string school = "198.51.100.50";
        var learners = Enumerable.Range(0, 200).Select(i => $"pupil-{i}-{Guid.NewGuid():N}@example.com").ToList();

        // The worst case for the address: everybody clicks "Sign in with Google" within a few minutes, each in their
        // own browser, before anybody has come back from the provider...
        var started = new List<Uri>();
        foreach (var email in learners)
        {
            started.Add(await Start(email, address: school));
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        // ...then they all finish.
        foreach (var authorize in started)
        {
            var (code, state) = await Authorize(authorize);
            Assert.StartsWith(Frontend + "/signed-in?code=", (await Callback_(code, state, address: school)).ToString(), StringComparison.Ordinal);
        }

        // Completed sign-ins were given back: the address holds nothing against the next lesson.
        var left = await app.Run<RateLimiter, RateLimitDecision>(l => l.PeekAsync($"google-start:{school}", GoogleSignInService.MaxPendingStartsPerAddress,
            GoogleSignInService.StartWindow, default));
        Assert.Equal(0, left.Count);
    }

    [Fact]
    public async Task One_browser_hammering_starts_is_refused_without_locking_out_its_classmates()
    {
        const string school = "198.51.100.51";
        var binding = (string?)null;
        for (var i = 0; i < GoogleSignInService.MaxPendingStartsPerBrowser; i++)
        {
            var state = System.Web.HttpUtility.ParseQueryString((await Start("prankster@example.com", address: school, previousBinding: binding)).Query)["state"]!;
            binding = bindings[state]; // the browser keeps the cookie of its latest start
        }
        for (var i = 0; i < 20; i++)
        {
            var limited = await Assert.ThrowsAsync<ProblemException>(() => Start("prankster@example.com", address: school, previousBinding: binding));
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
            Assert.True(int.Parse(limited.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        }

        // Every other browser behind the same address still signs in, whatever email it names.
        for (var i = 0; i < 40; i++)
        {
            var (code, state) = await Authorize(await Start($"classmate-{i}-{Guid.NewGuid():N}@example.com", address: school));
            Assert.StartsWith(Frontend + "/signed-in?code=", (await Callback_(code, state, address: school)).ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_script_that_drops_its_cookie_is_still_bounded_per_address()
    {
        const string address = "198.51.100.200";
        for (var i = 0; i < GoogleSignInService.MaxPendingStartsPerAddress; i++) await Start("x@example.com", address: address);
        var limited = await Assert.ThrowsAsync<ProblemException>(() => Start("x@example.com", address: address));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.True(limited.Headers.ContainsKey("Retry-After"));
        await Start("x@example.com", address: "198.51.100.201");
    }

    [Fact]
    public async Task A_provider_error_does_not_give_the_start_back()
    {
        // Anyone holding their own state and cookie can forge "?error=…" without the provider: only a sign-in the
        // provider vouched for is released, or a script could start without end.
        const string address = "198.51.100.52";
        var state = System.Web.HttpUtility.ParseQueryString((await Start("y@example.com", address: address)).Query)["state"];
        await Callback_(null, state, "access_denied", address: address);

        var left = await app.Run<RateLimiter, RateLimitDecision>(l => l.PeekAsync($"google-start:{address}", GoogleSignInService.MaxPendingStartsPerAddress,
            GoogleSignInService.StartWindow, default));
        Assert.Equal(1, left.Count);
    }

    [Fact]
    public async Task An_unknown_or_replayed_or_expired_state_is_refused()
    {
        var (code, state) = await Authorize(await Start($"c-{Guid.NewGuid():N}@example.com"));
        await Assert.ThrowsAsync<ProblemException>(() => Callback_(code, "forged-state"));
        await Assert.ThrowsAsync<ProblemException>(() => Callback_(code, null));

        await Callback_(code, state);
        var replay = await Assert.ThrowsAsync<ProblemException>(() => Callback_(code, state));
        Assert.Equal(HttpStatusCode.BadRequest, replay.Status);

        var (code2, state2) = await Authorize(await Start($"d-{Guid.NewGuid():N}@example.com"));
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        await Assert.ThrowsAsync<ProblemException>(() => Callback_(code2, state2));
    }

    [Fact]
    public async Task A_login_code_works_once_and_for_a_minute_only()
    {
        var (code, state) = await Authorize(await Start($"e-{Guid.NewGuid():N}@example.com"));
        var loginCode = LoginCode(await Callback_(code, state));
        await Exchange(loginCode);
        var twice = await Assert.ThrowsAsync<ProblemException>(() => Exchange(loginCode));
        Assert.Equal(HttpStatusCode.Unauthorized, twice.Status);

        var (code2, state2) = await Authorize(await Start($"f-{Guid.NewGuid():N}@example.com"));
        var late = LoginCode(await Callback_(code2, state2));
        app.Clock.Advance(TimeSpan.FromSeconds(61));
        await Assert.ThrowsAsync<ProblemException>(() => Exchange(late));
    }

    public static TheoryData<string> BadTokens() => ["bad-signature", "wrong-audience", "wrong-issuer", "expired", "wrong-nonce", "unverified-email", "email-too-long"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task An_id_token_that_is_not_right_in_every_way_is_refused(string flaw)
    {
        var email = $"g-{Guid.NewGuid():N}@example.com";
        var (code, state) = await Authorize(await Start(email));
        _ = flaw switch
        {
            "bad-signature" => provider.Misbehave.SignWithUnknownKey = true,
            "wrong-audience" => (provider.Misbehave.Audience = "someone-else") is not null,
            "wrong-issuer" => (provider.Misbehave.Issuer = "https://evil.example.com") is not null,
            "expired" => provider.Misbehave.Expired = true,
            "wrong-nonce" => (provider.Misbehave.Nonce = "another-nonce") is not null,
            "email-too-long" => (provider.Misbehave.Email = new string('a', 400) + "@example.com") is not null,
            _ => provider.Misbehave.EmailUnverified = true,
        };

        var error = await Assert.ThrowsAsync<ProblemException>(() => Callback_(code, state));

        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.Equal(ProblemCodes.SignInFailed, error.Code);
        Assert.False(await app.Run<CoursePlatformDbContext, bool>(db => db.Users.AnyAsync(u => u.Email == email)));
    }

    [Theory]
    [InlineData("https://evil.example.com/steal")]
    [InlineData("http://localhost:5174/")]
    [InlineData("javascript:alert(1)")]
    [InlineData("/relative")]
    [InlineData(null)]
    [InlineData("http://localhost:5173/signed-in?code=attackers-code")]
    [InlineData("http://localhost:5173/signed-in?x=1&CODE=2")]
    [InlineData("http://localhost:5173/" + "a", 2100)]
    public async Task Sign_in_returns_only_to_allowed_frontend_origins(string? redirect, int padTo = 0)
    {
        if (padTo > 0) redirect = redirect!.PadRight(padTo, 'a');
        var error = await Assert.ThrowsAsync<ProblemException>(() =>
            app.Run<GoogleSignInService, (Uri, GoogleSignInService.LoginCookie)>(g => g.StartAsync(redirect, null, Challenge, "203.0.113.9", null, default)));
        Assert.Equal(HttpStatusCode.BadRequest, error.Status);
        Assert.True(error.Errors!.ContainsKey("redirect"));
    }

    [Fact]
    public async Task The_provider_error_goes_back_to_the_frontend()
    {
        var authorize = await Start($"h-{Guid.NewGuid():N}@example.com");
        var state = System.Web.HttpUtility.ParseQueryString(authorize.Query)["state"];

        var frontend = await Callback_(null, state, "access_denied");

        Assert.Equal(Frontend + "/signed-in?error=access_denied&error_description=" + Uri.EscapeDataString("The identity provider refused the sign-in."), frontend.AbsoluteUri);
    }

    private Task<Uri> CallbackRedirect(string? code, string? state, string? binding = null) =>
        app.Run<GoogleSignInService, Uri>(g => g.CallbackRedirectAsync(code, state, null,
            binding ?? (state is not null && bindings.TryGetValue(state, out var b) ? b : null), "203.0.113.9", default));

    [Fact]
    public async Task A_failed_sign_in_goes_back_to_the_page_it_started_from_with_its_error()
    {
        var staff = await app.CreateUserAsync(UserRole.Admin, $"staff-{Guid.NewGuid():N}@example.com");
        var (code, state) = await Authorize(await Start(staff.Email, Frontend + "/app/?tab=signin"));

        var back = await CallbackRedirect(code, state);

        Assert.StartsWith(Frontend + "/app/?tab=signin&error=account_conflict&error_description=", back.ToString(), StringComparison.Ordinal);
        Assert.Contains("password", System.Web.HttpUtility.ParseQueryString(back.Query)["error_description"], StringComparison.Ordinal);
        // A foreign browser's callback (no binding) also goes back to the start's page: the state names it.
        var (code2, state2) = await Authorize(await Start($"m-{Guid.NewGuid():N}@example.com"));
        Assert.StartsWith(Frontend + "/signed-in?error=sign_in_state_invalid&error_description=",
            (await CallbackRedirect(code2, state2, binding: "")).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_callback_of_an_unknown_start_goes_to_the_default_frontend_url()
    {
        var back = await CallbackRedirect("some-code", "forged-state", binding: "");

        Assert.StartsWith(Frontend + "/?error=sign_in_state_invalid&error_description=", back.ToString(), StringComparison.Ordinal);
        using var configured = new TestApp(database, new Dictionary<string, string?>
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["Google:Authority"] = provider.Issuer,
            ["Google:ClientId"] = "test-client",
            ["Google:ClientSecret"] = "test-secret",
            ["Google:CallbackUrl"] = Callback,
            ["Google:AllowedRedirectOrigins"] = Frontend,
            ["Google:DefaultFrontendUrl"] = Frontend + "/welcome",
        });
        var fallback = await configured.Run<GoogleSignInService, Uri>(g => g.CallbackRedirectAsync(null, null, null, null, null, default));
        Assert.StartsWith(Frontend + "/welcome?error=sign_in_state_invalid&", fallback.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_identity_provider_is_503_identity_provider_unavailable()
    {
        using var other = new TestApp(database, new Dictionary<string, string?>
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
            ["Google:Authority"] = $"http://127.0.0.1:{LocalServices.ClosedPort}",
            ["Google:ClientId"] = "c",
            ["Google:ClientSecret"] = "s",
            ["Google:CallbackUrl"] = Callback,
            ["Google:AllowedRedirectOrigins"] = Frontend,
        });
        var error = await Assert.ThrowsAsync<ProblemException>(() => other.Run<GoogleSignInService, (Uri, GoogleSignInService.LoginCookie)>(
            g => g.StartAsync(Frontend + "/", null, Challenge, "203.0.113.77", null, default)));
        Assert.Equal(ProblemCodes.IdentityProviderUnavailable, error.Code);
        Assert.True(error.Headers.ContainsKey("Retry-After"));
    }

    [Theory]
    [InlineData("Production", false)]
    [InlineData("Development", true)]
    public void A_loopback_authority_is_accepted_in_development_only(string environment, bool valid)
    {
        using var other = new TestApp(database, new Dictionary<string, string?>
        {
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = environment,
            ["Google:Authority"] = "http://127.0.0.1:7072",
            ["Google:ClientId"] = "c",
            ["Google:ClientSecret"] = "s",
            ["Google:CallbackUrl"] = Callback,
            ["Google:AllowedRedirectOrigins"] = Frontend,
        });
        var read = () => other.Get<IOptions<GoogleOptions>>().Value;
        if (valid) Assert.NotNull(read());
        else Assert.Contains("loopback", Assert.Throws<OptionsValidationException>(read).Message, StringComparison.Ordinal);
    }
}
