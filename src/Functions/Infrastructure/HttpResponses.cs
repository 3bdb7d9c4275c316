using System.Net;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Infrastructure;

public static class HttpResponses
{
    /// <summary>Writes <paramref name="body"/> with the API's JSON options.</summary>
    public static async Task<HttpResponseData> JsonAsync<T>(this HttpRequestData request, HttpStatusCode status, T body,
        string contentType = "application/json; charset=utf-8", CancellationToken cancellationToken = default)
    {
        var response = request.CreateResponse(status);
        response.Headers.Add("Content-Type", contentType);
        await JsonSerializer.SerializeAsync(response.Body, body, Json.Options, cancellationToken);
        return response;
    }

    /// <summary>200 JSON that is the caller's own data: no shared cache may keep it, and clients revalidate.</summary>
    public static async Task<HttpResponseData> PrivateJsonAsync<T>(this HttpRequestData request, T body, CancellationToken cancellationToken = default)
    {
        var response = await request.JsonAsync(HttpStatusCode.OK, body, cancellationToken: cancellationToken);
        response.Headers.Add("Cache-Control", "private, no-cache");
        return response;
    }
}
