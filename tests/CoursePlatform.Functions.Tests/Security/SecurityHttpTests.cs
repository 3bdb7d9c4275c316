using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Security;

/// <summary>The security audit's findings, each replayed against the running app (local host, real worker).</summary>
public sealed class SecurityHttpTests(SecurityHostedApp app) : IClassFixture<SecurityHostedApp>
{
    private const string Password = "a staff password of some length";
    private const string Verifier = "a-frontend-code-verifier-of-at-least-43-characters";

    private async Task<User> StaffAsync(string email)
    {
        var user = Build.User(DateTimeOffset.UtcNow, UserRole.Admin, email);
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, Password);
        await using var db = app.Database.CreateContext();
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user;
    }

    private async Task<HttpResponseMessage> Login(string email, string password, string? forwardedFor = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "auth/login") { Content = JsonContent.Create(new { email, password }) };
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        return await app.Api.SendAsync(request);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task A_client_chosen_forwarded_for_neither_resets_the_address_limit_nor_reaches_the_session_log()
    {
        // Before: the first X-Forwarded-For entry was the address, so a new made-up one started a fresh count.
        for (var i = 0; i < StaffLoginService.MaxFailuresPerAddress; i++)
        {
            using var failed = await Login($"guess-{i}-{Guid.NewGuid():N}@example.com", "wrong", forwardedFor: $"203.0.113.{i}");
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }
        using (var spoofed = await Login($"next-{Guid.NewGuid():N}@example.com", "wrong", forwardedFor: "203.0.113.71"))
            Assert.Equal(HttpStatusCode.TooManyRequests, spoofed.StatusCode);

        // The limit is on this connection's address (the local host's trusted hop), so clear it for the next step.
        await using (var db = app.Database.CreateContext())
            await db.RateLimitCounters.Where(c => c.Key.StartsWith("login-ip:")).ExecuteDeleteAsync();

        var admin = await StaffAsync($"staff-{Guid.NewGuid():N}@example.com");
        using (var ok = await Login(admin.Email, Password, forwardedFor: "198.51.100.1, 10.0.0.1"))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        await using (var db = app.Database.CreateContext())
        {
            var session = await db.UserSessions.AsNoTracking().SingleAsync(s => s.UserId == admin.Id);
            Assert.Equal("127.0.0.1", session.IpAddress);
        }

        using var huge = await Login(admin.Email, "wrong", forwardedFor: new string('9', 8000));
        Assert.Equal(HttpStatusCode.Unauthorized, huge.StatusCode);
    }

    [Fact]
    public async Task Google_sign_in_is_bound_to_the_browser_that_started_it()
    {
        using var attacker = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = app.Api.BaseAddress };
        var email = $"mallory-{Guid.NewGuid():N}@example.com";
        using var start = await attacker.GetAsync($"auth/google/start?redirect={Uri.EscapeDataString(SecurityHostedApp.Frontend + "/signed-in")}&login_hint={email}&code_challenge={GoogleSignInService.Challenge(Verifier)}");
        Assert.Equal(HttpStatusCode.Found, start.StatusCode);
        var cookie = Assert.Single(start.Headers.GetValues("Set-Cookie"));
        Assert.StartsWith(GoogleSignInService.BindingCookie + "=", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("path=/api/auth/google", cookie, StringComparison.OrdinalIgnoreCase);

        using var atProvider = await attacker.GetAsync(start.Headers.Location);
        var callback = atProvider.Headers.Location!;
        Assert.StartsWith(SecurityHostedApp.Callback, callback.ToString(), StringComparison.Ordinal);
        var callbackPath = "auth/google/callback" + callback.Query;

        // The victim opens the attacker's approved callback: no binding cookie, so no code for the attacker's account.
        using (var victim = await attacker.GetAsync(callbackPath))
        {
            // Back to the frontend with the error (a browser never lands on a JSON page), no code.
            Assert.Equal(HttpStatusCode.Found, victim.StatusCode);
            var back = System.Web.HttpUtility.ParseQueryString(victim.Headers.Location!.Query);
            Assert.StartsWith(SecurityHostedApp.Frontend + "/signed-in?error=sign_in_state_invalid&", victim.Headers.Location!.ToString(), StringComparison.Ordinal);
            Assert.Contains("another browser", back["error_description"], StringComparison.Ordinal);
            Assert.Null(back["code"]);
        }

        // The browser that started it (its cookie) finishes it.
        using var own = new HttpRequestMessage(HttpMethod.Get, callbackPath);
        own.Headers.Add("Cookie", cookie.Split(';')[0]);
        using var finished = await attacker.SendAsync(own);
        Assert.Equal(HttpStatusCode.Found, finished.StatusCode);
        Assert.StartsWith(SecurityHostedApp.Frontend + "/signed-in?code=", finished.Headers.Location!.ToString(), StringComparison.Ordinal);

        // The code is only good with the frontend's verifier of the challenge the sign-in started with.
        var loginCode = System.Web.HttpUtility.ParseQueryString(finished.Headers.Location!.Query)["code"];
        using (var wrong = await attacker.PostAsJsonAsync("auth/exchange", new { code = loginCode, codeVerifier = new string('v', 43) }))
            await ProblemAsync(wrong, HttpStatusCode.Unauthorized);
        using var exchanged = await attacker.PostAsJsonAsync("auth/exchange", new { code = loginCode, codeVerifier = Verifier });
        Assert.Equal(HttpStatusCode.OK, exchanged.StatusCode);
    }

    [Fact]
    public async Task A_browser_hammering_google_sign_in_starts_is_refused_while_its_classmates_sign_in()
    {
        // Every request here comes from one address (the local host's), as a classroom behind one NAT does.
        using var prankster = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Api.BaseAddress };
        var startPath = $"auth/google/start?redirect={Uri.EscapeDataString(SecurityHostedApp.Frontend + "/")}&code_challenge={GoogleSignInService.Challenge(Verifier)}";
        for (var i = 0; i < GoogleSignInService.MaxPendingStartsPerBrowser; i++)
        {
            using var started = await prankster.GetAsync(startPath);
            Assert.Equal(HttpStatusCode.Found, started.StatusCode);
        }
        using (var refused = await prankster.GetAsync(startPath))
        {
            await ProblemAsync(refused, HttpStatusCode.TooManyRequests);
            Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        }

        // Before, the 31st start from the address locked everybody out for up to ten minutes.
        for (var i = 0; i < 40; i++)
        {
            using var signedIn = await GoogleSignInAsync($"pupil-{i}-{Guid.NewGuid():N}@example.com");
            Assert.Equal(HttpStatusCode.Found, signedIn.StatusCode);
            Assert.StartsWith(SecurityHostedApp.Frontend + "/?code=", signedIn.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_staff_account_is_not_taken_over_through_google_by_its_email()
    {
        var admin = await StaffAsync($"admin-{Guid.NewGuid():N}@example.com");
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Api.BaseAddress };
        using var start = await browser.GetAsync($"auth/google/start?redirect={Uri.EscapeDataString(SecurityHostedApp.Frontend + "/")}&login_hint={admin.Email}&code_challenge={GoogleSignInService.Challenge(Verifier)}");
        using var atProvider = await browser.GetAsync(start.Headers.Location);
        using var callback = await browser.GetAsync("auth/google/callback" + atProvider.Headers.Location!.Query);
        Assert.Equal(HttpStatusCode.Found, callback.StatusCode);
        Assert.StartsWith(SecurityHostedApp.Frontend + "/?error=account_conflict&error_description=", callback.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Two_tabs_refreshing_at_once_stay_signed_in_and_a_late_reuse_still_revokes_the_session()
    {
        var admin = await StaffAsync($"tabs-{Guid.NewGuid():N}@example.com");
        using var login = await Login(admin.Email, Password);
        var refresh = JsonDocument.Parse(await login.Content.ReadAsStringAsync()).RootElement.GetProperty("refreshToken").GetString();

        var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => app.Api.PostAsJsonAsync("auth/refresh", new { refreshToken = refresh })));
        // A third presentation within the grace mints nothing (one replacement per rotated token) and revokes nothing.
        using (var third = await app.Api.PostAsJsonAsync("auth/refresh", new { refreshToken = refresh }))
            await ProblemAsync(third, HttpStatusCode.Unauthorized);

        var bodies = new List<JsonElement>();
        foreach (var response in responses)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {text}");
            bodies.Add(JsonDocument.Parse(text).RootElement.Clone());
            response.Dispose();
        }
        foreach (var body in bodies)
        {
            using var me = new HttpRequestMessage(HttpMethod.Get, "users/me");
            me.Headers.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
            using var answer = await app.Api.SendAsync(me);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        // Later than the grace: the token's rotation is moved back beyond it (no waiting on a wall clock).
        var hash = SessionService.Hash(refresh!);
        await using (var db = app.Database.CreateContext())
            Assert.Equal(1, await db.UserSessions.Where(s => s.RefreshTokenHash == hash)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.RotatedAt, x => x.RotatedAt - TimeSpan.FromSeconds(SecurityHostedApp.RefreshGraceSeconds + 1))));
        using var late = await app.Api.PostAsJsonAsync("auth/refresh", new { refreshToken = refresh });
        await ProblemAsync(late, HttpStatusCode.Unauthorized);
        using var after = await app.Api.PostAsJsonAsync("auth/refresh", new { refreshToken = bodies[0].GetProperty("refreshToken").GetString() });
        await ProblemAsync(after, HttpStatusCode.Unauthorized); // the whole family went with it
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? bearer = null, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await app.Api.SendAsync(request);
    }

    private static object Application(string email) => new
    {
        fullName = "Mallory Applicant", email, expertise = new[] { "Networking" }, motivation = "I would love to teach subnetting to everyone here.",
    };

    /// <summary>Submits a tutor application (signed in when <paramref name="bearer"/> is given) and returns its id.</summary>
    private async Task<Guid> ApplyAsync(string email, string? bearer = null)
    {
        await using (var db = app.Database.CreateContext())
            await db.RateLimitCounters.Where(c => c.Key.StartsWith("tutor-apply:")).ExecuteDeleteAsync();
        using var response = await Send(HttpMethod.Post, "tutor-applications", bearer, Application(email));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    private async Task<JsonElement> ReviewListEntryAsync(string admin, Guid applicationId)
    {
        using var response = await Send(HttpMethod.Get, "manage/tutor-applications?status=pending&pageSize=100", admin);
        var list = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return list.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetGuid() == applicationId);
    }

    /// <summary>The Google sign-in of <paramref name="email"/> at the stand-in, in one browser; its callback's response.</summary>
    private async Task<HttpResponseMessage> GoogleSignInAsync(string email)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.Api.BaseAddress };
        using var start = await browser.GetAsync($"auth/google/start?redirect={Uri.EscapeDataString(SecurityHostedApp.Frontend + "/")}&login_hint={email}&code_challenge={GoogleSignInService.Challenge(Verifier)}");
        using var atProvider = await browser.GetAsync(start.Headers.Location);
        return await browser.GetAsync("auth/google/callback" + atProvider.Headers.Location!.Query);
    }

    [Fact]
    public async Task Approving_an_anonymous_application_never_hands_over_the_existing_account_of_its_email()
    {
        // Before: approval linked the account by email and answered with a password-setup token for it.
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        var learner = Build.User(DateTimeOffset.UtcNow, UserRole.Learner, $"victim-{Guid.NewGuid():N}@example.com"); // no password, no Google yet
        var owner = Build.User(DateTimeOffset.UtcNow, UserRole.Admin, $"owner-{Guid.NewGuid():N}@example.com"); // from grant-admin
        string ownersToken;
        await using (var db = app.Database.CreateContext())
        {
            db.Users.AddRange(learner, owner);
            await db.SaveChangesAsync();
            (ownersToken, _) = await PasswordSetupToken.IssueAsync(db, owner.Id, DateTimeOffset.UtcNow, default);
        }

        foreach (var (victim, code) in new[] { (learner, ProblemCodes.ApplicationOwnerUnproven), (owner, ProblemCodes.ApplicationAdminAccount) })
        {
            var applicationId = await ApplyAsync(victim.Email);
            var entry = await ReviewListEntryAsync(admin, applicationId);
            Assert.True(entry.GetProperty("existingAccount").GetBoolean());
            Assert.False(entry.GetProperty("submittedByAccount").GetBoolean());

            using var approval = await Send(HttpMethod.Post, $"manage/tutor-applications/{applicationId}/approve", admin);
            var problem = await ProblemAsync(approval, HttpStatusCode.Conflict);
            Assert.Equal(code.Code, problem.GetProperty("code").GetString());
            Assert.DoesNotContain("token", await approval.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        await using (var db = app.Database.CreateContext())
        {
            Assert.False(await db.PasswordSetupTokens.AnyAsync(t => t.UserId == learner.Id));
            Assert.Equal(1, await db.PasswordSetupTokens.CountAsync(t => t.UserId == owner.Id));
            Assert.False(await db.Tutors.AnyAsync(t => t.UserId == learner.Id || t.UserId == owner.Id));
            Assert.Equal([UserRole.Learner, UserRole.Admin], await db.Users.Where(u => u.Id == learner.Id || u.Id == owner.Id)
                .OrderBy(u => u.Id == owner.Id).Select(u => u.Role).ToListAsync());
            Assert.Equal(2, await db.TutorApplications.CountAsync(a => (a.Email == learner.Email || a.Email == owner.Email) && a.Status == TutorApplicationStatus.Pending));
        }

        // The owners still get in: the learner with Google (linked by email, as before), the admin with their own token.
        using (var google = await GoogleSignInAsync(learner.Email))
        {
            Assert.Equal(HttpStatusCode.Found, google.StatusCode);
            Assert.StartsWith(SecurityHostedApp.Frontend + "/?code=", google.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
        using var setup = await Send(HttpMethod.Post, "auth/password-setup", body: new { token = ownersToken, password = Password });
        Assert.Equal(HttpStatusCode.OK, setup.StatusCode);
        using var login = await Login(owner.Email, Password);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task A_learner_who_applies_signed_in_is_made_a_tutor_by_approval_with_no_setup_token()
    {
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        var (learner, bearer) = await app.SignInAsync(UserRole.Learner);

        // Signed in, one applies for one's own account only.
        using (var other = await Send(HttpMethod.Post, "tutor-applications", bearer, Application($"someone-{Guid.NewGuid():N}@example.com")))
        {
            var problem = await ProblemAsync(other, HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty("email", out _), problem.ToString());
        }
        var applicationId = await ApplyAsync(learner.Email.ToUpperInvariant(), bearer);
        var entry = await ReviewListEntryAsync(admin, applicationId);
        Assert.True(entry.GetProperty("existingAccount").GetBoolean());
        Assert.True(entry.GetProperty("submittedByAccount").GetBoolean());

        using var approval = await Send(HttpMethod.Post, $"manage/tutor-applications/{applicationId}/approve", admin);
        var body = JsonDocument.Parse(await approval.Content.ReadAsStringAsync()).RootElement;
        Assert.True(approval.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal(learner.Id, body.GetProperty("application").GetProperty("userId").GetGuid());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("passwordSetup").ValueKind);
        await using var db = app.Database.CreateContext();
        Assert.Equal(UserRole.Tutor, await db.Users.Where(u => u.Id == learner.Id).Select(u => u.Role).SingleAsync());
        Assert.True(await db.Tutors.AnyAsync(t => t.UserId == learner.Id));
        Assert.False(await db.PasswordSetupTokens.AnyAsync(t => t.UserId == learner.Id));
    }

    [Fact]
    public async Task Dot_segments_and_other_unsafe_paths_from_a_client_are_validation_problems_naming_the_field()
    {
        // Before: ?path=.. answered 500, and the storage SDK resolved it to the container or the course folder.
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        var course = Build.Course(DateTimeOffset.UtcNow, slug: $"paths-{Guid.NewGuid():N}"[..20]);
        await using (var db = app.Database.CreateContext())
        {
            db.Courses.Add(course);
            await db.SaveChangesAsync();
        }
        async Task<JsonElement> Send(HttpMethod method, string path, object? body = null)
        {
            using var request = new HttpRequestMessage(method, $"manage/courses/{course.Slug}/{path}") { Content = body is null ? null : JsonContent.Create(body) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
            using var response = await app.Api.SendAsync(request);
            return await ProblemAsync(response, HttpStatusCode.BadRequest);
        }

        string[] paths = ["..", ".", "%2E%2E", "..%2F..", "x%2F..%2Fdeck.vtt", "%2E%2Fdeck.vtt", "%2Fdeck.vtt", "a%2F%2Fdeck.vtt", "deck.vtt%2F", "..%5Cdeck.vtt", "deck%01.vtt", "deck%7F.vtt"];
        foreach (var path in paths)
        {
            Assert.Equal(["path"], (await Send(HttpMethod.Delete, $"sources?path={path}")).GetProperty("errors").EnumerateObject().Select(e => e.Name));
            Assert.Equal(["path"], (await Send(HttpMethod.Post, $"sources/reingest?path={path}")).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        }
        foreach (var fileName in new[] { "..", ".", "../deck.md", "notes/../deck.md", "..\\deck.md", "C:\\Users\\ana\\deck.md", "dir/deck.md", "deck\u0001.md", "deck.md\n" })
            Assert.Equal(["fileName"], (await Send(HttpMethod.Post, "uploads", new { fileName }))
                .GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Theory]
    [InlineData("GET", "courses")]
    [InlineData("GET", "health")]
    [InlineData("GET", "openapi.json")]
    [InlineData("GET", "docs")]
    [InlineData("GET", "no/such/route")]
    [InlineData("GET", "users/me")]
    [InlineData("POST", "auth/login")]
    [InlineData("PATCH", "cart")]
    public async Task Every_response_tells_browsers_not_to_sniff_its_type(string method, string path)
    {
        using var response = await app.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = method == "POST" ? JsonContent.Create(new { }) : null });
        Assert.Equal(["nosniff"], response.Headers.TryGetValues("X-Content-Type-Options", out var values) ? values : []);
    }

    [Theory]
    [InlineData("GET", "topics/not-a-guid/content", HttpStatusCode.NotFound, null)]
    [InlineData("PATCH", "cart", HttpStatusCode.MethodNotAllowed, "DELETE, GET")]
    [InlineData("GET", "no/such/route", HttpStatusCode.NotFound, null)]
    public async Task A_request_no_function_takes_is_answered_with_a_problem(string method, string path, HttpStatusCode status, string? allow)
    {
        using var response = await app.Api.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await ProblemAsync(response, status);
        if (allow is not null) Assert.Equal(allow, string.Join(", ", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("courses?q=%00")]
    [InlineData("courses?q=a%00b&page=1")]
    public async Task A_nul_in_a_query_is_400(string path)
    {
        using var response = await app.Api.GetAsync(path);
        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("""{"email":"a\u0000@example.com","password":"x"}""", "email")]
    [InlineData("""{"email":"a@example.com","password":1}""", "password")]
    public async Task Hostile_login_bodies_are_400(string json, string field)
    {
        using var response = await app.Api.PostAsync("auth/login", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }

    [Fact]
    public async Task A_redirect_longer_than_its_column_is_400()
    {
        var redirect = SecurityHostedApp.Frontend + "/" + new string('a', 3000);
        using var response = await app.Api.GetAsync($"auth/google/start?redirect={Uri.EscapeDataString(redirect)}");
        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("redirect", out _));
    }
}
