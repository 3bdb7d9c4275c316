using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Infrastructure.Http;

public static class ETags
{
    /// <summary>
    /// Serializes <paramref name="body"/>, tags it with a strong ETag of its bytes, and answers 304 with
    /// no body when the client's <c>If-None-Match</c> already names it.
    /// </summary>
    public static async Task<HttpResponseData> JsonWithETagAsync<T>(
        this HttpRequestData request, T body, string cacheControl, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(body, Json.Options);
        var etag = $"\"{Convert.ToBase64String(SHA256.HashData(bytes), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_')}\"";

        var notModified = request.Headers.TryGetValues("If-None-Match", out var values)
            && values.SelectMany(v => v.Split(',')).Select(v => v.Trim()).Any(v => v == "*" || v == etag || v == "W/" + etag);
        var response = request.CreateResponse(notModified ? HttpStatusCode.NotModified : HttpStatusCode.OK);
        response.Headers.Add("ETag", etag);
        response.Headers.Add("Cache-Control", cacheControl);
        // Personal fields depend on the token, so shared caches must keep variants apart.
        response.Headers.Add("Vary", "Authorization");
        if (!notModified)
        {
            response.Headers.Add("Content-Type", "application/json; charset=utf-8");
            await response.Body.WriteAsync(bytes, cancellationToken);
        }
        return response;
    }
}
