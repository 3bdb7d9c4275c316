using System.Text.Json;
using System.Text.Json.Nodes;

namespace CoursePlatform.Functions.Infrastructure.Audit;

/// <summary>
/// What the current admin write changed, as the service that made the change describes it. One per invocation
/// (scoped); <see cref="AuditMiddleware"/> writes the entry once the function has succeeded. A write whose service
/// describes nothing is still recorded, by function and path.
/// </summary>
public sealed class AuditScope
{
    /// <summary>String values longer than this are cut in the trail (a layout, a page body).</summary>
    public const int MaxValueLength = 500;

    public string? ResourceType { get; private set; }
    public Guid? ResourceId { get; private set; }
    public JsonObject? Before { get; private set; }
    public JsonObject? After { get; private set; }

    /// <summary>True when the service found nothing to change (an idempotent delete of what is not there): no row.</summary>
    public bool Unchanged { get; private set; }

    private readonly List<Func<CancellationToken, Task>> _afterCommit = [];

    /// <summary>Says the write changed nothing, so the trail gets no row for it.</summary>
    public void NothingChanged() => Unchanged = true;

    /// <summary>
    /// Work outside the database (deleting blobs) that must only happen once the change and its audit row committed;
    /// outside an audited request it runs at once.
    /// </summary>
    public Task AfterCommitAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!Active) return work(cancellationToken);
        _afterCommit.Add(work);
        return Task.CompletedTask;
    }

    /// <summary>Set by <see cref="AuditMiddleware"/> while it holds the request's transaction.</summary>
    internal bool Active { get; set; }

    internal async Task RunAfterCommitAsync(CancellationToken cancellationToken)
    {
        foreach (var work in _afterCommit) await work(cancellationToken);
    }

    /// <summary>
    /// Records a change of one resource: <paramref name="before"/> null for a creation, <paramref name="after"/> null
    /// for a deletion. Of an update only the top-level fields that differ are kept.
    /// </summary>
    public void Changed(string resourceType, Guid resourceId, object? before, object? after)
    {
        Unchanged = false;
        ResourceType = resourceType;
        ResourceId = resourceId;
        var old = before is null ? null : JsonSerializer.SerializeToNode(before, Json.Options) as JsonObject;
        var now = after is null ? null : JsonSerializer.SerializeToNode(after, Json.Options) as JsonObject;
        if (old is not null && now is not null)
        {
            foreach (var key in old.Select(p => p.Key).Union(now.Select(p => p.Key)).ToList())
            {
                if (!JsonNode.DeepEquals(old[key], now[key])) continue;
                old.Remove(key);
                now.Remove(key);
            }
        }
        Before = Compact(old);
        After = Compact(now);
    }

    private static JsonObject? Compact(JsonObject? values)
    {
        if (values is null) return null;
        foreach (var (key, value) in values.ToList())
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value is JsonObject or JsonArray ? value.ToJsonString(Json.Options) : null;
            if (text is { Length: > MaxValueLength }) values[key] = $"{text[..MaxValueLength]}… ({text.Length} characters)";
        }
        return values;
    }
}
