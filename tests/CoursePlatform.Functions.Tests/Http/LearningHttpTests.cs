using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Http;

/// <summary>Progress and quizzes over HTTP through the real app: routes, bodies, status codes, headers, problem+json.</summary>
public abstract class LearningHttpScenarios(HostedApp app)
{
    private async Task<string> SignedIn() => (await app.SignInAsync()).Token;

    private Task<LearningCourse> CourseAsync() => LearningCourse.CreateAsync(async use =>
    {
        await using var db = app.Database.CreateContext();
        await use(db);
    }, DateTimeOffset.UtcNow);

    private async Task<(HttpResponseMessage Response, JsonElement Body)> Send(HttpMethod method, string path, string token, object? body = null, string? raw = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (raw is not null) request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        var response = await app.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return (response, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private static void Expect(HttpStatusCode status, (HttpResponseMessage Response, JsonElement Body) result)
    {
        Assert.True(result.Response.StatusCode == status, $"expected {status}, got {result.Response.StatusCode}: {result.Body}");
        var mediaType = result.Response.Content.Headers.ContentType?.MediaType;
        Assert.Equal((int)status >= 400 ? "application/problem+json" : "application/json", mediaType);
    }

    /// <summary>Answers every question: right ones for the first <paramref name="correct"/>, wrong after.</summary>
    private static object Answers(JsonElement attempt, int correct) => new
    {
        answers = attempt.GetProperty("questions").EnumerateArray().Select((q, i) => new
        {
            questionId = q.GetProperty("id").GetGuid(),
            optionId = q.GetProperty("options").EnumerateArray()
                .First(o => (o.GetProperty("text").GetString() == LearningCourse.Right) == (i < correct)).GetProperty("id").GetGuid(),
        }).ToList(),
    };

    [Fact]
    public async Task A_learner_records_progress_walks_module_1_and_sees_module_2_unlock()
    {
        var course = await CourseAsync();
        var slug = course.Course.Slug;
        var token = await SignedIn();
        Expect(HttpStatusCode.Created, await Send(HttpMethod.Post, $"courses/{slug}/enroll", token));

        var progress = await Send(HttpMethod.Put, $"topics/{course.Topics[0].Id}/progress", token, new { status = "completed" });
        Expect(HttpStatusCode.OK, progress);
        Assert.Equal(1.0, progress.Body.GetProperty("progress").GetDouble());
        Assert.True(progress.Response.Headers.CacheControl is { Private: true, NoCache: true });
        var bad = await Send(HttpMethod.Put, $"topics/{course.Topics[0].Id}/progress", token, raw: """{ "status": "done" }""");
        Expect(HttpStatusCode.BadRequest, bad);
        Assert.True(bad.Body.GetProperty("errors").TryGetProperty("status", out _));

        var locked = await Send(HttpMethod.Post, $"courses/{slug}/quiz/attempts", token, new { moduleNo = 2, topicPairIndex = 1 });
        Expect(HttpStatusCode.Forbidden, locked);

        // A learner's limit is ignored: the server decides the length (5 of the pair's 6 questions).
        var pair1 = await Send(HttpMethod.Post, $"courses/{slug}/quiz/attempts", token, new { moduleNo = 1, topicPairIndex = 1, limit = 1 });
        Expect(HttpStatusCode.Created, pair1);
        Assert.Equal(5, pair1.Body.GetProperty("questions").GetArrayLength());
        Assert.DoesNotContain("correct", pair1.Body.GetRawText(), StringComparison.OrdinalIgnoreCase);
        // The attempt's Location answers GET with the same questions, for its learner only.
        var atLocation = await Send(HttpMethod.Get, pair1.Response.Headers.Location!.ToString(), token);
        Expect(HttpStatusCode.OK, atLocation);
        Assert.Equal(pair1.Body.GetProperty("questions").GetRawText(), atLocation.Body.GetProperty("questions").GetRawText());
        Assert.Equal(JsonValueKind.Null, atLocation.Body.GetProperty("submittedAt").ValueKind);
        Expect(HttpStatusCode.NotFound, await Send(HttpMethod.Get, pair1.Response.Headers.Location!.ToString(), await SignedIn()));
        var pair1Result = await Send(HttpMethod.Post, $"quiz/attempts/{pair1.Body.GetProperty("id")}/submit", token, Answers(pair1.Body, 5));
        Expect(HttpStatusCode.OK, pair1Result);
        Assert.False(pair1Result.Body.GetProperty("module").GetProperty("passed").GetBoolean());

        var pair2 = await Send(HttpMethod.Post, $"courses/{slug}/quiz/attempts", token, new { moduleNo = 1, topicPairIndex = 2 });
        var pair2Path = $"quiz/attempts/{pair2.Body.GetProperty("id")}/submit";
        var passed = await Send(HttpMethod.Post, pair2Path, token, Answers(pair2.Body, 4));
        Expect(HttpStatusCode.OK, passed);
        Assert.Equal((80, true), (passed.Body.GetProperty("score").GetInt32(), passed.Body.GetProperty("passed").GetBoolean()));
        Assert.True(passed.Body.GetProperty("module").GetProperty("passed").GetBoolean());
        Assert.True(passed.Body.GetProperty("nextModule").GetProperty("unlocked").GetBoolean());
        Expect(HttpStatusCode.Conflict, await Send(HttpMethod.Post, pair2Path, token, Answers(pair2.Body, 4)));
        Expect(HttpStatusCode.NotFound, await Send(HttpMethod.Post, pair2Path, await SignedIn(), Answers(pair2.Body, 4)));

        var sections = await Send(HttpMethod.Get, $"courses/{course.Course.Id}/quiz/sections", token);
        Expect(HttpStatusCode.OK, sections);
        var module2 = sections.Body.GetProperty("modules")[1];
        Assert.True(module2.GetProperty("state").GetProperty("unlocked").GetBoolean());
        Assert.True(module2.GetProperty("sections")[0].GetProperty("available").GetBoolean());

        // A failure in module 2 closes it: 409 with Retry-After.
        var m2 = await Send(HttpMethod.Post, $"courses/{slug}/quiz/attempts", token, new { moduleNo = 2, topicPairIndex = 1 });
        var failed = await Send(HttpMethod.Post, $"quiz/attempts/{m2.Body.GetProperty("id")}/submit", token, Answers(m2.Body, 0));
        Assert.False(failed.Body.GetProperty("passed").GetBoolean());
        var cooling = await Send(HttpMethod.Post, $"courses/{slug}/quiz/attempts", token, new { moduleNo = 2, topicPairIndex = 1 });
        Expect(HttpStatusCode.Conflict, cooling);
        Assert.NotNull(cooling.Response.Headers.RetryAfter);

        var summary = await Send(HttpMethod.Get, $"courses/{slug}/progress", token);
        Expect(HttpStatusCode.OK, summary);
        Assert.Equal(1, summary.Body.GetProperty("topicsCompleted").GetInt32());
        Assert.Equal(JsonValueKind.String, summary.Body.GetProperty("modules")[1].GetProperty("state").GetProperty("cooldownUntil").ValueKind);
    }
}

/// <summary>These scenarios on the app as it runs locally.</summary>
public sealed class LearningHttpTests(HostedApp app) : LearningHttpScenarios(app), IClassFixture<HostedApp>;

/// <summary>The same scenarios with the app behind PgBouncer in transaction mode, as in Azure.</summary>
public sealed class LearningThroughPgBouncerTests(Reliability.PgBouncerApp app) : LearningHttpScenarios(app), IClassFixture<Reliability.PgBouncerApp>;

/// <summary>The same scenarios with the app connected as a DML-only role, as its identity is in Azure (least privilege is enough).</summary>
public sealed class LearningAsDmlOnlyRoleTests(Security.DmlOnlyApp app) : LearningHttpScenarios(app), IClassFixture<Security.DmlOnlyApp>;
