using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Problems;

namespace CoursePlatform.Functions.Tests.ApiContract;

/// <summary>
/// The contract against the running app under the local host: the served document, real responses validated against
/// the schemas it declares for them, problem bodies, dates, Location, and the reference page in headless Chromium.
/// </summary>
public sealed partial class ApiContractHttpTests(HostedApp app) : IClassFixture<HostedApp>
{
    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")]
    private static partial Regex Instant();

    private async Task<JsonObject> DocumentAsync()
    {
        using var response = await app.Api.GetAsync("openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task The_document_is_served_as_generated_with_an_etag_and_304_when_unchanged()
    {
        using var response = await app.Api.GetAsync("openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var etag = response.Headers.ETag!;
        Assert.False(etag.IsWeak);
        Assert.Equal(Encoding.UTF8.GetString(await ContractDocument.BytesAsync()), await response.Content.ReadAsStringAsync());

        using var again = new HttpRequestMessage(HttpMethod.Get, "openapi.json");
        again.Headers.IfNoneMatch.Add(etag);
        using var notModified = await app.Api.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_docs_page_loads_in_headless_chromium_and_shows_every_tag()
    {
        var document = await DocumentAsync();
        var tags = document["tags"]!.AsArray().Select(t => t!["name"]!.GetValue<string>()).ToList();
        Assert.Contains("Quizzes", tags);
        var screenshot = Path.Combine(Paths.TestResults("api-contract"), "docs-page.png");
        File.Delete(screenshot);

        var (exitCode, output) = await NodeTools.RunAsync("node", "docs-page.mjs", new Uri(app.Api.BaseAddress!, "docs").ToString(), screenshot);
        Assert.True(exitCode == 0, $"docs-page.mjs failed ({exitCode}):\n{output}");
        using var seen = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal("Course Platform API", Regex.Replace(seen.RootElement.GetProperty("title").GetString()!, @"\s*\d.*$", ""));
        Assert.Equal(tags.Order(), seen.RootElement.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).Order());
        Assert.True(seen.RootElement.GetProperty("operations").GetInt32() >= document["paths"]!.AsObject().Count);
        Assert.Empty(seen.RootElement.GetProperty("failures").EnumerateArray());
        Assert.True(new FileInfo(screenshot).Length > 10_000, "no screenshot");
    }

    [Fact]
    public async Task Real_responses_validate_against_the_schemas_the_document_declares()
    {
        var document = await DocumentAsync();
        var course = await LearningCourse.CreateAsync(async use =>
        {
            await using var db = app.Database.CreateContext();
            await use(db);
        }, DateTimeOffset.UtcNow);
        var slug = course.Course.Slug;
        var (_, token) = await app.SignInAsync();

        // Healthy before its answer is checked against the schema (the 503 shape is checked elsewhere).
        await app.WaitUntilHealthyAsync();
        await Check(document, HttpMethod.Get, "health", "/health", null);
        await Check(document, HttpMethod.Get, "courses?pageSize=5", "/courses", null);
        await Check(document, HttpMethod.Get, $"courses/{slug}", "/courses/{course}", token);
        await Check(document, HttpMethod.Get, "users/me", "/users/me", token);

        var enrolled = await Check(document, HttpMethod.Post, $"courses/{slug}/enroll", "/courses/{course}/enroll", token, HttpStatusCode.Created);
        Assert.Equal($"/api/me/enrollments/{slug}", enrolled.Response.Headers.Location?.OriginalString);
        Assert.Matches(Instant(), enrolled.Body["enrolledAt"]!.GetValue<string>());
        await FollowLocationAsync(enrolled.Response, enrolled.Body, token);

        await Check(document, HttpMethod.Get, $"courses/{slug}/topics", "/courses/{course}/topics", token);
        await Check(document, HttpMethod.Get, $"topics/{course.Topics[0].Id}/content", "/topics/{topicId}/content", token);
        await Check(document, HttpMethod.Put, $"topics/{course.Topics[0].Id}/progress", "/topics/{topicId}/progress", token, body: new { status = "completed" });
        await Check(document, HttpMethod.Get, $"courses/{slug}/progress", "/courses/{course}/progress", token);
        await Check(document, HttpMethod.Get, $"courses/{slug}/quiz/sections", "/courses/{course}/quiz/sections", token);
        await Check(document, HttpMethod.Get, "me/enrollments", "/me/enrollments", token);
        await Check(document, HttpMethod.Get, "cart", "/cart", token);

        var attempt = await Check(document, HttpMethod.Post, $"courses/{slug}/quiz/attempts", "/courses/{course}/quiz/attempts", token, HttpStatusCode.Created,
            new { moduleNo = 1, topicPairIndex = 1 });
        var attemptId = attempt.Body["id"]!.GetValue<string>();
        Assert.Equal($"/api/quiz/attempts/{attemptId}", attempt.Response.Headers.Location?.OriginalString);
        await FollowLocationAsync(attempt.Response, attempt.Body, token);
        var answers = new
        {
            answers = attempt.Body["questions"]!.AsArray().Select(q => new
            {
                questionId = q!["id"]!.GetValue<Guid>(),
                optionId = q["options"]!.AsArray().First(o => o!["text"]!.GetValue<string>() != LearningCourse.Right)!["id"]!.GetValue<Guid>(),
            }).ToList(),
        };
        await Check(document, HttpMethod.Post, $"quiz/attempts/{attemptId}/submit", "/quiz/attempts/{attemptId}/submit", token, body: answers);

        // Problems validate against the operation's problem schema and name their code.
        var resubmitted = await Check(document, HttpMethod.Post, $"quiz/attempts/{attemptId}/submit", "/quiz/attempts/{attemptId}/submit", token, HttpStatusCode.Conflict, answers);
        AssertProblem(resubmitted.Body, ProblemCodes.AttemptAlreadySubmitted);
        var cooling = await Check(document, HttpMethod.Post, $"courses/{slug}/quiz/attempts", "/courses/{course}/quiz/attempts", token, HttpStatusCode.Conflict,
            new { moduleNo = 1, topicPairIndex = 1 });
        AssertProblem(cooling.Body, ProblemCodes.QuizCooldown);
        Assert.NotNull(cooling.Response.Headers.RetryAfter);
        var locked = await Check(document, HttpMethod.Post, $"courses/{slug}/quiz/attempts", "/courses/{course}/quiz/attempts", token, HttpStatusCode.Forbidden,
            new { moduleNo = 2, topicPairIndex = 1 });
        AssertProblem(locked.Body, ProblemCodes.ModuleLocked);
        var empty = await Check(document, HttpMethod.Post, "cart/checkout", "/cart/checkout", token, HttpStatusCode.Conflict);
        AssertProblem(empty.Body, ProblemCodes.CartEmpty);
        var missing = await Check(document, HttpMethod.Get, "courses/no-such-course", "/courses/{course}", null, HttpStatusCode.NotFound);
        AssertProblem(missing.Body, ProblemCodes.NotFound);
        var invalid = await Check(document, HttpMethod.Post, "auth/login", "/auth/login", null, HttpStatusCode.BadRequest, new { email = "not-an-email" });
        AssertProblem(invalid.Body, ProblemCodes.ValidationFailed);
        Assert.True(invalid.Body["errors"]!.AsObject().ContainsKey("email"));

        Assert.True(samples.Count >= 20);
        await ValidateSamplesAsync("responses");
    }

    [Fact]
    public async Task A_problem_carries_its_code_its_own_type_and_the_requests_w3c_trace_id()
    {
        var traceId = ActivityTraceId.CreateRandom().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Get, "cart");
        request.Headers.Add("traceparent", $"00-{traceId}-{ActivitySpanId.CreateRandom()}-01");
        using var response = await app.Api.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        AssertProblem(body, ProblemCodes.Unauthorized);
        Assert.Equal(traceId, body["traceId"]!.GetValue<string>());

        using var forged = new HttpRequestMessage(HttpMethod.Get, "cart");
        forged.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        using var refused = await app.Api.SendAsync(forged);
        var refusedBody = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        AssertProblem(refusedBody, ProblemCodes.InvalidToken);
        Assert.Matches("^[0-9a-f]{32}$", refusedBody["traceId"]!.GetValue<string>());
        Assert.NotEqual(traceId, refusedBody["traceId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Json_is_written_readably_plus_signs_and_quotes_unescaped_and_instants_in_utc_with_milliseconds()
    {
        var now = DateTimeOffset.UtcNow;
        var course = Build.Course(now, name: "C++ for \"everyone\" & l'été");
        await using (var db = app.Database.CreateContext())
        {
            db.Courses.Add(course);
            await db.SaveChangesAsync();
        }
        var (_, token) = await app.SignInAsync();
        using var enroll = new HttpRequestMessage(HttpMethod.Post, $"courses/{course.Slug}/enroll");
        enroll.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var enrolled = await app.Api.SendAsync(enroll);
        Assert.Equal(HttpStatusCode.Created, enrolled.StatusCode);

        using var mine = new HttpRequestMessage(HttpMethod.Get, "me/enrollments");
        mine.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var list = await app.Api.SendAsync(mine);
        var raw = await list.Content.ReadAsStringAsync();
        Assert.Contains("C++ for \\\"everyone\\\" & l'été", raw, StringComparison.Ordinal);
        var enrolledAt = JsonNode.Parse(raw)!["items"]![0]!["enrolledAt"]!.GetValue<string>();
        Assert.Matches(Instant(), enrolledAt);
        Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(enrolledAt, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(5));
    }

    private static void AssertProblem(JsonNode body, ProblemCode code)
    {
        Assert.Equal(code.Code, body["code"]!.GetValue<string>());
        Assert.Equal(code.Type, body["type"]!.GetValue<string>());
        Assert.Equal((int)code.Status, body["status"]!.GetValue<int>());
        Assert.Equal(code.Title, body["title"]!.GetValue<string>());
    }

    private static readonly string[] Expertise = ["Networking"];

    [Fact]
    public async Task Every_kind_of_created_resource_answers_get_at_its_location()
    {
        var course = await LearningCourse.CreateAsync(async use =>
        {
            await using var db = app.Database.CreateContext();
            await use(db);
        }, DateTimeOffset.UtcNow);
        var (slug, topic) = (course.Course.Slug, course.Topics[0].Id);
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        var (_, learner) = await app.SignInAsync();

        var cohort = await CreatedAsync(HttpMethod.Post, $"manage/courses/{slug}/cohorts", admin, new { name = $"Cohort {Guid.NewGuid():N}" }, "id");
        await CreatedAsync(HttpMethod.Put, $"manage/cohorts/{cohort}/projects/1", admin, new { title = "Build", tagline = "A network", description = "Subnets for three tiers." }, "batchNo");
        await CreatedAsync(HttpMethod.Post, $"manage/courses/{slug}/quiz-questions", admin, new
        {
            moduleNo = 1, topicPairIndex = 1, question = "Which port is HTTPS?",
            options = new[] { new { text = "443", isCorrect = true }, new { text = "80", isCorrect = false } },
        }, "id");
        await CreatedAsync(HttpMethod.Post, $"manage/topics/{topic}/prompt-suggestions", admin, new { prompt = "What is a subnet?", answer = "A range of addresses." }, "id");
        await CreatedAsync(HttpMethod.Post, $"manage/topics/{topic}/cold-call-prompts", admin, new { prompt = "Why split a network?" }, "id");
        await CreatedAsync(HttpMethod.Put, $"manage/topics/{topic}/simulation", admin, new { title = "Carve a VNet" }, "id");
        await CreatedAsync(HttpMethod.Put, $"manage/topics/{topic}/assets/intro?persona=pseudo_coder", admin, new { contentType = "text", payload = new { markdown = "Kick-off." } }, "id");
        await CreatedAsync(HttpMethod.Put, $"manage/pages/about-{Guid.NewGuid():N}", admin, new { title = "About", content = new { markdown = "Hello." } }, "slug");
        await CreatedAsync(HttpMethod.Post, "tutor-applications", null, new
        {
            fullName = "Ada Applicant", email = $"ada-{Guid.NewGuid():N}@example.com", expertise = Expertise,
            motivation = "I would love to teach subnetting to everyone here.",
        }, "id", reader: admin);
        // The 201's body is the change ({ outcome, cart }); its Location is the new line.
        await CreatedAsync(HttpMethod.Post, "cart/lines", learner, new { course = slug }, "courseId", expected: course.Course.Id.ToString());
    }

    [Fact]
    public async Task A_body_breaking_a_rule_the_schemas_state_is_a_400_naming_the_field_and_fails_the_schema_too()
    {
        var document = await DocumentAsync();
        var course = await LearningCourse.CreateAsync(async use =>
        {
            await using var db = app.Database.CreateContext();
            await use(db);
        }, DateTimeOffset.UtcNow);
        var slug = course.Course.Slug;
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        var (_, learner) = await app.SignInAsync();
        var topicId = course.Topics[0].Id;

        // Each case: the operation, a body the API refuses (naming the field) and the same body made valid: the schema
        // refuses the first and accepts the second, so the rule it states is the one the API enforces.
        var layout = new JsonObject { ["version"] = "1", ["blocks"] = new JsonArray(new JsonObject { ["id"] = "a", ["type"] = "text", ["data"] = new JsonObject { ["markdown"] = "Hi" } }) };
        JsonObject Topic() => new() { ["moduleNo"] = 1, ["topicNumber"] = 90, ["name"] = "Rules" };
        JsonObject Question(bool first, bool second) => new()
        {
            ["moduleNo"] = 1, ["topicPairIndex"] = 1, ["question"] = "Which port is HTTPS?",
            ["options"] = new JsonArray(new JsonObject { ["text"] = "443", ["isCorrect"] = first }, new JsonObject { ["text"] = "80", ["isCorrect"] = second }),
        };
        JsonObject Application(string link) => new()
        {
            ["fullName"] = "Ada Applicant", ["email"] = $"ada-{Guid.NewGuid():N}@example.com", ["expertise"] = new JsonArray("Networking"),
            ["motivation"] = "I would love to teach subnetting to everyone here.", ["links"] = new JsonArray(link),
        };
        var cases = new (string Url, string Path, string? Token, string Field, JsonObject Refused, JsonObject Valid)[]
        {
            ("manage/courses", "/manage/courses", admin, "thumbnailUrl",
                new JsonObject { ["slug"] = $"rules-{Guid.NewGuid():N}"[..20], ["name"] = "Rules", ["thumbnailUrl"] = "javascript:alert(1)" },
                new JsonObject { ["slug"] = "rules", ["name"] = "Rules", ["thumbnailUrl"] = "https://cdn.example.com/t.png" }),
            ($"manage/courses/{slug}/topics", "/manage/courses/{course}/topics", admin, "videoUrl",
                With(Topic(), "videoUrl", "ftp://videos.example/x.mp4"), With(Topic(), "videoUrl", "https://videos.example/x.mp4")),
            ($"manage/courses/{slug}/topics", "/manage/courses/{course}/topics", admin, "pptUrl",
                With(Topic(), "pptUrl", "deck.pptx"), With(Topic(), "pptUrl", "https://files.example/deck.pptx")),
            ("tutor-applications", "/tutor-applications", null, "links[0]", Application("javascript:alert(1)"), Application("https://ada.example.org")),
            ($"manage/courses/{slug}/topics", "/manage/courses/{course}/topics", admin, "text",
                With(With(Topic(), "layout", layout.DeepClone()), "text", "Plain text too."), With(With(Topic(), "layout", layout.DeepClone()), "text", " ")),
            ($"courses/{slug}/tutor/ask", "/courses/{course}/tutor/ask", learner, "question",
                new JsonObject { ["topicId"] = topicId, ["question"] = "What is a subnet?", ["suggestionId"] = Guid.NewGuid() },
                new JsonObject { ["topicId"] = topicId, ["question"] = "What is a subnet?", ["suggestionId"] = null }),
            ($"courses/{slug}/tutor/ask", "/courses/{course}/tutor/ask", learner, "question",
                new JsonObject { ["topicId"] = topicId, ["question"] = "  " }, new JsonObject { ["topicId"] = topicId, ["question"] = "  ", ["suggestionId"] = Guid.NewGuid() }),
            ($"manage/courses/{slug}/quiz-questions", "/manage/courses/{course}/quiz-questions", admin, "options", Question(true, true), Question(false, true)),
            ($"manage/courses/{slug}/quiz-questions", "/manage/courses/{course}/quiz-questions", admin, "options", Question(false, false), Question(true, false)),
        };
        foreach (var (url, path, token, field, refused, valid) in cases)
        {
            var (_, problem) = await Check(document, HttpMethod.Post, url, path, token, HttpStatusCode.BadRequest, refused);
            AssertProblem(problem, ProblemCodes.ValidationFailed);
            Assert.True(problem["errors"]!.AsObject().Select(e => e.Key).SequenceEqual([field]), $"POST {url} {refused.ToJsonString()}: {problem.ToJsonString()}");
            samples.Add(new JsonObject { ["path"] = path, ["method"] = "post", ["request"] = true, ["valid"] = false, ["mediaType"] = "application/json", ["body"] = refused.DeepClone() });
            samples.Add(new JsonObject { ["path"] = path, ["method"] = "post", ["request"] = true, ["mediaType"] = "application/json", ["body"] = valid.DeepClone() });
        }
        await ValidateSamplesAsync("request-rules");
    }

    private static JsonObject With(JsonObject body, string name, JsonNode? value)
    {
        body[name] = value;
        return body;
    }

    /// <summary>
    /// Sends a create, expects 201 with a path-absolute <c>Location</c>, and GETs it (as <paramref name="reader"/>, else the
    /// creator): 200 with the same <paramref name="key"/>. Returns that key's value.
    /// </summary>
    private async Task<string> CreatedAsync(HttpMethod method, string path, string? token, object body, string key, string? reader = null, string? expected = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await app.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{method} {path}: {(int)response.StatusCode} {text}");
        var location = response.Headers.Location!;
        Assert.False(location.IsAbsoluteUri);
        Assert.StartsWith("/api/", location.OriginalString, StringComparison.Ordinal);

        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(app.Api.BaseAddress!, location));
        get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", reader ?? token);
        using var read = await app.Api.SendAsync(get);
        var readText = await read.Content.ReadAsStringAsync();
        Assert.True(read.StatusCode == HttpStatusCode.OK, $"GET {location} after {method} {path}: {(int)read.StatusCode} {readText}");
        var created = expected is null ? JsonNode.Parse(text)![key]!.ToJsonString() : JsonValue.Create(expected).ToJsonString();
        Assert.Equal(created, JsonNode.Parse(readText)![key]!.ToJsonString());
        return JsonNode.Parse(readText)![key]!.GetValue<object>().ToString()!;
    }

    /// <summary>A 201's <c>Location</c> answers GET (relative to the API's origin) with the resource the 201 returned.</summary>
    private async Task FollowLocationAsync(HttpResponseMessage created, JsonNode body, string token)
    {
        var location = created.Headers.Location!;
        Assert.False(location.IsAbsoluteUri);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(app.Api.BaseAddress!, location));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await app.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {location}: {(int)response.StatusCode} {text}");
        Assert.Equal(body["id"]!.GetValue<string>(), JsonNode.Parse(text)!["id"]!.GetValue<string>());
    }

    /// <summary>Sends the request, and validates the response body against the schema the document declares for the operation and status.</summary>
    private readonly JsonArray samples = [];

    /// <summary>Validates every response <see cref="Check"/> collected with ajv (JSON Schema 2020-12, formats on) against the document.</summary>
    private async Task ValidateSamplesAsync(string name)
    {
        var file = Path.Combine(Paths.TestResults("api-contract"), $"{name}.samples.json");
        await File.WriteAllTextAsync(file, samples.ToJsonString());
        var (exitCode, output) = await NodeTools.RunAsync("node", "validate-responses.mjs", await ContractDocument.FileAsync(), file);
        Assert.True(exitCode == 0, $"validate-responses.mjs failed ({exitCode}):\n{output}");
        using var report = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        Assert.Equal(samples.Count, report.RootElement.GetProperty("checked").GetInt32());
        var failures = report.RootElement.GetProperty("failures").EnumerateArray().Select(f => f.GetString()).ToList();
        Assert.True(failures.Count == 0, string.Join("\n\n", failures));
    }

    private async Task<(HttpResponseMessage Response, JsonNode Body)> Check(JsonObject document, HttpMethod method, string url, string path, string? token,
        HttpStatusCode expected = HttpStatusCode.OK, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        var response = await app.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {url}: expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        var mediaType = response.Content.Headers.ContentType!.MediaType!;
        var operation = document["paths"]![path]?[method.Method.ToLowerInvariant()]
            ?? throw new InvalidOperationException($"The document has no {method} {path}.");
        var declared = operation["responses"]?[((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture)]?["content"]?[mediaType]?["schema"];
        Assert.True(declared is not null, $"{method} {path} answered {(int)expected} {mediaType}, which the document does not declare");

        var node = JsonNode.Parse(text)!;
        samples.Add(new JsonObject
        {
            ["path"] = path, ["method"] = method.Method.ToLowerInvariant(),
            ["status"] = ((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture), ["mediaType"] = mediaType, ["body"] = node.DeepClone(),
        });
        return (response, node);
    }
}
