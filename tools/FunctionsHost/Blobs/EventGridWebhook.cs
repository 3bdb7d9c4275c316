using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.FunctionsHost.Http;

namespace CoursePlatform.FunctionsHost.Blobs;

/// <summary>
/// <c>POST /runtime/webhooks/blobs?functionName=Host.Functions.{name}</c>: the endpoint an Event Grid
/// subscription calls for Event Grid-sourced blob triggers. Answers the subscription validation handshake and
/// runs the function for each BlobCreated event (Event Grid or CloudEvents schema), through the same receipts.
/// </summary>
public sealed class EventGridWebhook(BlobTriggerDispatcher dispatcher, FunctionKeys keys, ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger("Host.EventGrid");
    private readonly List<Task> running = [];
    private Dictionary<string, BlobTriggerFunction> triggers = [];

    public void Register(IEnumerable<BlobTriggerFunction> blobTriggers) =>
        triggers = blobTriggers.ToDictionary(t => t.Function.FullName, StringComparer.OrdinalIgnoreCase);

    public Task StoppedAsync()
    {
        lock (running) return Task.WhenAll(running);
    }

    public async Task<IResult> HandleAsync(HttpContext context, CancellationToken stopping)
    {
        if (!keys.AllowsWebhook(context.Request)) return Results.Unauthorized();
        var name = context.Request.Query["functionName"].ToString();
        if (!triggers.TryGetValue(name, out var trigger) && !triggers.TryGetValue("Host.Functions." + name, out trigger))
        {
            return Results.NotFound(new { error = $"No blob-trigger function '{name}' (expected functionName=Host.Functions.<name>)." });
        }

        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        }
        catch (JsonException)
        {
            return Results.BadRequest(new { error = "The body is not JSON." });
        }
        var events = body switch { JsonArray array => array.OfType<JsonObject>().ToList(), JsonObject single => [single], _ => [] };

        var eventType = context.Request.Headers["aeg-event-type"].ToString();
        if (eventType.Equals("SubscriptionValidation", StringComparison.OrdinalIgnoreCase)
            || events.Any(e => Type(e) == "Microsoft.EventGrid.SubscriptionValidationEvent"))
        {
            var code = events.Select(e => e["data"]?["validationCode"]?.ToString()).FirstOrDefault(c => c is not null);
            return code is null ? Results.BadRequest(new { error = "No validationCode." }) : Results.Ok(new { validationResponse = code });
        }

        var accepted = 0;
        foreach (var notification in events.Where(e => Type(e) == "Microsoft.Storage.BlobCreated"))
        {
            if (BlobOf(notification) is not var (container, blobName) || !string.Equals(container, trigger.Container, StringComparison.Ordinal))
            {
                logger.LogWarning("Ignoring a BlobCreated event for '{Subject}': it is not in container '{Container}' of '{Function}'",
                    notification["subject"]?.ToString(), trigger.Container, trigger.Function.Name);
                continue;
            }
            accepted++;
            // Event Grid expects a quick answer; the function runs in the background, like the real host's queue.
            lock (running)
            {
                running.RemoveAll(t => t.IsCompleted);
                running.Add(Task.Run(() => RunAsync(trigger, blobName, stopping), CancellationToken.None));
            }
        }
        return Results.Accepted(value: new { accepted });
    }

    private async Task RunAsync(BlobTriggerFunction trigger, string blobName, CancellationToken stopping)
    {
        try
        {
            await dispatcher.ProcessAsync(trigger, blobName, stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException)
        {
            logger.LogError("Event Grid blob trigger '{Function}' for '{Blob}' failed: {Error}", trigger.Function.Name, blobName, ex.Message);
        }
    }

    private static string? Type(JsonObject e) => (e["eventType"] ?? e["type"])?.ToString();

    /// <summary>Container and blob name from the subject (/blobServices/default/containers/c/blobs/name), else from data.url.</summary>
    private static (string Container, string Blob)? BlobOf(JsonObject e)
    {
        const string containers = "/containers/", blobs = "/blobs/";
        var subject = e["subject"]?.ToString() ?? "";
        var c = subject.IndexOf(containers, StringComparison.Ordinal);
        var b = subject.IndexOf(blobs, StringComparison.Ordinal);
        if (c >= 0 && b > c)
        {
            return (subject[(c + containers.Length)..b], subject[(b + blobs.Length)..]);
        }
        if (e["data"]?["url"]?.ToString() is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            // Azurite URLs are path-style (/account/container/blob); Azure's are host-style (/container/blob).
            var segments = Uri.UnescapeDataString(uri.AbsolutePath).TrimStart('/').Split('/', 3);
            var pathStyle = uri.IsLoopback && segments.Length == 3;
            return pathStyle ? (segments[1], segments[2]) : segments.Length >= 2 ? (segments[0], string.Join('/', segments[1..])) : null;
        }
        return null;
    }
}
