using System.Collections.Concurrent;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CoursePlatform.Testing;

/// <summary>
/// A stand-in for Application Insights' ingestion endpoint on loopback (Azure Monitor cannot be reached from here): it
/// takes the track calls the Azure Monitor exporter makes (<c>POST /v2.1/track</c>, gzip, one JSON envelope per line)
/// and answers as the service does, so the real exporter runs unchanged against <see cref="ConnectionString"/>.
/// </summary>
public sealed class ApplicationInsightsStandIn : IAsyncDisposable
{
    private readonly WebApplication app;

    private ApplicationInsightsStandIn()
    {
        app = LoopbackServer.Create();
        app.MapPost("/v2.1/track", TrackAsync);
        app.MapPost("/v2/track", TrackAsync);
    }

    public string ConnectionString { get; private set; } = "";

    /// <summary>Every envelope received: <c>name</c> (e.g. <c>Microsoft.ApplicationInsights.RemoteDependency</c>), <c>tags</c>, <c>data</c>.</summary>
    public ConcurrentQueue<JsonObject> Envelopes { get; } = new();

    public static async Task<ApplicationInsightsStandIn> StartAsync()
    {
        var standIn = new ApplicationInsightsStandIn();
        await standIn.app.StartAsync();
        standIn.ConnectionString = $"InstrumentationKey={Guid.NewGuid()};IngestionEndpoint={standIn.app.Urls.First().TrimEnd('/')}/";
        return standIn;
    }

    /// <summary>The envelopes of one operation (trace), by the <c>ai.operation.id</c> tag.</summary>
    public IReadOnlyList<JsonObject> Operation(string operationId) =>
        [.. Envelopes.Where(e => (string?)e["tags"]?["ai.operation.id"] == operationId)];

    private async Task<IResult> TrackAsync(HttpRequest request)
    {
        Stream body = request.Headers.ContentEncoding.ToString().Contains("gzip", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(request.Body, CompressionMode.Decompress)
            : request.Body;
        using var reader = new StreamReader(body);
        var count = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0) continue;
            foreach (var node in line.TrimStart().StartsWith('[') ? JsonNode.Parse(line)!.AsArray() : [JsonNode.Parse(line)])
            {
                Envelopes.Enqueue(node!.AsObject());
                count++;
            }
        }
        return Results.Json(new { itemsReceived = count, itemsAccepted = count, errors = Array.Empty<object>() });
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
