using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Http;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>
/// The rules a lesson layout and a content payload must meet before they are stored, each violation a field-level
/// problem under its JSON path (<c>layout.blocks[3].contentKey</c>, <c>payload.alt</c>). The lesson endpoint
/// (<see cref="LessonLayout"/>) then never meets a block it must skip.
/// </summary>
public static partial class ContentRules
{
    public const int MaxBlocks = 100;
    public const int MaxBlockIdLength = 100;
    public const int MaxContentKeyLength = 100;
    public const int MaxMarkdownLength = 100_000;
    public const int MaxAltLength = 500;

    private static readonly HashSet<string> BlockProperties = ["id", "type", "contentKey", "tutorPersona", "data"];

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex ContentKeyFormat();

    public static bool IsContentKey(string? key) => key is { Length: > 0 and <= MaxContentKeyLength } && ContentKeyFormat().IsMatch(key);

    public static string ContentKeyMessage => $"Letters, digits, '_', '.' and '-', starting with a letter or digit, at most {MaxContentKeyLength} characters.";

    /// <summary>Checks a layout <c>{ version: "1", blocks: [...] }</c>; returns the content keys its blocks name.</summary>
    public static IReadOnlyList<string> ValidateLayout(JsonNode? layout, string path, IDictionary<string, string[]> errors)
    {
        var keys = new List<string>();
        if (layout is not JsonObject root)
        {
            errors[path] = ["Send an object { version: \"1\", blocks: [...] }."];
            return keys;
        }
        if (root["version"] is not JsonValue version || !version.TryGetValue<string>(out var v) || v != LessonLayout.Version)
            errors[$"{path}.version"] = [$"Must be \"{LessonLayout.Version}\"."];
        if (root["blocks"] is not JsonArray blocks)
        {
            errors[$"{path}.blocks"] = ["Send the blocks as an array."];
            return keys;
        }
        if (blocks.Count > MaxBlocks) errors[$"{path}.blocks"] = [$"At most {MaxBlocks} blocks."];

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < blocks.Count; i++)
        {
            var at = $"{path}.blocks[{i}]";
            if (blocks[i] is not JsonObject block)
            {
                errors[at] = ["Each block is an object."];
                continue;
            }
            foreach (var unknown in block.Select(p => p.Key).Where(k => !BlockProperties.Contains(k)))
                errors[$"{at}.{unknown}"] = ["Not a block property (id, type, contentKey, tutorPersona, data)."];

            var id = Text(block, "id");
            if (string.IsNullOrWhiteSpace(id) || id.Length > MaxBlockIdLength) errors[$"{at}.id"] = [$"Give the block an id of 1 to {MaxBlockIdLength} characters."];
            else if (!ids.Add(id)) errors[$"{at}.id"] = [$"Another block already has the id '{id}'."];

            var typeKnown = Json.TryParseLabel<ContentType>(Text(block, "type"), out var type);
            if (!typeKnown) errors[$"{at}.type"] = ["One of text, image, video, ppt."];

            if (block["tutorPersona"] is not null && !Json.TryParseLabel<TutorPersona>(Text(block, "tutorPersona"), out _))
                errors[$"{at}.tutorPersona"] = [$"One of {string.Join(", ", Enum.GetValues<TutorPersona>().Select(p => Json.Label(p)))}."];

            var key = block["contentKey"];
            var data = block["data"];
            if (key is null && data is null) errors[$"{at}.contentKey"] = ["Give a contentKey (an asset of the topic) or inline data."];
            else if (key is not null && data is not null) errors[$"{at}.contentKey"] = ["Give a contentKey or inline data, not both."];
            else if (key is not null)
            {
                var name = Text(block, "contentKey");
                if (!IsContentKey(name)) errors[$"{at}.contentKey"] = [ContentKeyMessage];
                else keys.Add(name!);
            }
            else if (typeKnown) ValidatePayload(type, data, $"{at}.data", errors);
        }
        return keys;
    }

    /// <summary>
    /// A payload of a content type: text needs <c>markdown</c>; image an http(s) <c>url</c> and <c>alt</c> text;
    /// video and ppt an http(s) <c>url</c> (and may have a <c>title</c>).
    /// </summary>
    public static void ValidatePayload(ContentType type, JsonNode? payload, string path, IDictionary<string, string[]> errors)
    {
        if (payload is not JsonObject data)
        {
            errors[path] = ["Send an object."];
            return;
        }
        switch (type)
        {
            case ContentType.Text:
                if (Text(data, "markdown") is not { } markdown || string.IsNullOrWhiteSpace(markdown))
                    errors[$"{path}.markdown"] = ["A text needs its content as markdown."];
                else if (markdown.Length > MaxMarkdownLength) errors[$"{path}.markdown"] = [$"At most {MaxMarkdownLength} characters."];
                break;
            case ContentType.Image:
                RequireUrl(data, path, errors);
                if (Text(data, "alt") is not { } alt || string.IsNullOrWhiteSpace(alt))
                    errors[$"{path}.alt"] = ["An image needs alt text for learners who cannot see it."];
                else if (alt.Length > MaxAltLength) errors[$"{path}.alt"] = [$"At most {MaxAltLength} characters."];
                break;
            default:
                RequireUrl(data, path, errors);
                break;
        }
        if (data["title"] is { } title && (title is not JsonValue || Text(data, "title") is null))
            errors[$"{path}.title"] = ["A title is a string."];
    }

    private static void RequireUrl(JsonObject data, string path, IDictionary<string, string[]> errors)
    {
        if (Text(data, "url") is not { } url || url.Length > 2048 || !WebUrlAttribute.IsWebUrl(url))
            errors[$"{path}.url"] = ["Give an absolute http or https URL."];
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
