using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.ContentAdmin;

/// <summary>Content administration as a client sees it (local host, real worker): a course built from nothing, ETags, and the audit trail.</summary>
public abstract class ContentAdminHttpScenarios(HostedApp app)
{
    private sealed record Reply(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response);

    private async Task<Reply> Send(string? token, string method, string path, object? body = null, string? ifNoneMatch = null, string? ifMatch = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (ifNoneMatch is not null) request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        if (ifMatch is not null) request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        if (body is not null) request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        var response = await app.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return new Reply(response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone(), response);
    }

    private async Task<JsonElement> Ok(string? token, string method, string path, object? body = null)
    {
        var reply = await Send(token, method, path, body);
        Assert.True((int)reply.Status is >= 200 and < 300, $"{method} {path}: {(int)reply.Status} {reply.Body}");
        return reply.Body;
    }

    /// <summary>
    /// Two admins read the resource at <paramref name="path"/>; one replaces it with the ETag read (200, answering the next
    /// GET's ETag), then the other's PUT and DELETE with that now stale ETag are 412 and change nothing. The current ETag.
    /// </summary>
    private async Task<string> EditedWithIfMatchAsync(string admin, string path, object edit, object lost, string field, string edited)
    {
        var etag = (await Send(admin, "GET", path)).Response.Headers.ETag!.Tag;
        var replaced = await Send(admin, "PUT", path, edit, ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        var current = replaced.Response.Headers.ETag!.Tag;
        Assert.Equal(current, (await Send(admin, "GET", path)).Response.Headers.ETag!.Tag);

        var stale = await Send(admin, "PUT", path, lost, ifMatch: etag);
        Assert.Equal((HttpStatusCode.PreconditionFailed, ProblemCodes.PreconditionFailed.Code), (stale.Status, stale.Body.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(admin, "DELETE", path, ifMatch: etag)).Status);
        Assert.Equal(edited, (await Ok(admin, "GET", path)).GetProperty(field).GetString());
        return current;
    }

    private static readonly string[] Networks = ["Networks"];

    private static object Layout => new
    {
        version = "1",
        blocks = new object[]
        {
            new { id = "intro", type = "text", contentKey = "intro" },
            new { id = "diagram", type = "image", contentKey = "diagram" },
            new { id = "recap", type = "text", data = new { markdown = "Recap: a /24 holds 254 hosts." } },
        },
    };

    [Fact]
    public async Task Two_admins_editing_one_topic_with_if_match_cannot_undo_each_other()
    {
        var admin = (await app.SignInAsync(UserRole.Admin)).Token;
        var slug = $"edits-{Guid.NewGuid():N}"[..16];
        await Ok(admin, "POST", "manage/courses", new { slug, name = "Concurrent edits", isPublished = false });
        var topicId = (await Ok(admin, "POST", $"manage/courses/{slug}/topics", new { moduleNo = 1, topicNumber = 1, name = "Subnets", layout = Layout })).GetProperty("id").GetString();

        // Both read the topic; A renames it with the ETag it read.
        var read = await Send(admin, "GET", $"manage/topics/{topicId}");
        var etag = read.Response.Headers.ETag!.Tag;
        var renamed = await Send(admin, "PATCH", $"manage/courses/{slug}/topics/{topicId}", new { name = "Subnets, renamed" }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, renamed.Status);
        Assert.NotEqual(etag, renamed.Response.Headers.ETag!.Tag);
        Assert.Equal(renamed.Response.Headers.ETag!.Tag, (await Send(admin, "GET", $"manage/topics/{topicId}")).Response.Headers.ETag!.Tag);

        // B's edit, made on what it read before the rename, is refused and changes nothing.
        var stale = await Send(admin, "PATCH", $"manage/courses/{slug}/topics/{topicId}", new { isPreview = true }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Equal(ProblemCodes.PreconditionFailed.Code, stale.Body.GetProperty("code").GetString());
        var now = await Ok(admin, "GET", $"manage/topics/{topicId}");
        Assert.Equal(("Subnets, renamed", false), (now.GetProperty("name").GetString(), now.GetProperty("isPreview").GetBoolean()));

        // The course works the same way; without If-Match a change applies as before.
        var course = await Send(admin, "GET", $"manage/courses/{slug}");
        Assert.Equal(HttpStatusCode.OK, (await Send(admin, "PATCH", $"manage/courses/{slug}", new { name = "Edits, renamed" }, ifMatch: course.Response.Headers.ETag!.Tag)).Status);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(admin, "PATCH", $"manage/courses/{slug}", new { name = "Lost" }, ifMatch: course.Response.Headers.ETag!.Tag)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(admin, "PATCH", $"manage/courses/{slug}", new { description = "Applies." })).Status);
    }

    [Fact]
    public async Task Two_admins_editing_one_asset_with_if_match_cannot_undo_each_other()
    {
        var admin = (await app.SignInAsync(UserRole.Admin)).Token;
        var slug = $"assets-{Guid.NewGuid():N}"[..16];
        await Ok(admin, "POST", "manage/courses", new { slug, name = "Concurrent asset edits", isPublished = false });
        var topicId = (await Ok(admin, "POST", $"manage/courses/{slug}/topics", new { moduleNo = 1, topicNumber = 1, name = "Subnets", layout = Layout })).GetProperty("id").GetString();
        var path = $"manage/topics/{topicId}/assets/intro";
        var created = await Send(admin, "PUT", path, new { contentType = "text", payload = new { markdown = "First text." } });
        Assert.Equal(HttpStatusCode.Created, created.Status);

        // The GET's ETag is the one the PUT answered with; A replaces the text with it and gets the next one.
        var etag = (await Send(admin, "GET", path)).Response.Headers.ETag!.Tag;
        Assert.Equal(created.Response.Headers.ETag!.Tag, etag);
        var replaced = await Send(admin, "PUT", path, new { contentType = "text", payload = new { markdown = "A's text." } }, ifMatch: etag);
        Assert.Equal(HttpStatusCode.OK, replaced.Status);
        Assert.NotEqual(etag, replaced.Response.Headers.ETag!.Tag);

        // B, on the text it read before, is refused (put or delete) and changes nothing.
        var stale = await Send(admin, "PUT", path, new { contentType = "text", payload = new { markdown = "B's text." } }, ifMatch: etag);
        Assert.Equal((HttpStatusCode.PreconditionFailed, ProblemCodes.PreconditionFailed.Code), (stale.Status, stale.Body.GetProperty("code").GetString()));
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await Send(admin, "DELETE", path, ifMatch: etag)).Status);
        Assert.Equal("A's text.", (await Ok(admin, "GET", path)).GetProperty("payload").GetProperty("markdown").GetString());

        // Deleted with the current ETag; an If-Match then names nothing that exists: 412, not a silent re-creation.
        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, "DELETE", path, ifMatch: replaced.Response.Headers.ETag!.Tag)).Status);
        var gone = await Send(admin, "PUT", path, new { contentType = "text", payload = new { markdown = "Back?" } }, ifMatch: replaced.Response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.PreconditionFailed, gone.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(admin, "GET", path)).Status);
        // Without If-Match a change applies as before.
        Assert.Equal(HttpStatusCode.Created, (await Send(admin, "PUT", path, new { contentType = "text", payload = new { markdown = "Again." } })).Status);

        // The ETag a PUT answers with is the GET's, whatever the order of the payload's keys (jsonb keeps its own).
        var image = $"manage/topics/{topicId}/assets/diagram";
        var put = await Send(admin, "PUT", image, new { contentType = "image", payload = new { url = "https://cdn.example/net.png", alt = "A network", title = "Subnets" } });
        Assert.Equal(HttpStatusCode.Created, put.Status);
        Assert.Equal(put.Response.Headers.ETag!.Tag, (await Send(admin, "GET", image)).Response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, (await Send(admin, "PUT", image, new { contentType = "image", payload = new { url = "https://cdn.example/net2.png", alt = "B" } },
            ifMatch: put.Response.Headers.ETag!.Tag)).Status);
    }

    [Fact]
    public async Task Two_admins_editing_one_quiz_question_with_if_match_cannot_undo_each_other()
    {
        var admin = (await app.SignInAsync(UserRole.Admin)).Token;
        var slug = $"quiz-{Guid.NewGuid():N}"[..16];
        await Ok(admin, "POST", "manage/courses", new { slug, name = "Concurrent quiz edits", isPublished = false });
        await Ok(admin, "POST", $"manage/courses/{slug}/topics", new { moduleNo = 1, topicNumber = 1, name = "Subnets", layout = Layout });
        object Question(string text) => new
        {
            moduleNo = 1, topicPairIndex = 1, question = text,
            options = new object[] { new { text = "254", isCorrect = true }, new { text = "256", isCorrect = false } },
        };
        var id = (await Ok(admin, "POST", $"manage/courses/{slug}/quiz-questions", Question("How many hosts fit in a /24?"))).GetProperty("id").GetString();
        var path = $"manage/courses/{slug}/quiz-questions/{id}";

        var current = await EditedWithIfMatchAsync(admin, path, Question("How many usable hosts fit in a /24?"), Question("Lost edit"), "question", "How many usable hosts fit in a /24?");
        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, "DELETE", path, ifMatch: current)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(admin, "GET", path)).Status);
    }

    [Theory]
    [InlineData("prompt-suggestions")]
    [InlineData("cold-call-prompts")]
    [InlineData("simulation")]
    public async Task Two_admins_editing_one_topic_material_with_if_match_cannot_undo_each_other(string kind)
    {
        var admin = (await app.SignInAsync(UserRole.Admin)).Token;
        var slug = $"mat-{Guid.NewGuid():N}"[..16];
        await Ok(admin, "POST", "manage/courses", new { slug, name = "Concurrent material edits", isPublished = false });
        var topicId = (await Ok(admin, "POST", $"manage/courses/{slug}/topics", new { moduleNo = 1, topicNumber = 1, name = "Subnets", layout = Layout })).GetProperty("id").GetString();
        // A body per kind; the simulation's payload has several keys, which jsonb stores in its own order.
        object Body(string text) => kind switch
        {
            "prompt-suggestions" => new { prompt = text, answer = "Because a /24 has 256 addresses." },
            "cold-call-prompts" => new { prompt = text },
            _ => new { title = text, instructions = "Make four subnets.", payload = new { kind = "split", prefix = "10.0.0.0/24", answers = new[] { "/26" } } },
        };
        var path = kind == "simulation"
            ? $"manage/topics/{topicId}/simulation"
            : $"manage/topics/{topicId}/{kind}/" + (await Ok(admin, "POST", $"manage/topics/{topicId}/{kind}", Body("Why 254 hosts?"))).GetProperty("id").GetString();
        if (kind == "simulation") await Ok(admin, "PUT", path, Body("Why 254 hosts?"));

        var current = await EditedWithIfMatchAsync(admin, path, Body("Why 254 usable hosts?"), Body("Lost edit"), kind == "simulation" ? "title" : "prompt", "Why 254 usable hosts?");

        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, "DELETE", path, ifMatch: current)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(admin, "GET", path)).Status);
        // Replacing what is gone: 404 for an item (as a quiz question); the simulation, which a PUT creates, is never
        // silently re-created by a PUT whose If-Match named the deleted one.
        Assert.Equal(kind == "simulation" ? HttpStatusCode.PreconditionFailed : HttpStatusCode.NotFound,
            (await Send(admin, "PUT", path, Body("Back again"), ifMatch: current)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Send(admin, "GET", path)).Status);
    }

    [Fact]
    public async Task An_admin_builds_a_course_from_nothing_and_a_learner_enrols_and_reads_it()
    {
        var admin = (await app.SignInAsync(UserRole.Admin)).Token;
        var slug = $"subnets-{Guid.NewGuid():N}"[..16];
        var course = await Ok(admin, "POST", "manage/courses", new { slug, name = "Subnetting in a week", price = 0, currency = "USD", enrollmentMode = "open", isPublished = false });
        var courseId = course.GetProperty("id").GetString();
        var topic = await Ok(admin, "POST", $"manage/courses/{slug}/topics", new { moduleNo = 1, topicNumber = 1, name = "What a subnet is", layout = Layout });
        var topicId = topic.GetProperty("id").GetString();
        Assert.Equal(["diagram", "intro"], topic.GetProperty("missingDefaultAssets").EnumerateArray().Select(k => k.GetString()).Order());
        await Ok(admin, "PUT", $"manage/topics/{topicId}/assets/intro", new { contentType = "text", payload = new { markdown = "A subnet is a slice of a network." } });
        await Ok(admin, "PUT", $"manage/topics/{topicId}/assets/intro?persona=non_it_migrant", new { contentType = "text", payload = new { markdown = "Like flats sharing one street address." } });
        await Ok(admin, "PUT", $"manage/topics/{topicId}/assets/diagram", new { contentType = "image", payload = new { url = "https://cdn.example/subnet.png", alt = "A network cut in four" } });
        await Ok(admin, "POST", $"manage/courses/{slug}/quiz-questions", new
        {
            moduleNo = 1, topicPairIndex = 1, question = "How many hosts fit in a /24?",
            options = new object[] { new { text = "254", isCorrect = true }, new { text = "256", isCorrect = false } },
        });
        Assert.Equal(0, (await Ok(null, "GET", $"courses?q={Uri.EscapeDataString("Subnetting in a week")}")).GetProperty("total").GetInt32());

        // A merge patch: publishing changes that field only.
        var published = await Ok(admin, "PATCH", $"manage/courses/{slug}", new { isPublished = true });
        Assert.Equal((true, "Subnetting in a week", 1), (published.GetProperty("isPublished").GetBoolean(), published.GetProperty("name").GetString(), published.GetProperty("moduleCount").GetInt32()));
        Assert.Equal(1, (await Ok(null, "GET", $"courses?q={Uri.EscapeDataString("Subnetting in a week")}")).GetProperty("total").GetInt32());

        var (_, learner) = await app.SignInAsync();
        Assert.Equal("active", (await Ok(learner, "POST", $"courses/{slug}/enroll")).GetProperty("status").GetString());
        var lesson = await Ok(learner, "GET", $"topics/{topicId}/content");
        var blocks = lesson.GetProperty("layout").GetProperty("blocks").EnumerateArray().ToDictionary(b => b.GetProperty("id").GetString()!, b => b.GetProperty("data"));
        Assert.Equal("A subnet is a slice of a network.", blocks["intro"].GetProperty("markdown").GetString());
        Assert.Equal("A network cut in four", blocks["diagram"].GetProperty("alt").GetString());
        Assert.Equal("Recap: a /24 holds 254 hosts.", blocks["recap"].GetProperty("markdown").GetString());

        // A topic edit changes the course detail's ETag; unpublishing changes the catalog's and hides the course.
        var detail = await Send(learner, "GET", $"courses/{courseId}");
        var etag = detail.Response.Headers.ETag!.Tag;
        Assert.Equal(HttpStatusCode.NotModified, (await Send(learner, "GET", $"courses/{courseId}", ifNoneMatch: etag)).Status);
        var patchedTopic = await Ok(admin, "PATCH", $"manage/courses/{slug}/topics/{topicId}", """{"layout":{"blocks":[{"id":"recap","type":"text","data":{"markdown":"Recap, revised."}}]}}""");
        Assert.Equal("What a subnet is", patchedTopic.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Send(learner, "GET", $"courses/{courseId}", ifNoneMatch: etag)).Status);
        var revised = await Ok(learner, "GET", $"topics/{topicId}/content");
        Assert.Equal(["recap"], revised.GetProperty("layout").GetProperty("blocks").EnumerateArray().Select(b => b.GetProperty("id").GetString()));
        // The tutor's index follows the edit at once: the search finds the revised text, and the replaced one no more.
        var found = await Ok(learner, "GET", $"courses/{slug}/search?q={Uri.EscapeDataString("Recap, revised")}&k=5");
        var contents = found.GetProperty("items").EnumerateArray().Select(h => h.GetProperty("content").GetString()!).ToList();
        Assert.Contains(contents, c => c.Contains("Recap, revised.", StringComparison.Ordinal));
        Assert.DoesNotContain(contents, c => c.Contains("254 hosts", StringComparison.Ordinal));

        var catalog = await Send(null, "GET", "courses");
        await Ok(admin, "PATCH", $"manage/courses/{slug}", new { isPublished = false });
        var after = await Send(null, "GET", "courses", ifNoneMatch: catalog.Response.Headers.ETag!.Tag);
        Assert.Equal(HttpStatusCode.OK, after.Status);
        Assert.DoesNotContain(after.Body.GetProperty("items").EnumerateArray(), c => c.GetProperty("slug").GetString() == slug);

        // A bad patch is refused field by field and changes nothing; delete is refused while a learner is enrolled.
        var bad = await Send(admin, "PATCH", $"manage/courses/{slug}", new { slug = "Not A Slug", price = -1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(["price", "slug"], bad.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal(HttpStatusCode.Conflict, (await Send(admin, "DELETE", $"manage/courses/{slug}")).Status);
    }

    [Fact]
    public async Task Hostile_lesson_content_is_refused_by_field_and_a_learner_is_never_served_it()
    {
        var admin = (await app.SignInAsync(UserRole.Admin)).Token;
        var slug = $"xss-{Guid.NewGuid():N}"[..16];
        await Ok(admin, "POST", "manage/courses", new { slug, name = "Safe lessons", price = 0, currency = "USD", enrollmentMode = "open", isPublished = true });
        var hostileLayout = new
        {
            version = "1",
            blocks = new object[]
            {
                new { id = "intro", type = "text", contentKey = "intro" },
                new { id = "evil", type = "text", data = new { markdown = "Hi <img src=x onerror=alert(1)>", href = "javascript:alert(1)" } },
            },
        };
        var refusedTopic = await Send(admin, "POST", $"manage/courses/{slug}/topics", new { moduleNo = 1, topicNumber = 1, name = "Evil", isPreview = true, layout = hostileLayout });
        Assert.Equal(HttpStatusCode.BadRequest, refusedTopic.Status);
        Assert.Equal(["layout.blocks[1].data.href", "layout.blocks[1].data.markdown"],
            refusedTopic.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());

        var topic = await Ok(admin, "POST", $"manage/courses/{slug}/topics", new { moduleNo = 1, topicNumber = 1, name = "Safe", isPreview = true, layout = Layout });
        var topicId = topic.GetProperty("id").GetString();
        var refusedAsset = await Send(admin, "PUT", $"manage/topics/{topicId}/assets/intro",
            new { contentType = "text", payload = new { markdown = "<script>alert(1)</script>[x](javascript:alert(1))", href = "javascript:alert(1)" } });
        Assert.Equal(HttpStatusCode.BadRequest, refusedAsset.Status);
        Assert.Equal(["payload.href", "payload.markdown"], refusedAsset.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order());
        var refusedImage = await Send(admin, "PUT", $"manage/topics/{topicId}/assets/diagram",
            new { contentType = "image", payload = new { url = "data:text/html,<script>alert(1)</script>", alt = "A" } });
        Assert.Equal(["payload.url"], refusedImage.Body.GetProperty("errors").EnumerateObject().Select(p => p.Name));
        await Ok(admin, "PUT", $"manage/topics/{topicId}/assets/intro", new { contentType = "text", payload = new { markdown = "A subnet is a [slice](https://example.com/subnets) of a network." } });

        var (_, learner) = await app.SignInAsync();
        var lesson = await Ok(learner, "GET", $"topics/{topicId}/content");
        var served = lesson.GetRawText();
        foreach (var bad in new[] { "<script", "onerror", "javascript:", "data:text/html" })
            Assert.DoesNotContain(bad, served, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("[slice](https://example.com/subnets)", served);
    }

    [Fact]
    public async Task Every_admin_write_route_is_recorded_exactly_once_with_who_and_a_compact_before_and_after()
    {
        var (adminUser, admin) = await app.SignInAsync(UserRole.Admin);
        var called = new List<string>();
        async Task<JsonElement> Write(string function, string method, string path, object? body = null)
        {
            called.Add(function);
            return await Ok(admin, method, path, body);
        }

        var slug = $"audit-{Guid.NewGuid():N}"[..14];
        var course = await Write("ManageCreateCourse", "POST", "manage/courses", new { slug, name = "Audited", isPublished = true });
        await Write("ManageUpdateCourse", "PATCH", $"manage/courses/{slug}", new { name = "Audited, renamed" });
        var topic = (await Write("ManageCreateTopic", "POST", $"manage/courses/{slug}/topics", new { moduleNo = 1, topicNumber = 1, name = "T1", layout = Layout })).GetProperty("id").GetString();
        var spare = (await Write("ManageCreateTopic", "POST", $"manage/courses/{slug}/topics", new { moduleNo = 1, topicNumber = 2, name = "T2" })).GetProperty("id").GetString();
        called.Remove("ManageCreateTopic"); // two topics, one route: counted below
        await Write("ManageUpdateTopic", "PATCH", $"manage/courses/{slug}/topics/{spare}", new { name = "T2, renamed" });
        await Write("ManageDeleteTopic", "DELETE", $"manage/courses/{slug}/topics/{spare}");
        await Write("ManagePutAsset", "PUT", $"manage/topics/{topic}/assets/intro", new { contentType = "text", payload = new { markdown = "Hello." } });
        await Write("ManageDeleteAsset", "DELETE", $"manage/topics/{topic}/assets/intro");
        var question = (await Write("ManageCreateQuizQuestion", "POST", $"manage/courses/{slug}/quiz-questions", new
        {
            moduleNo = 1, topicPairIndex = 1, question = "Q?", options = new object[] { new { text = "a", isCorrect = true }, new { text = "b", isCorrect = false } },
        })).GetProperty("id").GetString();
        await Write("ManageReplaceQuizQuestion", "PUT", $"manage/courses/{slug}/quiz-questions/{question}", new
        {
            moduleNo = 1, topicPairIndex = 1, question = "Q, again?", options = new object[] { new { text = "a", isCorrect = false }, new { text = "b", isCorrect = true } },
        });
        await Write("ManageDeleteQuizQuestion", "DELETE", $"manage/courses/{slug}/quiz-questions/{question}");
        var suggestion = (await Write("ManageCreatePromptSuggestion", "POST", $"manage/topics/{topic}/prompt-suggestions", new { prompt = "Why?", answer = "Because." })).GetProperty("id").GetString();
        await Write("ManageReplacePromptSuggestion", "PUT", $"manage/topics/{topic}/prompt-suggestions/{suggestion}", new { prompt = "Why not?", answer = "Because." });
        await Write("ManageDeletePromptSuggestion", "DELETE", $"manage/topics/{topic}/prompt-suggestions/{suggestion}");
        var prompt = (await Write("ManageCreateColdCallPrompt", "POST", $"manage/topics/{topic}/cold-call-prompts", new { prompt = "Explain a subnet." })).GetProperty("id").GetString();
        await Write("ManageReplaceColdCallPrompt", "PUT", $"manage/topics/{topic}/cold-call-prompts/{prompt}", new { prompt = "Explain a subnet to a friend." });
        await Write("ManageDeleteColdCallPrompt", "DELETE", $"manage/topics/{topic}/cold-call-prompts/{prompt}");
        await Write("ManagePutSimulation", "PUT", $"manage/topics/{topic}/simulation", new { title = "Split a /24" });
        await Write("ManageDeleteSimulation", "DELETE", $"manage/topics/{topic}/simulation");
        await Write("ManagePutPage", "PUT", $"manage/pages/audit-{Guid.NewGuid():N}"[..30], new { title = "Audit", content = new { markdown = "x" } });

        var cohort = (await Write("ManageCreateCohort", "POST", $"manage/courses/{slug}/cohorts", new { name = "Audit cohort" })).GetProperty("id").GetString();
        await Write("ManageUpdateCohort", "PATCH", $"manage/cohorts/{cohort}", new { name = "Audit cohort, renamed" });
        await Write("ManageUpsertCohortMembers", "POST", $"manage/cohorts/{cohort}/members", new { members = new[] { new { email = "member@example.com", batchNo = 1 } } });
        await Write("ManageRemoveCohortMembers", "DELETE", $"manage/cohorts/{cohort}/members?email=member@example.com");
        await Write("ManagePutCohortProject", "PUT", $"manage/cohorts/{cohort}/projects/1", new { title = "P", tagline = "T", description = "D" });
        await Write("ManageDeleteCohort", "DELETE", $"manage/cohorts/{cohort}");

        var approvedId = (await Ok(null, "POST", "tutor-applications", new { fullName = "A Tutor", email = $"a-{Guid.NewGuid():N}@example.com", expertise = Networks, motivation = "I have taught networks for years." })).GetProperty("id").GetString();
        var rejectedId = (await Ok(null, "POST", "tutor-applications", new { fullName = "B Tutor", email = $"b-{Guid.NewGuid():N}@example.com", expertise = Networks, motivation = "I have taught networks for years." })).GetProperty("id").GetString();
        var tutorId = (await Write("ApproveTutorApplication", "POST", $"manage/tutor-applications/{approvedId}/approve")).GetProperty("application").GetProperty("tutorId").GetString();
        await Write("RejectTutorApplication", "POST", $"manage/tutor-applications/{rejectedId}/reject", new { reason = "Not now." });
        await Write("ManageAssignTutor", "PUT", $"manage/courses/{slug}/tutors/{tutorId}");
        await Write("ManageUnassignTutor", "DELETE", $"manage/courses/{slug}/tutors/{tutorId}");

        var upload = await Write("CreateContentUpload", "POST", $"manage/courses/{slug}/uploads", new { fileName = "notes.vtt" });
        using (var put = new HttpRequestMessage(HttpMethod.Put, upload.GetProperty("uploadUrl").GetString()) { Content = new StringContent("WEBVTT\n\n00:00.000 --> 00:05.000\nSubnets split networks.\n") })
        {
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(put)).StatusCode);
        }
        // Whether the blob trigger got to it first or not, re-ingesting answers with the version's entry.
        Assert.Equal("notes.vtt", (await Write("ReingestContentSource", "POST", $"manage/courses/{slug}/sources/reingest?path=notes.vtt"))
            .GetProperty("source").GetString()!.Split('/')[^1]);
        await Write("DeleteContentSource", "DELETE", $"manage/courses/{slug}/sources?path=notes.vtt");
        var empty = $"empty-{Guid.NewGuid():N}"[..14];
        await Ok(admin, "POST", "manage/courses", new { slug = empty, name = "Empty" });
        await Write("ManageDeleteCourse", "DELETE", $"manage/courses/{empty}");

        // Every admin write function of the build is in the walk above (a new one fails here until it is added).
        // A refund needs an order paid through the Stripe stand-in: its audit row is checked in PaymentsHttpTests.
        var writes = FunctionRoutes.Http().Where(r => r.Route.StartsWith("manage/", StringComparison.Ordinal) && r.Method != "GET")
            .Select(r => r.Function).Where(f => f != "RefundOrder").Distinct().Order().ToList();
        Assert.Equal(writes, called.Order().ToList());

        await using var db = app.Database.CreateContext();
        var entries = await db.AdminAuditEntries.Where(e => e.ActorId == adminUser.Id).ToListAsync();
        var perAction = entries.GroupBy(e => e.Action).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(writes, w => Assert.Equal(w == "ManageCreateCourse" ? 2 : w == "ManageCreateTopic" ? 2 : 1, perAction.GetValueOrDefault(w)));
        Assert.Equal(writes.ToHashSet(), perAction.Keys.ToHashSet());

        var rename = entries.Single(e => e.Action == "ManageUpdateCourse");
        Assert.Equal(("course", Guid.Parse(course.GetProperty("id").GetString()!), "PATCH"), (rename.ResourceType, rename.ResourceId, rename.Method));
        Assert.Equal("""{"name":"Audited"}""", JsonSerializer.Serialize(JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(rename.Before!.RootElement.GetRawText())!.Where(p => p.Key != "updatedAt").ToDictionary()));
        Assert.Equal("Audited, renamed", rename.After!.RootElement.GetProperty("name").GetString());
        Assert.Null(entries.Single(e => e.Action == "ManageDeleteTopic").After);
        // Approval and staffing say what they changed, not only that they ran.
        var approval = entries.Single(e => e.Action == "ApproveTutorApplication");
        Assert.Equal(("pending", "approved"), (approval.Before!.RootElement.GetProperty("status").GetString(), approval.After!.RootElement.GetProperty("status").GetString()));
        Assert.All(entries.Where(e => e.Action is "ManageAssignTutor" or "ManageUnassignTutor"), e => Assert.True(e.Before is not null && e.After is not null));
        Assert.All(entries, e => Assert.Equal(adminUser.Email, e.ActorEmail));

        var listed = await Ok(admin, "GET", $"manage/audit?resource={course.GetProperty("id").GetString()}");
        // A source and a staffing have no id of their own: their entries carry their course's.
        Assert.Equal(["DeleteContentSource", "ReingestContentSource", "ManageUnassignTutor", "ManageAssignTutor", "ManageUpdateCourse", "ManageCreateCourse"], listed.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.Equal(adminUser.Email, listed.GetProperty("items")[4].GetProperty("actorEmail").GetString());
        var failed = await Send(admin, "PATCH", $"manage/courses/{slug}", new { price = -5 });
        Assert.Equal(HttpStatusCode.BadRequest, failed.Status);
        Assert.Equal(1, await db.AdminAuditEntries.CountAsync(e => e.Action == "ManageUpdateCourse" && e.ActorId == adminUser.Id));
    }
}

/// <summary>These scenarios on the app as it runs locally.</summary>
public sealed class ContentAdminHttpTests(HostedApp app) : ContentAdminHttpScenarios(app), IClassFixture<HostedApp>;

/// <summary>The same scenarios with the app behind PgBouncer in transaction mode, as in Azure.</summary>
public sealed class ContentAdminThroughPgBouncerTests(Reliability.PgBouncerApp app) : ContentAdminHttpScenarios(app), IClassFixture<Reliability.PgBouncerApp>;

/// <summary>The same scenarios with the app connected as a DML-only role, as its identity is in Azure (least privilege is enough).</summary>
public sealed class ContentAdminAsDmlOnlyRoleTests(Security.DmlOnlyApp app) : ContentAdminHttpScenarios(app), IClassFixture<Security.DmlOnlyApp>;
