using CoursePlatform.Functions.Infrastructure.Problems;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoursePlatform.Functions.Tests.Http;

/// <summary>Every error path of the plumbing, over HTTP through the real app: status, content type and body fields.</summary>
public sealed class ProblemDetailsTests(HostedApp app) : IClassFixture<HostedApp>
{
    private HttpClient Api => app.Api;

    private static HttpRequestMessage Request(HttpMethod method, string path, string? token = null, string? json = null, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, contentType);
        return request;
    }

    /// <summary>Sends, and checks the RFC 9457 shape; returns the body and the response for more checks.</summary>
    private async Task<(JsonElement Body, HttpResponseMessage Response)> Problem(HttpRequestMessage request, HttpStatusCode status, ProblemCode? code = null)
    {
        using (request)
        {
            var response = await Api.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}\n{app.Host.Output}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = JsonDocument.Parse(text).RootElement.Clone();
            Assert.Equal((int)status, body.GetProperty("status").GetInt32());
            Assert.False(string.IsNullOrEmpty(body.GetProperty("type").GetString()));
            Assert.False(string.IsNullOrEmpty(body.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
            Assert.Matches("^[0-9a-f]{32}$", body.GetProperty("traceId").GetString());
            var actual = body.GetProperty("code").GetString();
            var listed = Assert.Single(ProblemCodes.All, c => c.Code == actual);
            Assert.Equal(listed.Type, body.GetProperty("type").GetString());
            Assert.Equal(status, listed.Status);
            if (code is not null) Assert.Equal(code.Code, actual);
            return (body, response);
        }
    }

    [Fact]
    public async Task Invalid_fields_are_400_with_an_errors_map()
    {
        var (body, _) = await Problem(Request(HttpMethod.Post, "auth/login", json: """{"email":"nope"}"""), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        var errors = body.GetProperty("errors");
        Assert.True(errors.TryGetProperty("email", out _));
        Assert.True(errors.TryGetProperty("password", out var password));
        // Messages name the JSON field, as the keys do, never the C# member ("Password").
        Assert.Equal("The password field is required.", password[0].GetString());
    }

    [Fact]
    public async Task Json_that_does_not_parse_is_reported_under_the_key_body()
    {
        var (body, _) = await Problem(Request(HttpMethod.Post, "auth/login", json: "not json at all"), HttpStatusCode.BadRequest, ProblemCodes.ValidationFailed);
        Assert.Equal(["body"], body.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Theory]
    [InlineData("{\"email\":")]
    [InlineData("[1,2,3]")]
    [InlineData("{\"email\": 42, \"password\": \"x\"}")]
    public async Task Malformed_json_is_400(string json)
    {
        var (body, _) = await Problem(Request(HttpMethod.Post, "auth/login", json: json), HttpStatusCode.BadRequest);
        Assert.True(body.TryGetProperty("errors", out _) || body.GetProperty("title").GetString() == "Bad request");
    }

    [Fact]
    public async Task An_unknown_enum_label_is_400_naming_the_field()
    {
        var (_, token) = await app.SignInAsync();
        var (body, _) = await Problem(Request(HttpMethod.Put, "courses/any-course/study-persona", token, """{"persona":"pirate"}"""), HttpStatusCode.BadRequest);
        Assert.True(body.GetProperty("errors").TryGetProperty("persona", out _));
    }

    [Fact]
    public async Task A_wrong_content_type_is_415()
    {
        await Problem(Request(HttpMethod.Post, "auth/login", json: "email=a", contentType: "application/x-www-form-urlencoded"), HttpStatusCode.UnsupportedMediaType, ProblemCodes.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_null_body_is_400_bad_request()
    {
        await Problem(Request(HttpMethod.Post, "auth/login", json: "null"), HttpStatusCode.BadRequest, ProblemCodes.BadRequest);
    }

    [Fact]
    public async Task A_route_that_does_not_answer_the_method_is_405_with_allow()
    {
        var (_, response) = await Problem(Request(HttpMethod.Delete, "courses"), HttpStatusCode.MethodNotAllowed, ProblemCodes.MethodNotAllowed);
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task An_oversized_body_is_413()
    {
        var huge = "{\"email\":\"" + new string('a', 1_100_000) + "@example.com\",\"password\":\"x\"}";
        await Problem(Request(HttpMethod.Post, "auth/login", json: huge), HttpStatusCode.RequestEntityTooLarge, ProblemCodes.PayloadTooLarge);
    }

    [Fact]
    public async Task Anonymous_is_401_with_a_bearer_challenge()
    {
        var (_, response) = await Problem(Request(HttpMethod.Get, "users/me"), HttpStatusCode.Unauthorized, ProblemCodes.Unauthorized);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    public static TheoryData<string> BadTokens() => ["tampered", "expired", "wrong-key", "alg-none", "not-a-jwt", "revoked-session"];

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_token_that_is_not_valid_is_401_invalid_token(string flaw)
    {
        var (user, token) = await app.SignInAsync();
        var parts = token.Split('.');
        var bad = flaw switch
        {
            "tampered" => $"{parts[0]}.{parts[1][..^3]}AAA.{parts[2]}",
            "expired" => HostedSignIn.Tokens(new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-1))).Issue(user.Id, Guid.NewGuid(), UserRole.Admin),
            "wrong-key" => new AccessTokens(Options.Create(new AuthOptions { SigningKey = Convert.ToBase64String(new byte[40]) }), TimeProvider.System)
                .Issue(user.Id, Guid.NewGuid(), UserRole.Admin),
            "alg-none" => Base64Url("""{"alg":"none","typ":"JWT"}""") + "." + parts[1] + ".",
            "not-a-jwt" => "abc",
            _ => HostedSignIn.Tokens().Issue(user.Id, Guid.NewGuid(), UserRole.Learner), // a well-signed token of a session that does not exist
        };

        var (_, response) = await Problem(Request(HttpMethod.Get, "users/me", bad), HttpStatusCode.Unauthorized, ProblemCodes.InvalidToken);
        Assert.Contains("invalid_token", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_logout_refuses_the_sessions_access_token_on_the_very_next_request()
    {
        var (_, token) = await app.SignInAsync();
        using (var me = await Api.SendAsync(Request(HttpMethod.Get, "users/me", token))) Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        using (var logout = await Api.SendAsync(Request(HttpMethod.Post, "auth/logout", token))) Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);

        // The token itself is still well signed and unexpired: only the per-request session check can refuse it.
        await Problem(Request(HttpMethod.Get, "users/me", token), HttpStatusCode.Unauthorized, ProblemCodes.InvalidToken);
    }

    [Fact]
    public async Task A_learner_on_an_admin_route_is_403()
    {
        var (_, token) = await app.SignInAsync();
        await Problem(Request(HttpMethod.Get, "manage/courses/any-course/ingestions", token), HttpStatusCode.Forbidden, ProblemCodes.Forbidden);
    }

    [Fact]
    public async Task An_unknown_course_is_404()
    {
        await Problem(Request(HttpMethod.Get, "courses/no-such-course"), HttpStatusCode.NotFound, ProblemCodes.NotFound);
    }

    [Fact]
    public async Task A_duplicate_cohort_name_is_409()
    {
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        var now = DateTimeOffset.UtcNow;
        var course = Build.Course(now, name: "PD", mode: EnrollmentMode.Cohort);
        await using (var db = app.Database.CreateContext())
        {
            db.Courses.Add(course);
            await db.SaveChangesAsync();
        }
        using (var first = await Api.SendAsync(Request(HttpMethod.Post, $"manage/courses/{course.Slug}/cohorts", admin, """{"name":"Spring","isActive":true}""")))
            Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        await Problem(Request(HttpMethod.Post, $"manage/courses/{course.Slug}/cohorts", admin, """{"name":"Spring","isActive":true}"""), HttpStatusCode.Conflict, ProblemCodes.CohortNameTaken);
    }

    [Fact]
    public async Task Too_many_failed_logins_are_429_with_retry_after()
    {
        // Deterministic on the real clock: the limit is a sliding window, so five failures still weigh more than
        // four on the sixth attempt even if a bucket boundary falls between them (unless they span 3 of the 15 minutes).
        var email = $"nobody-{Guid.NewGuid():N}@example.com";
        for (var i = 0; i < 5; i++)
            await Problem(Request(HttpMethod.Post, "auth/login", json: $$"""{"email":"{{email}}","password":"wrong"}"""), HttpStatusCode.Unauthorized, ProblemCodes.InvalidCredentials);

        var (_, response) = await Problem(Request(HttpMethod.Post, "auth/login", json: $$"""{"email":"{{email}}","password":"wrong"}"""), HttpStatusCode.TooManyRequests, ProblemCodes.RateLimited);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
    }

    private static string Base64Url(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>The app with a database that does not answer.</summary>
public sealed class UnreachableDatabaseApp : HostedApp
{
    protected override IDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["Database__ConnectionString"] = $"Host=127.0.0.1;Port={LocalServices.ClosedPort};Username=postgres;Password=x;Timeout=3",
    };
}

/// <summary>The app pointed at a database that does not exist: a failure no code path expects.</summary>
public sealed class MissingDatabaseApp : HostedApp
{
    protected override IDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["Database__ConnectionString"] = LocalServices.PostgresDatabase("cp_no_such_database"),
    };
}

public sealed class UnreachableDatabaseTests(UnreachableDatabaseApp app) : IClassFixture<UnreachableDatabaseApp>
{
    [Fact]
    public async Task An_unreachable_database_is_503_with_retry_after()
    {
        using var response = await app.Api.PostAsync("auth/login",
            new StringContent("""{"email":"a@example.com","password":"x"}""", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"{(int)response.StatusCode}: {text}\n{app.Host.Output}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(503, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
        Assert.Equal(ProblemCodes.DatabaseUnavailable.Code, JsonDocument.Parse(text).RootElement.GetProperty("code").GetString());
    }
}

public sealed class UnexpectedErrorTests(MissingDatabaseApp app) : IClassFixture<MissingDatabaseApp>
{
    [Fact]
    public async Task An_unexpected_failure_is_500_with_a_trace_id_and_nothing_internal()
    {
        using var response = await app.Api.PostAsync("auth/login",
            new StringContent("""{"email":"a@example.com","password":"x"}""", Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.InternalServerError, $"{(int)response.StatusCode}: {text}\n{app.Host.Output}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = JsonDocument.Parse(text).RootElement;
        Assert.False(string.IsNullOrEmpty(body.GetProperty("traceId").GetString()));
        Assert.Equal(ProblemCodes.InternalError.Code, body.GetProperty("code").GetString());
        Assert.Equal(ProblemCodes.InternalError.Type, body.GetProperty("type").GetString());
        foreach (var leak in new[] { "Npgsql", "3D000", "cp_no_such_database", " at ", "Exception", "SELECT" })
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
    }
}
