using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using CoursePlatform.FunctionsHost.Tests.Infrastructure;
using CoursePlatform.Testing;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>HTTP triggers of the fixture app: routes, constraints, methods, keys, and request/response mapping.</summary>
public sealed class HttpTriggerTests : IAsyncLifetime
{
    private const int BodyLimit = 2 * 1024 * 1024;
    private readonly FixtureSettings fixture = new();
    private HostProcess host = null!;

    public async Task InitializeAsync()
    {
        var settings = fixture.Values();
        settings["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"] = BodyLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        host = FixtureHost.Start(settings, hostSection: new { CORS = "http://localhost:5173" });
        await host.WaitUntilRunningAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await fixture.DeleteContainersAsync();
    }

    [Fact]
    public async Task Route_constraint_matches_a_guid_and_binds_it()
    {
        var id = Guid.NewGuid();
        using var response = await host.Client.GetAsync($"api/echo/{id}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(id.ToString(), Header(response, "X-Echo-Id"));
        Assert.Equal("GET", Header(response, "X-Echo-Method"));
    }

    [Fact]
    public async Task Route_constraint_rejects_a_value_that_is_not_a_guid()
    {
        using var response = await host.Client.GetAsync("api/echo/not-a-guid");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Unknown_route_is_404_and_wrong_method_is_405()
    {
        using var unknown = await host.Client.GetAsync("api/nothing/here");
        using var wrongMethod = await host.Client.DeleteAsync($"api/echo/{Guid.NewGuid()}");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
    }

    [Fact]
    public async Task Status_headers_query_cookies_and_body_round_trip()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"api/echo/{Guid.NewGuid()}?status=201&tag=a%20b")
        {
            Content = new StringContent("{\"hello\":\"world\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-fixture-color", "blue");
        request.Headers.Add("Cookie", "session=abc123");

        using var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("PUT", Header(response, "X-Echo-Method"));
        Assert.Equal("blue", Header(response, "X-Echoed-color"));
        Assert.Equal("?status=201&tag=a%20b", Header(response, "X-Echo-Query"));
        Assert.Equal("session=abc123", Header(response, "X-Echo-Cookies"));
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"));
        Assert.Contains("fixture=baked", cookie, StringComparison.Ordinal);
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("{\"hello\":\"world\"}", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task One_megabyte_body_arrives_whole_and_comes_back_whole()
    {
        var body = RandomNumberGenerator.GetBytes(1024 * 1024);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");

        using var response = await host.Client.PostAsync($"api/echo/{Guid.NewGuid()}", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1048576", Header(response, "X-Echo-Length"));
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), Header(response, "X-Echo-Sha256"));
        Assert.Equal(body, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_body_over_the_hosts_limit_is_refused_with_413_before_the_worker_sees_it()
    {
        // As the real host applies FUNCTIONS_REQUEST_BODY_SIZE_LIMIT; with no Content-Length (chunked) too.
        using var declared = new ByteArrayContent(new byte[BodyLimit + 1]);
        using var tooLarge = await host.Client.PostAsync($"api/echo/{Guid.NewGuid()}", declared);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);

        using var chunked = new StreamContent(new MemoryStream(new byte[BodyLimit + 1]));
        using var request = new HttpRequestMessage(HttpMethod.Post, $"api/echo/{Guid.NewGuid()}") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var streamed = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, streamed.StatusCode);
    }

    [Fact]
    public async Task A_nul_in_the_path_is_answered_with_problem_json_and_the_connection_keeps_working()
    {
        // Before: Kestrel refused %00 while decoding the path with a bare 400 no middleware saw.
        using var nul = await host.Client.GetAsync("api/echo/a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, nul.StatusCode);
        Assert.Equal("application/problem+json", nul.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"code\":\"bad_request\"", await nul.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // A NUL in the query is the app's to answer: it arrives as it was sent.
        using var query = await host.Client.GetAsync($"api/echo/{Guid.NewGuid()}?q=a%00b");
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        Assert.Equal("?q=a%00b", query.Headers.GetValues("X-Echo-Query").Single());
        // A body that says %00 is left alone, and the next request on the connection is served.
        const string sent = "keep %00 as it is\r\nand here %00 too";
        using var body = await host.Client.PostAsync($"api/echo/{Guid.NewGuid()}", new StringContent(sent));
        Assert.Equal(HttpStatusCode.OK, body.StatusCode);
        Assert.Equal(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(sent))), body.Headers.GetValues("X-Echo-Sha256").Single());
    }

    [Fact]
    public async Task Function_auth_level_needs_the_configured_key()
    {
        using var noKey = await host.Client.GetAsync("api/secure/ping");
        using var wrongKey = await host.Client.GetAsync("api/secure/ping?code=wrong");
        using var queryKey = await host.Client.GetAsync("api/secure/ping?code=fixture-function-key");
        using var headerRequest = new HttpRequestMessage(HttpMethod.Get, "api/secure/ping");
        headerRequest.Headers.Add("x-functions-key", "fixture-function-key");
        using var headerKey = await host.Client.SendAsync(headerRequest);

        Assert.Equal(HttpStatusCode.Unauthorized, noKey.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, queryKey.StatusCode);
        Assert.Equal(HttpStatusCode.OK, headerKey.StatusCode);
        Assert.Equal("pong", await headerKey.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_function_that_throws_answers_500()
    {
        using var response = await host.Client.GetAsync("api/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Fact]
    public async Task Cors_origins_from_the_settings_host_section_are_allowed()
    {
        using var preflight = new HttpRequestMessage(HttpMethod.Options, $"api/echo/{Guid.NewGuid()}");
        preflight.Headers.Add("Origin", "http://localhost:5173");
        preflight.Headers.Add("Access-Control-Request-Method", "PUT");
        using var allowed = await host.Client.SendAsync(preflight);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/echo/{Guid.NewGuid()}");
        request.Headers.Add("Origin", "http://evil.example");
        using var other = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, allowed.StatusCode);
        Assert.Equal("http://localhost:5173", Header(allowed, "Access-Control-Allow-Origin"));
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
        // The answer depends on the Origin, allowed or not, so shared caches must key on it (once).
        Assert.Equal(["Origin"], other.Headers.Vary);
        Assert.Contains("Origin", allowed.Headers.Vary);

        using var plain = await host.Client.GetAsync($"api/echo/{Guid.NewGuid()}");
        Assert.Equal(["Origin"], plain.Headers.Vary);
    }

    [Fact]
    public async Task The_host_appends_the_connection_address_to_x_forwarded_for_as_a_front_end_does()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"api/echo/{Guid.NewGuid()}");
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", "203.0.113.9");
        request.Headers.TryAddWithoutValidation("X-Fixture-Probe", "1");
        using var spoofed = await host.Client.SendAsync(request);
        using var plain = await host.Client.GetAsync($"api/echo/{Guid.NewGuid()}");

        Assert.Matches(@"^203\.0\.113\.9, 127\.0\.0\.1:\d+$", Header(spoofed, "X-Echo-Forwarded-For"));
        Assert.Matches(@"^127\.0\.0\.1:\d+$", Header(plain, "X-Echo-Forwarded-For"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values)
        : response.Content.Headers.TryGetValues(name, out var contentValues) ? string.Join(",", contentValues)
        : throw new Xunit.Sdk.XunitException($"Response has no header {name}.");
}
