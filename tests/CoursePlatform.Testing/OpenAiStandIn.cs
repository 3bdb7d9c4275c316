using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CoursePlatform.Testing;

/// <summary>
/// A stand-in for an OpenAI-compatible chat completions API on loopback (Azure OpenAI cannot be reached
/// from here). It speaks the real wire protocol, answers with <see cref="Reply"/> (or fails with
/// <see cref="FailWith"/>) and records every request body so tests can check what the app sent.
/// </summary>
public sealed class OpenAiStandIn : IAsyncDisposable
{
    private readonly WebApplication app;

    private OpenAiStandIn()
    {
        app = LoopbackServer.Create();
        app.MapPost("/v1/chat/completions", Complete);
    }

    /// <summary>The base URL to configure as the app's endpoint, e.g. <c>http://127.0.0.1:41234/v1/</c>.</summary>
    public string Endpoint { get; private set; } = "";

    /// <summary>The assistant message content of the next answers.</summary>
    public string Reply { get; set; } = "";

    /// <summary>When set, every request gets this HTTP status with an OpenAI-style error body.</summary>
    public int? FailWith { get; set; }

    public ConcurrentQueue<JsonNode> Requests { get; } = new();

    public static async Task<OpenAiStandIn> StartAsync()
    {
        var standIn = new OpenAiStandIn();
        await standIn.app.StartAsync();
        standIn.Endpoint = standIn.app.Urls.First().TrimEnd('/') + "/v1/";
        return standIn;
    }

    private async Task<IResult> Complete(HttpRequest request)
    {
        var body = await JsonNode.ParseAsync(request.Body) ?? new JsonObject();
        Requests.Enqueue(body);
        if (FailWith is { } status)
            return Results.Json(new { error = new { message = "stand-in failure", type = "server_error" } }, statusCode: status);

        var model = body["model"]?.GetValue<string>() ?? "stand-in";
        return Results.Json(new Dictionary<string, object>
        {
            ["id"] = "chatcmpl-" + Guid.NewGuid().ToString("N"),
            ["object"] = "chat.completion",
            ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["model"] = model,
            ["choices"] = new object[]
            {
                new Dictionary<string, object?>
                {
                    ["index"] = 0,
                    ["message"] = new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = Reply },
                    ["finish_reason"] = "stop",
                },
            },
            ["usage"] = new Dictionary<string, int> { ["prompt_tokens"] = 10, ["completion_tokens"] = 10, ["total_tokens"] = 20 },
        }, new JsonSerializerOptions());
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
