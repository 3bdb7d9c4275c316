using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure;

namespace CoursePlatform.Functions.Features.Lessons;

/// <summary>A block of a topic's layout as stored in <c>topics.text_content</c>.</summary>
public sealed record LayoutBlock(string Id, ContentType Type, string? ContentKey, string? TutorPersona, JsonNode? Data);

/// <summary>A block as served: its payload resolved for the learner.</summary>
public sealed record LessonBlock(string Id, ContentType Type, JsonNode Data);

/// <summary>
/// The persona rules of docs/product.md as one pure function, so they can be tested as a table.
/// </summary>
public static class LessonLayout
{
    public const string Version = "1";

    /// <summary>
    /// The layout's blocks, or null when <paramref name="textContent"/> is not a layout (legacy plain
    /// text). Blocks without an id or with an unknown type are skipped.
    /// </summary>
    public static IReadOnlyList<LayoutBlock>? Parse(string? textContent)
    {
        if (string.IsNullOrWhiteSpace(textContent) || textContent.TrimStart()[0] != '{') return null;
        JsonNode? root;
        try { root = JsonNode.Parse(textContent); }
        catch (JsonException) { return null; }
        if (root is not JsonObject layout || layout["blocks"] is not JsonArray blocks) return null;

        var parsed = new List<LayoutBlock>();
        foreach (var node in blocks)
        {
            if (node is not JsonObject block || Text(block, "id") is not { Length: > 0 } id
                || !Json.TryParseLabel<ContentType>(Text(block, "type"), out var type)) continue;
            parsed.Add(new LayoutBlock(id, type, Text(block, "contentKey"), Text(block, "tutorPersona"), block["data"]?.DeepClone()));
        }
        return parsed;
    }

    /// <summary>
    /// Applies the persona rules for a learner with tutor persona <paramref name="persona"/> (null: none).
    /// <paramref name="assets"/> must hold only the learner's persona's and default rows, keyed by content key.
    /// </summary>
    public static IReadOnlyList<LessonBlock> Resolve(
        IReadOnlyList<LayoutBlock> blocks, LearnerPersona? persona, IReadOnlyDictionary<string, AssetChoice> assets)
    {
        var label = persona is { } p ? Json.Label(p) : null;
        var resolved = new List<LessonBlock>(blocks.Count);
        foreach (var block in blocks)
        {
            // A block meant for one persona: kept for that persona, or for learners without one.
            if (block.TutorPersona is not null && label is not null && block.TutorPersona != label) continue;

            var data = block.ContentKey is { } key
                ? assets.TryGetValue(key, out var choice) ? choice.For(persona) : null  // persona asset, else default, else drop
                : block.Data;
            // Known properties only, markdown cleaned, no unsafe URL: rows stored before the content rules are served safe too.
            data = ContentRules.ForLearner(block.Type, data);
            if (data is null) continue;
            if (block.Type == ContentType.Video) data = WithEmbedUrl(data);
            resolved.Add(new LessonBlock(block.Id, block.Type, data));
        }
        return resolved;
    }

    /// <summary>Legacy plain text as the single text block of rule 4.</summary>
    public static LessonBlock PlainText(string text) => new("text", ContentType.Text, new JsonObject { ["markdown"] = SafeMarkdown.Clean(text) });

    private static JsonNode WithEmbedUrl(JsonNode data)
    {
        if (data is JsonObject video && video["url"] is JsonValue url && url.TryGetValue<string>(out var link))
        {
            var copy = (JsonObject)video.DeepClone();
            copy["url"] = VideoLinks.ToEmbed(link);
            return copy;
        }
        return data;
    }

    private static string? Text(JsonObject block, string name) =>
        block[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}

/// <summary>The payloads available for one content key: the learner's persona's and the default.</summary>
public sealed record AssetChoice(JsonNode? PersonaPayload, JsonNode? DefaultPayload)
{
    public JsonNode? For(LearnerPersona? persona) => (persona is null ? null : PersonaPayload) ?? DefaultPayload;
}
