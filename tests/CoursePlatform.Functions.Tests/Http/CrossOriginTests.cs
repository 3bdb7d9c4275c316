using System.Net;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Http;

/// <summary>The app behind the host's CORS for one frontend origin, as <c>./run.sh</c> serves it (and Azure's allowedOrigins).</summary>
public sealed class FrontendOriginApp : HostedApp
{
    public const string Frontend = "http://localhost:5173";

    protected override object? HostSection() => new { CORS = Frontend, CORSCredentials = true };
}

public sealed class CrossOriginTests(FrontendOriginApp app) : IClassFixture<FrontendOriginApp>
{
    [Theory]
    [InlineData("GET", "courses")]               // ETag
    [InlineData("GET", "users/me")]              // 401 with WWW-Authenticate
    [InlineData("PATCH", "courses")]             // 405 with Allow
    [InlineData("GET", "no/such/route")]         // 404 problem
    public async Task A_frontend_origin_may_read_the_headers_the_api_relies_on(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Add("Origin", FrontendOriginApp.Frontend);
        using var response = await app.Api.SendAsync(request);

        Assert.Equal([FrontendOriginApp.Frontend], response.Headers.GetValues("Access-Control-Allow-Origin"));
        var exposed = string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")).Split(',').Select(h => h.Trim()).ToList();
        Assert.Superset(new HashSet<string>(["ETag", "Location", "Retry-After", "WWW-Authenticate", "Allow"], StringComparer.OrdinalIgnoreCase),
            new HashSet<string>(exposed, StringComparer.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_preflight_from_the_frontend_is_answered_by_the_host()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "cart/lines");
        request.Headers.Add("Origin", FrontendOriginApp.Frontend);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        using var response = await app.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal([FrontendOriginApp.Frontend], response.Headers.GetValues("Access-Control-Allow-Origin"));
        // As the real host (JobHostCorsMiddleware over ASP.NET Core's CorsMiddleware, a policy without PreflightMaxAge):
        // the preflight never reaches the worker (whose middleware sets nosniff on every response it writes), so nothing
        // can give it an Access-Control-Max-Age. README "Preflights are not cached, by decision".
        Assert.False(response.Headers.Contains("Access-Control-Max-Age"));
        Assert.False(response.Headers.Contains("X-Content-Type-Options"));
        Assert.Equal("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")));
    }
}
