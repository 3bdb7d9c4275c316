using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Tests.Http;

/// <summary>
/// The naming rule of docs/architecture.md, checked on the JSON the running app really writes: camelCase names; an object's
/// own id is <c>id</c> and its display name <c>name</c>; a reference is <c>&lt;resource&gt;Id</c> (with
/// <c>&lt;resource&gt;Slug</c>/<c>&lt;resource&gt;Name</c>); a course is never <c>title</c>; a price is <c>price</c>.
/// </summary>
public sealed partial class NamingConventionTests(HostedApp app) : IClassFixture<HostedApp>
{
    /// <summary>The resources a field may reference by <c>&lt;resource&gt;Id</c>.</summary>
    private static readonly HashSet<string> Resources =
        ["course", "topic", "cohort", "user", "enrollment", "attempt", "question", "option", "chunk", "session", "ingestion"];

    /// <summary>References qualified in front because one object holds two of a kind, and person names.</summary>
    private static readonly HashSet<string> Qualified = ["selectedOptionId", "correctOptionId", "fullName"];

    /// <summary>Authored content (lesson blocks, exercise payloads): its keys are the content's, not the API's.</summary>
    private static readonly HashSet<string> FreeForm = ["data", "payload", "variants"];

    private static readonly string[] Forbidden = ["unitPrice", "courseTitle"];

    [GeneratedRegex("^[a-z][a-zA-Z0-9]*$")]
    private static partial Regex CamelCase();

    private async Task<JsonElement> Call(HttpMethod method, string path, string token, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        using var response = await app.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task The_main_responses_follow_the_documented_naming_rule()
    {
        var course = await LearningCourse.CreateAsync(async use =>
        {
            await using var db = app.Database.CreateContext();
            await use(db);
        }, DateTimeOffset.UtcNow);
        var other = await LearningCourse.CreateAsync(async use =>
        {
            await using var db = app.Database.CreateContext();
            await use(db);
        }, DateTimeOffset.UtcNow);
        var slug = course.Course.Slug;
        var topic = course.Topics[0].Id;
        var (_, token) = await app.SignInAsync();

        var responses = new Dictionary<string, (JsonElement Body, (string Path, string Kind)[] Objects)>
        {
            ["enrol"] = (await Call(HttpMethod.Post, $"courses/{slug}/enroll", token), [("", "enrollment")]),
            ["catalog"] = (await Call(HttpMethod.Get, "courses?pageSize=100", token), [("items[]", "course")]),
            ["course detail"] = (await Call(HttpMethod.Get, $"courses/{slug}", token), [("", "course"), ("modules[].topics[]", "topic")]),
            ["outline"] = (await Call(HttpMethod.Get, $"courses/{slug}/topics", token), [("", "course"), ("modules[].topics[]", "topic")]),
            ["content"] = (await Call(HttpMethod.Get, $"topics/{topic}/content", token), [("", "topic")]),
            ["progress update"] = (await Call(HttpMethod.Put, $"topics/{topic}/progress", token, new { status = "completed" }), []),
            ["progress"] = (await Call(HttpMethod.Get, $"courses/{slug}/progress", token), [("modules[].topics[]", "topic")]),
            ["quiz sections"] = (await Call(HttpMethod.Get, $"courses/{slug}/quiz/sections", token), [("modules[].sections[].topics[]", "topic")]),
        };
        var attempt = await Call(HttpMethod.Post, $"courses/{slug}/quiz/attempts", token, new { moduleNo = 1, topicPairIndex = 1 });
        responses["attempt"] = (attempt, [("", "attempt"), ("questions[]", "question"), ("questions[].options[]", "option")]);
        var answers = attempt.GetProperty("questions").EnumerateArray()
            .Select(q => new { questionId = q.GetProperty("id").GetGuid(), optionId = q.GetProperty("options")[0].GetProperty("id").GetGuid() }).ToList();
        responses["submitted attempt"] = (await Call(HttpMethod.Post, $"quiz/attempts/{attempt.GetProperty("id")}/submit", token, new { answers }), [("", "attempt")]);
        responses["my enrolments"] = (await Call(HttpMethod.Get, "me/enrollments", token), [("items[]", "enrollment")]);
        await Call(HttpMethod.Post, "cart/lines", token, new { course = other.Course.Slug });
        responses["cart with a saved item"] = (await Call(HttpMethod.Post, $"cart/lines/{other.Course.Slug}/save-for-later", token), []);
        await Call(HttpMethod.Post, $"cart/saved/{other.Course.Slug}/move-to-cart", token);
        responses["cart"] = (await Call(HttpMethod.Get, "cart", token), []);
        responses["me"] = (await Call(HttpMethod.Get, "users/me", token), [("", "user")]);
        responses["tutor answer"] = (await Call(HttpMethod.Post, $"courses/{slug}/tutor/ask", token, new { topicId = topic, question = "What is this topic about?" }), []);
        responses["tutor session"] = (await Call(HttpMethod.Get, $"courses/{slug}/tutor/session?topicId={topic}", token), [("", "session"), ("messages[]", "message")]);

        var violations = new List<string>();
        foreach (var (name, (body, objects)) in responses)
        {
            Walk(name, "$", body, violations);
            foreach (var (path, kind) in objects)
            {
                var found = Select(body, path).ToList();
                if (found.Count == 0) violations.Add($"{name}: nothing at '{path}' to check as a {kind}");
                foreach (var item in found)
                {
                    if (!item.TryGetProperty("id", out _)) violations.Add($"{name} {path}: a {kind} without 'id'");
                    if (item.TryGetProperty(kind + "Id", out _)) violations.Add($"{name} {path}: a {kind} names its own id '{kind}Id'");
                    if (kind is "course" or "topic" && !item.TryGetProperty("name", out _)) violations.Add($"{name} {path}: a {kind} without 'name'");
                    if (kind is "course" or "topic" && item.TryGetProperty("title", out _)) violations.Add($"{name} {path}: a {kind} with 'title'");
                }
            }
        }
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    [Fact]
    public void The_rule_checker_itself_catches_each_kind_of_violation()
    {
        var violations = new List<string>();
        Walk("sample", "$", JsonDocument.Parse("""
            {"CourseId":"x","unitPrice":1,"lessonRef":{"moduleId":1},"items":[{"lessonSlug":"a"}],"data":{"Anything":1}}
            """).RootElement, violations);
        Assert.Equal(4, violations.Count);
    }

    private static void Walk(string response, string path, JsonElement element, List<string> violations)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    var at = $"{path}.{property.Name}";
                    var problem = Check(property.Name);
                    if (problem is not null) violations.Add($"{response} {at}: {problem}");
                    if (!FreeForm.Contains(property.Name)) Walk(response, at, property.Value, violations);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in element.EnumerateArray()) Walk(response, $"{path}[{i++}]", item, violations);
                break;
        }
    }

    private static string? Check(string name)
    {
        if (!CamelCase().IsMatch(name)) return "not camelCase";
        if (Forbidden.Contains(name)) return "a name the rule replaces";
        if (Qualified.Contains(name) || name is "id" or "name" or "slug") return null;
        foreach (var suffix in new[] { "Id", "Slug", "Name" })
        {
            if (name.Length > suffix.Length && name.EndsWith(suffix, StringComparison.Ordinal)
                && !Resources.Contains(name[..^suffix.Length]))
                return $"'{suffix}' on something that is not a resource";
        }
        return null;
    }

    /// <summary>The objects at a path like <c>modules[].topics[]</c> ("" is the root).</summary>
    private static IEnumerable<JsonElement> Select(JsonElement root, string path)
    {
        IEnumerable<JsonElement> current = [root];
        foreach (var segment in path.Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var many = segment.EndsWith("[]", StringComparison.Ordinal);
            var name = many ? segment[..^2] : segment;
            current = current.Select(e => e.GetProperty(name)).SelectMany(e => many ? e.EnumerateArray().ToList() : new List<JsonElement> { e }).ToList();
        }
        return current;
    }
}
