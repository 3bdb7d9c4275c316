using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Infrastructure.Http;

public static class RequestBody
{
    /// <summary>
    /// Reads a JSON body into <typeparamref name="T"/> and validates its data annotations. Wrong content
    /// type (415), oversized (413), malformed JSON, unknown enum labels and invalid fields (400 with a
    /// field -> messages map) become problems here, so functions only see valid input.
    /// </summary>
    public static async Task<T> ReadJsonAsync<T>(this HttpRequestData request, CancellationToken cancellationToken) where T : class
    {
        var value = Deserialize<T>(await ReadBodyAsync(request, cancellationToken));
        Validate(value);
        return value;
    }

    /// <summary>
    /// A JSON merge patch (RFC 7396) over <paramref name="current"/>: the fields the body names replace the current
    /// ones (an object merges into an object, <c>null</c> clears), the rest stay. The result is read and validated
    /// as <typeparamref name="T"/>, so a patch is held to the same rules as a creation, field by field.
    /// </summary>
    public static async Task<T> ReadMergePatchAsync<T>(this HttpRequestData request, T current, CancellationToken cancellationToken) where T : class
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        JsonNode? patch;
        try { patch = JsonNode.Parse(body); }
        catch (JsonException) { throw ProblemException.Validation(BodyField, "The body is not valid JSON for this endpoint."); }
        if (patch is not JsonObject changes) throw ProblemException.BadRequest("The request body must be a JSON object.");
        var merged = (JsonObject)JsonSerializer.SerializeToNode(current, Json.Options)!;
        Merge(merged, changes);
        var value = Deserialize<T>(JsonSerializer.SerializeToUtf8Bytes(merged, Json.Options));
        Validate(value);
        return value;
    }

    private static void Merge(JsonObject target, JsonObject patch)
    {
        foreach (var (key, value) in patch)
        {
            if (value is JsonObject inner && target[key] is JsonObject existing) Merge(existing, inner);
            else target[key] = value?.DeepClone();
        }
    }

    /// <summary>The raw body as UTF-8 text, held to the same size limit (413): for a body verified as sent (a signed webhook).</summary>
    public static async Task<string> ReadTextAsync(this HttpRequestData request, CancellationToken cancellationToken) =>
        System.Text.Encoding.UTF8.GetString(await ReadLimitedAsync(request.Body, MaxBytes(request), cancellationToken));

    private static long MaxBytes(HttpRequestData request) =>
        request.FunctionContext.InstanceServices.GetRequiredService<IOptions<HttpOptions>>().Value.MaxRequestBodyBytes;

    private static async Task<byte[]> ReadBodyAsync(HttpRequestData request, CancellationToken cancellationToken)
    {
        var mediaType = request.Headers.TryGetValues("Content-Type", out var types) ? types.First().Split(';')[0].Trim() : "";
        if (!mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase) && !mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
            throw ProblemException.UnsupportedMediaType("application/json");

        var body = await ReadLimitedAsync(request.Body, MaxBytes(request), cancellationToken);
        return body.Length == 0 ? throw ProblemException.BadRequest("The request body is empty; send a JSON object.") : body;
    }

    private static T Deserialize<T>(byte[] body) where T : class
    {
        T? value;
        try
        {
            value = JsonSerializer.Deserialize<T>(body, Json.Options);
        }
        catch (JsonException ex)
        {
            var field = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? BodyField : ex.Path.TrimStart('$', '.');
            throw ProblemException.Validation(field, ex.Path is null or "$"
                ? "The body is not valid JSON for this endpoint."
                : "This value is missing, malformed or not one of the allowed values.");
        }
        return value ?? throw ProblemException.BadRequest("The request body must be a JSON object.");
    }

    /// <summary>The error key of a problem with the body as a whole (not JSON, not an object of the endpoint's shape).</summary>
    public const string BodyField = "body";

    /// <summary>
    /// Data-annotation validation with camelCase field paths (<c>answers.background</c>, <c>members[3].email</c>),
    /// into nested request objects and lists of them; 400 listing every invalid field.
    /// </summary>
    public static void Validate(object value)
    {
        var errors = new Dictionary<string, List<string>>();
        Collect(value, "", errors);
        if (errors.Count > 0) throw ProblemException.Validation(errors.ToDictionary(e => e.Key, e => e.Value.ToArray()));
    }

    private static void Collect(object value, string prefix, Dictionary<string, List<string>> errors)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(value, new ValidationContext(value), results, validateAllProperties: true);
        foreach (var result in results)
        {
            foreach (var member in result.MemberNames.DefaultIfEmpty(""))
            {
                var json = JsonNamingPolicy.CamelCase.ConvertName(member);
                var field = member.Length == 0 ? (prefix.Length == 0 ? BodyField : prefix.TrimEnd('.')) : prefix + json;
                // Data annotations name the C# member ("The FileName field is required."); clients know the JSON name.
                var message = result.ErrorMessage ?? "Invalid value.";
                Add(errors, field, member.Length == 0 ? message : Regex.Replace(message, $@"\b{Regex.Escape(member)}\b", json));
            }
        }
        foreach (var property in value.GetType().GetProperties())
        {
            if (property.GetIndexParameters().Length > 0 || property.GetValue(value) is not { } child) continue;
            var name = prefix + JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (IsRequestType(child.GetType())) Collect(child, name + ".", errors);
            else if (child is System.Collections.IEnumerable items and not string)
            {
                // A null where a list holds our request objects ([null] for an answer) is the client's mistake, not a 500.
                var ofRequests = child.GetType().GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)
                                                                           && IsRequestType(i.GetGenericArguments()[0]));
                var index = 0;
                foreach (var item in items)
                {
                    if (item is null && ofRequests) Add(errors, $"{name}[{index}]", "This item must be an object, not null.");
                    else if (item is not null && IsRequestType(item.GetType())) Collect(item, $"{name}[{index}].", errors);
                    index++;
                }
            }
        }
    }

    private static void Add(Dictionary<string, List<string>> errors, string field, string message)
    {
        if (!errors.TryGetValue(field, out var messages)) errors[field] = messages = [];
        messages.Add(message);
    }

    /// <summary>Our own request records: the only types worth descending into.</summary>
    private static bool IsRequestType(Type type) =>
        type.IsClass && type != typeof(string) && type.Namespace?.StartsWith("CoursePlatform.", StringComparison.Ordinal) == true;

    private static async Task<byte[]> ReadLimitedAsync(Stream body, long max, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > max) throw ProblemException.PayloadTooLarge(max);
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
