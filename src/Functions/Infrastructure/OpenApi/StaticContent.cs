using System.Net;
using System.Security.Cryptography;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Infrastructure.OpenApi;

/// <summary>Bytes that only change with a deployment (the OpenAPI document, the docs page), served with a strong ETag.</summary>
public sealed class StaticContent(byte[] bytes, string contentType)
{
    public byte[] Bytes { get; } = bytes;
    public string ContentType { get; } = contentType;
    public string ETag { get; } = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes))[..32]}\"";

    /// <summary>200 with the bytes, or 304 when <c>If-None-Match</c> names the ETag; clients revalidate after five minutes.</summary>
    public async Task<HttpResponseData> ServeAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var notModified = request.Headers.TryGetValues("If-None-Match", out var values)
            && values.SelectMany(v => v.Split(',')).Select(v => v.Trim()).Any(v => v == "*" || v == ETag || v == "W/" + ETag);
        var response = request.CreateResponse(notModified ? HttpStatusCode.NotModified : HttpStatusCode.OK);
        response.Headers.Add("ETag", ETag);
        response.Headers.Add("Cache-Control", "public, max-age=300");
        if (!notModified)
        {
            response.Headers.Add("Content-Type", ContentType);
            await response.Body.WriteAsync(Bytes, cancellationToken);
        }
        return response;
    }
}
