using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure;

namespace CoursePlatform.Functions.Features.Lessons;

/// <summary>
/// The rules a lesson layout and a content payload must meet before they are stored, each violation a field-level
/// problem under its JSON path (<c>layout.blocks[3].contentKey</c>, <c>payload.alt</c>). The lesson endpoint
/// (<see cref="LessonLayout"/>) then never meets a block it must skip. Only known properties are stored, URLs are
/// http(s), and markdown carries no raw HTML or script links (<see cref="SafeMarkdown"/>); what older builds stored
/// is served through <see cref="ForLearner"/>, which leaves the same things out.
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

            if (block["tutorPersona"] is not null && !Json.TryParseLabel<LearnerPersona>(Text(block, "tutorPersona"), out _))
                errors[$"{at}.tutorPersona"] = [$"One of {string.Join(", ", Enum.GetValues<LearnerPersona>().Select(p => Json.Label(p)))}."];

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

    /// <summary>The properties each content type's payload may have: anything else is refused, so nothing unchecked is stored.</summary>
    private static readonly Dictionary<ContentType, string[]> PayloadProperties = new()
    {
        [ContentType.Text] = ["markdown", "title"],
        [ContentType.Image] = ["url", "alt", "title"],
        [ContentType.Video] = ["url", "title"],
        [ContentType.Ppt] = ["url", "title"],
    };

    /// <summary>
    /// A payload of a content type: text needs safe <c>markdown</c> (<see cref="SafeMarkdown"/>); image an http(s)
    /// <c>url</c> and <c>alt</c> text; video and ppt an http(s) <c>url</c> (and each may have a <c>title</c>); no other property.
    /// </summary>
    public static void ValidatePayload(ContentType type, JsonNode? payload, string path, IDictionary<string, string[]> errors)
    {
        if (payload is not JsonObject data)
        {
            errors[path] = ["Send an object."];
            return;
        }
        var known = PayloadProperties[type];
        foreach (var unknown in data.Select(p => p.Key).Where(k => !known.Contains(k)))
            errors[$"{path}.{unknown}"] = [$"Not a property of {Json.Label(type)} content ({string.Join(", ", known)})."];
        switch (type)
        {
            case ContentType.Text:
                if (Text(data, "markdown") is not { } markdown || string.IsNullOrWhiteSpace(markdown))
                    errors[$"{path}.markdown"] = ["A text needs its content as markdown."];
                else ValidateMarkdown(markdown, $"{path}.markdown", errors);
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

    /// <summary>A CMS page's content: <c>{ markdown }</c>, safe markdown, and nothing else.</summary>
    public static void ValidatePage(JsonObject? content, string path, IDictionary<string, string[]> errors)
    {
        if (content is null) return;
        foreach (var unknown in content.Select(p => p.Key).Where(k => k != "markdown"))
            errors[$"{path}.{unknown}"] = ["Not a page property (markdown)."];
        if (content["markdown"] is { } node && (node is not JsonValue v || !v.TryGetValue<string>(out _)))
            errors[$"{path}.markdown"] = ["The page's markdown is a string."];
        else ValidateMarkdown(Text(content, "markdown"), $"{path}.markdown", errors);
    }

    /// <summary>A page's content as served, for rows stored before the rules: its markdown only, cleaned.</summary>
    public static JsonObject PageForLearner(JsonNode? content) =>
        content is JsonObject page && Text(page, "markdown") is { } markdown ? new JsonObject { ["markdown"] = SafeMarkdown.Clean(markdown) } : [];

    /// <summary>Markdown a learner is shown: within the length limit, no raw HTML, links and images to http(s) only.</summary>
    public static void ValidateMarkdown(string? markdown, string path, IDictionary<string, string[]> errors)
    {
        if (markdown is null) return;
        if (markdown.Length > MaxMarkdownLength) errors[path] = [$"At most {MaxMarkdownLength} characters."];
        else if (SafeMarkdown.Problems(markdown) is { Count: > 0 } problems) errors[path] = [.. problems];
    }

    /// <summary>
    /// A free-form JSON object (a simulation's payload, whose shape depends on the exercise): every property named like
    /// a URL (<c>url</c>, <c>href</c>, <c>src</c>, <c>link</c>, <c>imageUrl</c>…) must be an http(s) URL, a
    /// <c>markdown</c> property safe markdown, and no string may be a script URL wherever it sits.
    /// </summary>
    public static void ValidateFreeJson(JsonNode? node, string path, IDictionary<string, string[]> errors)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj)
                {
                    var at = $"{path}.{key}";
                    if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        if (IsUrlKey(key)) { if (!IsSafeUrl(text)) errors[at] = [UrlMessage]; }
                        else if (key == "markdown") ValidateMarkdown(text, at, errors);
                        else if (IsScriptUrl(text)) errors[at] = ["A javascript:, vbscript:, data: or file: URL is not allowed here."];
                    }
                    else ValidateFreeJson(value, at, errors);
                }
                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        if (IsScriptUrl(text)) errors[$"{path}[{i}]"] = ["A javascript:, vbscript:, data: or file: URL is not allowed here."];
                    }
                    else ValidateFreeJson(array[i], $"{path}[{i}]", errors);
                }
                break;
        }
    }

    /// <summary>
    /// A payload as a learner may be served it, for rows stored before these rules: only the type's known properties,
    /// markdown cleaned (<see cref="SafeMarkdown.Clean"/>); null (the block is left out) without a safe URL or markdown.
    /// </summary>
    public static JsonObject? ForLearner(ContentType type, JsonNode? payload)
    {
        if (payload is not JsonObject data) return null;
        var served = new JsonObject();
        foreach (var key in PayloadProperties[type])
        {
            if (Text(data, key) is not { } text) continue;
            if (key == "markdown") text = SafeMarkdown.Clean(text);
            else if (key == "url" && !IsSafeUrl(text)) return null;
            served[key] = text;
        }
        var complete = type == ContentType.Text ? served.ContainsKey("markdown") : served.ContainsKey("url");
        return complete ? served : null;
    }

    /// <summary>A free-form object as a learner may be served it: unsafe URL and script-URL strings left out, markdown cleaned.</summary>
    public static JsonNode? FreeJsonForLearner(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var served = new JsonObject();
                foreach (var (key, value) in obj)
                {
                    if (value is JsonValue v && v.TryGetValue<string>(out var text))
                    {
                        if (IsUrlKey(key) ? !IsSafeUrl(text) : IsScriptUrl(text)) continue;
                        served[key] = key == "markdown" ? SafeMarkdown.Clean(text) : text;
                    }
                    else served[key] = FreeJsonForLearner(value);
                }
                return served;
            case JsonArray array:
                var items = new JsonArray();
                foreach (var item in array)
                {
                    if (item is JsonValue v && v.TryGetValue<string>(out var text) && IsScriptUrl(text)) continue;
                    items.Add(FreeJsonForLearner(item));
                }
                return items;
            default:
                return node?.DeepClone();
        }
    }

    private const string UrlMessage = "Give an absolute http or https URL.";

    /// <summary>An absolute http(s) URL with a host (never javascript:, data:, file: or a protocol-relative //host).</summary>
    public static bool IsSafeUrl(string? url) => url is { Length: > 0 and <= 2048 } && SafeMarkdown.IsSafeTarget(url, image: true);

    private static bool IsUrlKey(string key)
    {
        var k = key.ToLowerInvariant();
        return k.EndsWith("url", StringComparison.Ordinal) || k.EndsWith("href", StringComparison.Ordinal)
            || k.EndsWith("src", StringComparison.Ordinal) || k.EndsWith("link", StringComparison.Ordinal);
    }

    /// <summary>
    /// A string a browser would run or load as a document if it became a link, read as browsers read it (case,
    /// whitespace and control characters ignored). data: and file: count only as URLs ("Data: the facts" is a label).
    /// </summary>
    private static bool IsScriptUrl(string text)
    {
        var head = new string([.. text.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).Take(80)]).ToLowerInvariant();
        return head.StartsWith("javascript:", StringComparison.Ordinal) || head.StartsWith("vbscript:", StringComparison.Ordinal)
            || head.StartsWith("file://", StringComparison.Ordinal) || DataUrl().IsMatch(head);
    }

    [GeneratedRegex("^data:[a-z]+/[a-z0-9.+-]+[;,]")]
    private static partial Regex DataUrl();

    private static void RequireUrl(JsonObject data, string path, IDictionary<string, string[]> errors)
    {
        if (Text(data, "url") is not { } url || !IsSafeUrl(url))
            errors[$"{path}.url"] = [UrlMessage];
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
}
