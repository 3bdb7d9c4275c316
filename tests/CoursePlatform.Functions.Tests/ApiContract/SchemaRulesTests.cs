using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoursePlatform.Functions.Infrastructure.Http;

namespace CoursePlatform.Functions.Tests.ApiContract;

/// <summary>
/// The rules the API enforces, as the generated document states them: http(s) URL fields, mutually exclusive fields,
/// a quiz question's one correct option, and closed response schemas. <c>ApiContractHttpTests</c> checks that the API
/// refuses a body breaking each rule and that the schema refuses the same body.
/// </summary>
public sealed class SchemaRulesTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private static async Task<JsonObject> SchemasAsync() => (await ContractDocument.JsonAsync())["components"]!["schemas"]!.AsObject();

    private static JsonObject Property(JsonObject schemas, string schema, string property) =>
        schemas[schema]?["properties"]?[property]?.AsObject() ?? throw new InvalidOperationException($"{schema}.{property} is not in the document");

    [Theory]
    [InlineData("CourseRequest", "thumbnailUrl")]
    [InlineData("TopicRequest", "videoUrl")]
    [InlineData("TopicRequest", "pptUrl")]
    [InlineData("TutorApplicationRequest", "links")]
    [InlineData("CourseSummary", "thumbnailUrl")]
    [InlineData("CourseDetail", "thumbnailUrl")]
    [InlineData("LessonContent", "videoUrl")]
    [InlineData("LessonContent", "pptUrl")]
    [InlineData("UploadTicket", "uploadUrl")]
    public async Task Url_fields_are_uris_with_an_http_or_https_scheme(string schema, string property)
    {
        var field = Property(await SchemasAsync(), schema, property);
        if (field["items"] is JsonObject items) field = items; // a list of URLs
        Assert.Equal("uri", field["format"]?.GetValue<string>());
        var pattern = new Regex(field["pattern"]!.GetValue<string>(), RegexOptions.None, TimeSpan.FromSeconds(1));
        foreach (var url in new[] { "https://cdn.example.com/a.png", "http://videos.example/x.mp4", "HTTPS://Example.com" })
            Assert.True(pattern.IsMatch(url) && WebUrlAttribute.IsWebUrl(url), url);
        foreach (var url in new[] { "javascript:alert(1)", "ftp://files.example/x", "//cdn.example.com/a.png", "https:///path", "deck.pptx", " https://x.example" })
            Assert.False(pattern.IsMatch(url) || WebUrlAttribute.IsWebUrl(url), url);
    }

    [Fact]
    public async Task Every_request_url_field_is_declared_as_one()
    {
        var schemas = await SchemasAsync();
        var undeclared = RequestSchemas(await ContractDocument.JsonAsync())
            .SelectMany(name => (schemas[name]?["properties"]?.AsObject() ?? []).Where(p => p.Key.EndsWith("Url", StringComparison.Ordinal) || p.Key == "links")
                .Where(p => (p.Value!["items"] ?? p.Value)!["format"]?.GetValue<string>() != "uri")
                .Select(p => $"{name}.{p.Key}"))
            .ToList();
        Assert.True(undeclared.Count == 0, "URL fields without format uri: " + string.Join(", ", undeclared));
    }

    [Fact]
    public async Task Exclusive_fields_are_stated_exactly_one_question_or_suggestion_and_not_both_layout_and_text()
    {
        var schemas = await SchemasAsync();
        var ask = schemas["AskRequest"]!["oneOf"]!.AsArray();
        Assert.Equal(["question", "suggestionId"], ask.Select(branch => branch!["required"]!.AsArray().Single()!.GetValue<string>()).Order());
        Assert.All(ask, branch => Assert.NotNull(branch!["properties"]![branch["required"]![0]!.GetValue<string>()]));
        // A question counts when it has a character that is not white space: "  " is no question.
        var question = new Regex(ask.Single(b => b!["required"]![0]!.GetValue<string>() == "question")!["properties"]!["question"]!["pattern"]!.GetValue<string>());
        Assert.Matches(question, "  What is a subnet?");
        Assert.DoesNotMatch(question, " \t\n ");

        var topic = schemas["TopicRequest"]!["not"]!;
        Assert.Equal(["layout", "text"], topic["required"]!.AsArray().Select(r => r!.GetValue<string>()).Order());
        // A null layout (a merge patch clearing it) or a blank text is not "given".
        Assert.Equal("null", topic["properties"]!["layout"]!["not"]!["type"]!.GetValue<string>());
        Assert.NotNull(topic["properties"]!["text"]!["pattern"]);
    }

    [Fact]
    public async Task A_quiz_questions_options_carry_the_exactly_one_correct_rule()
    {
        var options = Property(await SchemasAsync(), "QuizQuestionRequest", "options");
        Assert.Equal("""{"required":["isCorrect"],"properties":{"isCorrect":{"enum":[true]}}}""", options["contains"]!.ToJsonString());
        Assert.Equal(1, options["minContains"]!.GetValue<int>());
        Assert.Equal(1, options["maxContains"]!.GetValue<int>());
    }

    [Fact]
    public async Task Every_response_object_schema_is_closed_and_request_schemas_stay_open()
    {
        var document = await ContractDocument.JsonAsync();
        var schemas = document["components"]!["schemas"]!.AsObject();
        var open = new SortedSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var checkedObjects = 0;

        void Walk(JsonNode? node, string where)
        {
            if (node is JsonArray array)
            {
                foreach (var item in array) Walk(item, where);
                return;
            }
            if (node is not JsonObject schema) return;
            if (schema["$ref"]?.GetValue<string>() is { } reference)
            {
                var name = reference[(reference.LastIndexOf('/') + 1)..];
                if (seen.Add(name)) Walk(schemas[name], name);
                return;
            }
            if (schema["properties"] is JsonObject)
            {
                checkedObjects++;
                if (schema["additionalProperties"]?.GetValueKind() != System.Text.Json.JsonValueKind.False) open.Add(where);
            }
            foreach (var (key, child) in schema)
            {
                // An allOf member beside a (closed) $ref only narrows that schema's properties (a problem's code): not a shape of its own.
                if (key == "allOf" && child is JsonArray members && members.Any(m => m?["$ref"] is not null))
                {
                    var referenced = members.Select(m => m?["$ref"]?.GetValue<string>()).OfType<string>().Select(r => schemas[r[(r.LastIndexOf('/') + 1)..]]!).ToList();
                    foreach (var member in members.Where(m => m?["$ref"] is not null)) Walk(member, where);
                    foreach (var narrowing in members.Where(m => m?["$ref"] is null))
                        foreach (var (name, _) in narrowing!["properties"]?.AsObject() ?? [])
                            Assert.True(referenced.Any(r => r["properties"]?[name] is not null), $"{where}: allOf narrows {name}, which no member declares");
                    continue;
                }
                if (key is "properties" && child is JsonObject properties)
                    foreach (var (name, value) in properties) Walk(value, $"{where}.{name}");
                else Walk(child, where);
            }
        }

        foreach (var (path, item) in document["paths"]!.AsObject())
            foreach (var (method, operation) in item!.AsObject().Where(o => Methods.Contains(o.Key)))
                foreach (var (status, response) in operation!["responses"]!.AsObject())
                    foreach (var (_, media) in response!["content"]?.AsObject() ?? [])
                        Walk(media!["schema"], $"{method} {path} {status}");

        Assert.True(checkedObjects > 80, $"only {checkedObjects} response object schemas found");
        Assert.True(open.Count == 0, "open response schemas: " + string.Join(", ", open));
        Assert.Contains("Problem", seen);
        // The API ignores members a request body has and its type does not: request schemas say so by staying open.
        Assert.All(RequestSchemas(document), name => Assert.Null(schemas[name]!["additionalProperties"]));
    }

    /// <summary>The components the operations' request bodies reference.</summary>
    private static List<string> RequestSchemas(JsonObject document) =>
        [.. document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Where(o => Methods.Contains(o.Key)))
            .Select(o => o.Value!["requestBody"]?["content"]?["application/json"]?["schema"]?["$ref"]?.GetValue<string>())
            .OfType<string>().Select(r => r[(r.LastIndexOf('/') + 1)..]).Distinct()];
}
