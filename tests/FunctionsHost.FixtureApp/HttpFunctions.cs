using System.Net;
using System.Security.Cryptography;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace FunctionsHost.FixtureApp;

public static class HttpFunctions
{
    /// <summary>Echoes what arrived: method, route value, query, x-fixture-* headers, cookies, body (size and hash).</summary>
    [Function("Echo")]
    public static async Task<HttpResponseData> Echo(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", Route = "echo/{id:guid}")] HttpRequestData request,
        Guid id)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();

        var status = request.Query["status"] is { } wanted ? (HttpStatusCode)int.Parse(wanted, System.Globalization.CultureInfo.InvariantCulture) : HttpStatusCode.OK;
        var response = request.CreateResponse(status);
        response.Headers.Add("X-Echo-Id", id.ToString());
        response.Headers.Add("X-Echo-Method", request.Method);
        response.Headers.Add("X-Echo-Query", request.Url.Query);
        if (request.Headers.TryGetValues("X-Forwarded-For", out var forwarded)) response.Headers.Add("X-Echo-Forwarded-For", string.Join(",", forwarded));
        response.Headers.Add("X-Echo-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        response.Headers.Add("X-Echo-Sha256", Convert.ToHexString(SHA256.HashData(body)));
        foreach (var header in request.Headers.Where(h => h.Key.StartsWith("x-fixture-", StringComparison.OrdinalIgnoreCase)))
        {
            response.Headers.Add("X-Echoed-" + header.Key["x-fixture-".Length..], string.Join(",", header.Value));
        }
        response.Headers.Add("X-Echo-Cookies", string.Join(";", request.Cookies.Select(c => $"{c.Name}={c.Value}")));
        response.Cookies.Append(new HttpCookie("fixture", "baked") { Path = "/api", HttpOnly = true });
        response.Headers.Add("Content-Type", request.Headers.TryGetValues("Content-Type", out var type) ? type.First() : "application/octet-stream");
        await response.Body.WriteAsync(body);
        return response;
    }

    /// <summary>Needs a function key: the host must refuse calls without one.</summary>
    [Function("Secure")]
    public static HttpResponseData Secure([HttpTrigger(AuthorizationLevel.Function, "get", Route = "secure/ping")] HttpRequestData request)
    {
        var response = request.CreateResponse(HttpStatusCode.OK);
        response.WriteString("pong");
        return response;
    }

    /// <summary>
    /// Deliberately in error: Azure reserves routes starting with "admin" or "runtime" (a raw prefix test, so
    /// "administrator" too). The host must log it, not serve it, and stop when told to fail on functions in error.
    /// </summary>
    [Function("AdministratorPing")]
    public static HttpResponseData AdministratorPing([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "administrator/ping")] HttpRequestData request)
        => request.CreateResponse(HttpStatusCode.OK);

    [Function("Boom")]
    public static HttpResponseData Boom([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "boom")] HttpRequestData request)
        => throw new InvalidOperationException("Boom: this function always fails.");
}
