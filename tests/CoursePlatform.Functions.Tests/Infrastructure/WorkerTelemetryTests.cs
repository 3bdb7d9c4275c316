using System.Diagnostics;
using System.Net;
using System.Text.Json;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Infrastructure;

/// <summary>The app with telemetry on, its Azure Monitor exporter sending to a local Application Insights stand-in.</summary>
public sealed class TelemetryApp : HostedApp
{
    public ApplicationInsightsStandIn Ingestion { get; private set; } = null!;

    public override async Task InitializeAsync()
    {
        Ingestion = await ApplicationInsightsStandIn.StartAsync();
        await base.InitializeAsync();
        await WaitUntilHealthyAsync(); // the tests' traced health checks expect a 200, not a cold first storage probe
    }

    // Sampling keeps no successful trace of its own: what is exported is a sampled caller's trace or a failure.
    protected override IDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["APPLICATIONINSIGHTS_CONNECTION_STRING"] = Ingestion.ConnectionString,
        ["Telemetry__SamplingRatio"] = "0",
    };

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Ingestion.DisposeAsync();
    }
}

public sealed class WorkerTelemetryTests(TelemetryApp app) : IClassFixture<TelemetryApp>
{
    private static readonly TimeSpan ExportWait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_sampled_request_reaches_application_insights_with_its_postgres_and_blob_calls()
    {
        var traceId = ActivityTraceId.CreateRandom().ToString();
        using var response = await GetAsync("health", traceId, sampled: true);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var operation = await OperationAsync(traceId, envelopes =>
            envelopes.Any(e => Type(e).Contains("postgres", StringComparison.OrdinalIgnoreCase))
            && envelopes.Any(e => Type(e).Contains("Storage", StringComparison.OrdinalIgnoreCase)));
        Assert.True(operation is not null, "no PostgreSQL and Blob dependencies for the trace:\n" + Describe(app.Ingestion.Envelopes));
    }

    [Fact]
    public async Task A_failed_request_is_kept_under_the_problem_trace_id_though_sampling_drops_the_rest()
    {
        var okTrace = ActivityTraceId.CreateRandom().ToString();
        using (var ok = await GetAsync("health", okTrace, sampled: false)) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        using var failed = await GetAsync("courses/no-such-course-" + Guid.NewGuid().ToString("N")[..8], ActivityTraceId.CreateRandom().ToString(), sampled: false);
        Assert.Equal(HttpStatusCode.NotFound, failed.StatusCode);
        var problemTrace = JsonDocument.Parse(await failed.Content.ReadAsStringAsync()).RootElement.GetProperty("traceId").GetString()!;

        // The trace id a support person is quoted is the operation id the failure is filed under.
        var operation = await OperationAsync(problemTrace, envelopes => envelopes.Count > 0);
        Assert.True(operation is not null, $"nothing for the failed request's trace {problemTrace}:\n" + Describe(app.Ingestion.Envelopes));
        // The worker's span of the invocation, counted once (sample rate 100%) though the ratio is 0.
        Assert.True(operation.Any(e => (string?)e["data"]?["baseData"]?["name"] == "function GetCourse" && ((double?)e["sampleRate"] ?? 100) == 100),
            string.Join("\n", operation.Select(Json)));
        // Exported in the same batches as the failure or before it: the successful, unsampled request left nothing.
        Assert.Empty(app.Ingestion.Operation(okTrace));
    }

    private async Task<HttpResponseMessage> GetAsync(string path, string traceId, bool sampled)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-{(sampled ? "01" : "00")}");
        return await app.Api.SendAsync(request);
    }

    private async Task<IReadOnlyList<System.Text.Json.Nodes.JsonObject>?> OperationAsync(string traceId, Func<IReadOnlyList<System.Text.Json.Nodes.JsonObject>, bool> complete)
    {
        var deadline = DateTime.UtcNow + ExportWait;
        while (DateTime.UtcNow < deadline)
        {
            var envelopes = app.Ingestion.Operation(traceId);
            if (complete(envelopes)) return envelopes;
            await Task.Delay(500);
        }
        return null;
    }

    private static string Type(System.Text.Json.Nodes.JsonObject envelope) => (string?)envelope["data"]?["baseData"]?["type"] ?? "";

    private static string Json(System.Text.Json.Nodes.JsonObject envelope) => envelope.ToJsonString();

    private static string Describe(IEnumerable<System.Text.Json.Nodes.JsonObject> envelopes) =>
        string.Join("\n", envelopes.Take(40).Select(e => $"{e["name"]} op={e["tags"]?["ai.operation.id"]} type={Type(e)} name={e["data"]?["baseData"]?["name"]}"));
}
