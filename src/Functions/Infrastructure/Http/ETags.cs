using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using CoursePlatform.Functions.Infrastructure.Problems;
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
        var etag = Tag(bytes);

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

    /// <summary>Tags a response to a change with the ETag of <paramref name="body"/>, its new state (the next <c>If-Match</c>).</summary>
    public static HttpResponseData WithETag<T>(this HttpResponseData response, T body)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.Add("ETag", Of(body));
        return response;
    }

    /// <summary>The ETag <see cref="JsonWithETagAsync"/> gives <paramref name="body"/>.</summary>
    public static string Of<T>(T body) => Tag(JsonSerializer.SerializeToUtf8Bytes(body, Json.Options));

    /// <summary>The request's <c>If-Match</c>, or null when it sent none.</summary>
    public static string? IfMatch(this HttpRequestData request) =>
        request.Headers.TryGetValues("If-Match", out var values) ? string.Join(',', values) : null;

    /// <summary>
    /// <c>If-Match</c> (RFC 9110, strong comparison): a change applies only to the representation the client read, so
    /// two editors cannot silently undo each other; 412 when it changed since. Without the header the change applies.
    /// Call it with the row locked, so no other change slips in between the check and the write. A
    /// <paramref name="current"/> of null (there is none now, not even for <c>*</c>) never matches.
    /// </summary>
    public static void RequireMatch<T>(string? ifMatch, T? current)
    {
        if (string.IsNullOrWhiteSpace(ifMatch)) return;
        if (current is null)
            throw ProblemException.For(ProblemCodes.PreconditionFailed, "There is none now (someone deleted it since you read it, or it was never made): read it again.");
        var etag = Of(current);
        if (ifMatch.Split(',').Select(v => v.Trim()).Any(v => v == "*" || v == etag)) return;
        throw ProblemException.For(ProblemCodes.PreconditionFailed,
            $"It changed since you read it (its ETag is now {etag}): read it again and apply your change to what is there now.");
    }

    private static string Tag(byte[] bytes) =>
        $"\"{Convert.ToBase64String(SHA256.HashData(bytes), 0, 16).TrimEnd('=').Replace('+', '-').Replace('/', '_')}\"";
}
