using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>
/// The ways a function answers. The OpenAPI document reads which of these a function calls (and with which
/// body type) to list its responses (Infrastructure/OpenApi/README.md): one helper per status.
/// </summary>
public static class HttpResponses
{
    /// <summary>Writes <paramref name="body"/> with the API's JSON options.</summary>
    public static async Task<HttpResponseData> JsonAsync<T>(this HttpRequestData request, HttpStatusCode status, T body,
        string contentType = "application/json; charset=utf-8", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", contentType);
        await JsonSerializer.SerializeAsync(response.Body, body, Json.Options, cancellationToken);
        return response;
    }

    /// <summary>200 with <paramref name="body"/>.</summary>
    public static Task<HttpResponseData> OkAsync<T>(this HttpRequestData request, T body, CancellationToken cancellationToken = default) =>
        request.JsonAsync(HttpStatusCode.OK, body, cancellationToken: cancellationToken);

    /// <summary>
    /// 201 with <paramref name="body"/> and <c>Location</c>: the created resource's URL, <paramref name="path"/>
    /// under the route prefix (<c>cohorts/{id}</c> becomes <c>/api/cohorts/{id}</c>).
    /// </summary>
    public static async Task<HttpResponseData> CreatedAsync<T>(this HttpRequestData request, T body, string path, CancellationToken cancellationToken = default)
    {
        var response = await request.JsonAsync(HttpStatusCode.Created, body, cancellationToken: cancellationToken);
        response.Headers.Add("Location", Location(path));
        return response;
    }

    /// <summary>
    /// 202 with <paramref name="body"/> (the work's status now) and <c>Location</c>: the URL to poll for its status,
    /// <paramref name="statusPath"/> under the route prefix. The work runs after the answer, not inside the call.
    /// </summary>
    public static async Task<HttpResponseData> AcceptedAsync<T>(this HttpRequestData request, T body, string statusPath, CancellationToken cancellationToken = default)
    {
        var response = await request.JsonAsync(HttpStatusCode.Accepted, body, cancellationToken: cancellationToken);
        response.Headers.Add("Location", Location(statusPath));
        return response;
    }

    /// <summary>201 with <c>Location</c> when <paramref name="created"/> (see <see cref="CreatedAsync"/>), else 200: an idempotent create.</summary>
    public static Task<HttpResponseData> CreatedOrOkAsync<T>(this HttpRequestData request, bool created, T body, string path, CancellationToken cancellationToken = default) =>
        created ? request.CreatedAsync(body, path, cancellationToken) : request.OkAsync(body, cancellationToken);

    /// <summary>204 with no body.</summary>
    public static HttpResponseData NoContent(this HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.CreateResponse(HttpStatusCode.NoContent);
    }

    /// <summary>200 JSON that is the caller's own data: no shared cache may keep it, and clients revalidate.</summary>
    public static async Task<HttpResponseData> PrivateJsonAsync<T>(this HttpRequestData request, T body, CancellationToken cancellationToken = default)
    {
        var response = await request.JsonAsync(HttpStatusCode.OK, body, cancellationToken: cancellationToken);
        response.Headers.Add("Cache-Control", "private, no-cache");
        return response;
    }

    /// <summary>
    /// The path-absolute URL of a route (<c>/api/</c> + the route, each segment escaped once), relative to the API's
    /// origin; a query (<c>?persona=…</c>) the caller escaped itself is kept as it is.
    /// </summary>
    public static string Location(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var split = path.IndexOf('?', StringComparison.Ordinal);
        var (route, query) = split < 0 ? (path, "") : (path[..split], path[split..]);
        return "/api/" + string.Join('/', route.Trim('/').Split('/').Select(Uri.EscapeDataString)) + query;
    }
}
