using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Http;

/// <summary>The enrolment, cohort and cart routes over HTTP: wiring, auth middleware, bodies, status codes, problem+json.</summary>
public abstract class EnrollmentAndCartHttpScenarios(HostedApp hosted)
{
    private HttpClient Client => hosted.Api;

    private async Task<Course> CourseAsync(EnrollmentMode mode, decimal price = 0)
    {
        var now = DateTimeOffset.UtcNow;
        var course = Build.Course(now, name: "HTTP course", price: price, mode: mode);
        await using var db = hosted.Database.CreateContext();
        db.Courses.Add(course);
        await db.SaveChangesAsync();
        return course;
    }

    private async Task<HttpResponseMessage> Send(HttpMethod method, string path, string? token, object? body = null, string? rawJson = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = JsonContent.Create(body);
        if (rawJson is not null) request.Content = new StringContent(rawJson, System.Text.Encoding.UTF8, "application/json");
        return await Client.SendAsync(request);
    }

    private async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status, string mediaType = "application/json")
    {
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}\n{hosted.Host.Output}");
            if (text.Length == 0) return default;
            Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
            using var json = JsonDocument.Parse(text);
            return json.RootElement.Clone();
        }
    }

    [Fact]
    public async Task Enrol_over_http_checks_without_writing_then_creates_once_and_refuses_paid_and_anonymous()
    {
        var (learner, token) = await hosted.SignInAsync(UserRole.Learner);
        var free = await CourseAsync(EnrollmentMode.Open);
        var paid = await CourseAsync(EnrollmentMode.Open, price: 20);

        await Expect(await Send(HttpMethod.Post, $"courses/{free.Slug}/enroll", null), HttpStatusCode.Unauthorized, "application/problem+json");

        // A mistyped flag is refused, never read as "enrol".
        var typo = await Expect(await Send(HttpMethod.Post, $"courses/{free.Slug}/enroll?checkOnly=maybe", token), HttpStatusCode.BadRequest, "application/problem+json");
        Assert.True(typo.GetProperty("errors").TryGetProperty("checkOnly", out _));
        var check = await Expect(await Send(HttpMethod.Post, $"courses/{free.Slug}/enroll", token, new { checkOnly = true }), HttpStatusCode.OK);
        Assert.True(check.GetProperty("eligible").GetBoolean());
        Assert.Equal("free", check.GetProperty("reason").GetString());
        var mine = await Expect(await Send(HttpMethod.Get, "me/enrollments", token), HttpStatusCode.OK);
        Assert.Equal(0, mine.GetProperty("total").GetInt32());

        var enrolled = await Send(HttpMethod.Post, $"courses/{free.Slug}/enroll", token);
        var location = enrolled.Headers.Location!.ToString();
        var created = await Expect(enrolled, HttpStatusCode.Created);
        Assert.Equal("free", created.GetProperty("source").GetString());
        // The Location answers GET with the enrolment, for its owner; for anyone else it is not found.
        var atLocation = await Expect(await Send(HttpMethod.Get, location, token), HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetGuid(), atLocation.GetProperty("id").GetGuid());
        await Expect(await Send(HttpMethod.Get, location, (await hosted.SignInAsync(UserRole.Learner)).Token), HttpStatusCode.NotFound, "application/problem+json");
        var again = await Expect(await Send(HttpMethod.Post, $"courses/{free.Id}/enroll", token, new { checkOnly = false }), HttpStatusCode.OK);
        Assert.Equal(created.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());

        var refused = await Expect(await Send(HttpMethod.Post, $"courses/{paid.Slug}/enroll", token), HttpStatusCode.PaymentRequired, "application/problem+json");
        Assert.Contains("cart", refused.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);

        mine = await Expect(await Send(HttpMethod.Get, "me/enrollments", token), HttpStatusCode.OK);
        var item = Assert.Single(mine.GetProperty("items").EnumerateArray());
        Assert.Equal(free.Id, item.GetProperty("courseId").GetGuid());
        Assert.Equal(learner.Id, (await FindEnrollmentUser(free.Id)));
    }

    private async Task<Guid> FindEnrollmentUser(Guid courseId)
    {
        await using var db = hosted.Database.CreateContext();
        return db.Enrollments.Where(e => e.CourseId == courseId).Select(e => e.UserId).Single();
    }

    [Fact]
    public async Task Cohort_admin_over_http_is_admin_only_takes_5000_members_in_one_request_and_the_learner_sees_their_brief()
    {
        var (_, admin) = await hosted.SignInAsync(UserRole.Admin);
        var (learner, learnerToken) = await hosted.SignInAsync(UserRole.Learner);
        var course = await CourseAsync(EnrollmentMode.Cohort);

        await Expect(await Send(HttpMethod.Post, $"manage/courses/{course.Slug}/cohorts", null, new { name = "X" }), HttpStatusCode.Unauthorized, "application/problem+json");
        await Expect(await Send(HttpMethod.Post, $"manage/courses/{course.Slug}/cohorts", learnerToken, new { name = "X" }), HttpStatusCode.Forbidden, "application/problem+json");
        await Expect(await Send(HttpMethod.Get, $"manage/courses/{course.Slug}/cohorts", learnerToken), HttpStatusCode.Forbidden, "application/problem+json");

        var cohort = await Expect(await Send(HttpMethod.Post, $"manage/courses/{course.Slug}/cohorts", admin, new { name = "Batch A", startsOn = "2027-01-01" }), HttpStatusCode.Created);
        var cohortId = cohort.GetProperty("id").GetGuid();
        var members = Enumerable.Range(0, 5000).Select(i => new { email = $"Member{i:D4}@Example.com", batchNo = 1 })
            .Append(new { email = learner.Email.ToUpperInvariant(), batchNo = 2 }).ToArray();

        await Expect(await Send(HttpMethod.Post, $"manage/cohorts/{cohortId}/members", learnerToken, new { members }), HttpStatusCode.Forbidden, "application/problem+json");
        var first = await Expect(await Send(HttpMethod.Post, $"manage/cohorts/{cohortId}/members", admin, new { members }), HttpStatusCode.OK);
        Assert.Equal((5001, 5001, 0), (first.GetProperty("received").GetInt32(), first.GetProperty("inserted").GetInt32(), first.GetProperty("unchanged").GetInt32()));
        var second = await Expect(await Send(HttpMethod.Post, $"manage/cohorts/{cohortId}/members", admin, new { members }), HttpStatusCode.OK);
        Assert.Equal((0, 0, 5001), (second.GetProperty("inserted").GetInt32(), second.GetProperty("updated").GetInt32(), second.GetProperty("unchanged").GetInt32()));

        var invalid = await Expect(await Send(HttpMethod.Post, $"manage/cohorts/{cohortId}/members", admin,
            rawJson: """{ "members": [ { "email": "ok@example.com", "batchNo": 1 }, { "email": "nope", "batchNo": 1 }, { "email": "x@example.com", "batchNo": "two" } ] }"""),
            HttpStatusCode.BadRequest, "application/problem+json");
        Assert.True(invalid.GetProperty("errors").TryGetProperty("members[2].batchNo", out _), invalid.ToString());
        invalid = await Expect(await Send(HttpMethod.Post, $"manage/cohorts/{cohortId}/members", admin,
            rawJson: """{ "members": [ { "email": "ok@example.com", "batchNo": 1 }, { "email": "nope", "batchNo": 0 } ] }"""),
            HttpStatusCode.BadRequest, "application/problem+json");
        Assert.Equal(["members[1].batchNo", "members[1].email"], invalid.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));

        var brief = new { title = "Ship it", tagline = "Small and done", description = "Build a to-do app.", notes = "Demo on Friday." };
        await Expect(await Send(HttpMethod.Put, $"manage/cohorts/{cohortId}/projects/2", admin, brief), HttpStatusCode.Created);
        await Expect(await Send(HttpMethod.Put, $"manage/cohorts/{cohortId}/projects/2", admin, brief), HttpStatusCode.OK);
        await Expect(await Send(HttpMethod.Put, $"manage/cohorts/{cohortId}/projects/0", admin, brief), HttpStatusCode.BadRequest, "application/problem+json");
        var noTitle = await Expect(await Send(HttpMethod.Put, $"manage/cohorts/{cohortId}/projects/1", admin, new { tagline = "t", description = "d" }), HttpStatusCode.BadRequest, "application/problem+json");
        Assert.True(noTitle.GetProperty("errors").TryGetProperty("title", out _), noTitle.ToString());

        var enrolled = await Expect(await Send(HttpMethod.Post, $"courses/{course.Slug}/enroll", learnerToken), HttpStatusCode.Created);
        Assert.Equal(("cohort", cohortId), (enrolled.GetProperty("source").GetString(), enrolled.GetProperty("cohortId").GetGuid()));
        var mine = await Expect(await Send(HttpMethod.Get, $"courses/{course.Slug}/cohort", learnerToken), HttpStatusCode.OK);
        Assert.Equal(("Batch A", 2), (mine.GetProperty("cohortName").GetString(), mine.GetProperty("batchNo").GetInt32()));
        var project = await Expect(await Send(HttpMethod.Get, $"courses/{course.Slug}/cohort/project", learnerToken), HttpStatusCode.OK);
        Assert.Equal("Ship it", project.GetProperty("title").GetString());

        var (_, strangerToken) = await hosted.SignInAsync(UserRole.Learner);
        await Expect(await Send(HttpMethod.Get, $"courses/{course.Slug}/cohort", strangerToken), HttpStatusCode.NotFound, "application/problem+json");
        await Expect(await Send(HttpMethod.Get, $"courses/{course.Slug}/cohort/project", strangerToken), HttpStatusCode.NotFound, "application/problem+json");
        await Expect(await Send(HttpMethod.Post, $"courses/{course.Slug}/enroll", strangerToken), HttpStatusCode.Forbidden, "application/problem+json");

        await Expect(await Send(HttpMethod.Delete, $"manage/cohorts/{cohortId}/members?email={Uri.EscapeDataString("MEMBER0001@example.com")}", admin), HttpStatusCode.NoContent);
        var page = await Expect(await Send(HttpMethod.Get, $"manage/cohorts/{cohortId}/members?q=member000&pageSize=100", admin), HttpStatusCode.OK);
        Assert.Equal(9, page.GetProperty("total").GetInt32()); // member0000..0009 less the removed one
        var patched = await Expect(await Send(HttpMethod.Patch, $"manage/cohorts/{cohortId}", admin, rawJson: """{ "isActive": false, "startsOn": null }"""), HttpStatusCode.OK);
        Assert.Equal(JsonValueKind.Null, patched.GetProperty("startsOn").ValueKind);
        Assert.False(patched.GetProperty("isActive").GetBoolean());
        await Expect(await Send(HttpMethod.Delete, $"manage/cohorts/{cohortId}", admin), HttpStatusCode.NoContent);
    }

    [Fact]
    public async Task Cart_over_http_adds_lists_privately_and_checks_out_once()
    {
        var (_, token) = await hosted.SignInAsync(UserRole.Learner);
        var free = await CourseAsync(EnrollmentMode.Open);
        var paid = await CourseAsync(EnrollmentMode.Open, price: 25);

        await Expect(await Send(HttpMethod.Get, "cart", null), HttpStatusCode.Unauthorized, "application/problem+json");
        var added = await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = free.Slug }), HttpStatusCode.Created);
        Assert.Equal("added", added.GetProperty("outcome").GetString());
        var again = await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = free.Id }), HttpStatusCode.OK);
        Assert.Equal("already_in_cart", again.GetProperty("outcome").GetString());
        await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = paid.Slug }), HttpStatusCode.Created);

        var listed = await Send(HttpMethod.Get, "cart", token);
        Assert.Equal((true, true), (listed.Headers.CacheControl?.Private, listed.Headers.CacheControl?.NoCache));
        var cart = await Expect(listed, HttpStatusCode.OK);
        Assert.Equal([free.Id, paid.Id], cart.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("courseId").GetGuid()));
        var line = cart.GetProperty("lines")[1];
        Assert.Equal((25m, 25m, "USD", false), (line.GetProperty("price").GetDecimal(), line.GetProperty("currentPrice").GetDecimal(),
            line.GetProperty("currency").GetString(), line.GetProperty("priceChanged").GetBoolean()));
        var total = Assert.Single(cart.GetProperty("total").EnumerateArray());
        Assert.Equal(("USD", 25m), (total.GetProperty("currency").GetString(), total.GetProperty("amount").GetDecimal()));
        Assert.Equal(0, cart.GetProperty("savedForLater").GetArrayLength());

        var result = await Expect(await Send(HttpMethod.Post, "cart/checkout", token), HttpStatusCode.OK);
        var statuses = result.GetProperty("enrollments").EnumerateArray()
            .ToDictionary(e => e.GetProperty("courseId").GetGuid(), e => (e.GetProperty("source").GetString(), e.GetProperty("status").GetString()));
        Assert.Equal(("checkout", "active"), statuses[free.Id]);
        Assert.Equal(("checkout", "pending_payment"), statuses[paid.Id]);
        var pending = Assert.Single(result.GetProperty("pending").EnumerateArray());
        Assert.Equal(paid.Slug, pending.GetProperty("courseSlug").GetString());
        Assert.False(string.IsNullOrEmpty(pending.GetProperty("paymentReference").GetString()));
        Assert.Equal(0, result.GetProperty("refused").GetArrayLength());

        Assert.Equal(0, (await Expect(await Send(HttpMethod.Get, "cart", token), HttpStatusCode.OK)).GetProperty("lines").GetArrayLength());
        var empty = await Expect(await Send(HttpMethod.Post, "cart/checkout", token), HttpStatusCode.Conflict, "application/problem+json");
        Assert.Contains("empty", empty.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var owned = await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = free.Slug }), HttpStatusCode.OK);
        Assert.Equal("already_enrolled", owned.GetProperty("outcome").GetString());

        // The pending purchase is told as it is, and the learner may cancel it.
        var detail = await Expect(await Send(HttpMethod.Get, $"courses/{paid.Slug}", token), HttpStatusCode.OK);
        Assert.Equal((false, "pending_payment", "payment_pending"),
            (detail.GetProperty("enrolled").GetBoolean(), detail.GetProperty("enrollmentStatus").GetString(), detail.GetProperty("eligibilityReason").GetString()));
        Assert.Equal(HttpStatusCode.NoContent, (await Send(HttpMethod.Delete, $"me/enrollments/{paid.Slug}", token)).StatusCode);
        await Expect(await Send(HttpMethod.Delete, $"me/enrollments/{paid.Slug}", token), HttpStatusCode.NotFound, "application/problem+json");
        await Expect(await Send(HttpMethod.Delete, $"me/enrollments/{free.Slug}", token), HttpStatusCode.Conflict, "application/problem+json");
    }

    [Fact]
    public async Task Cart_over_http_answers_bad_input_and_unknown_lines_with_problems_and_moves_lines_to_saved_and_back()
    {
        var (_, token) = await hosted.SignInAsync(UserRole.Learner);
        var course = await CourseAsync(EnrollmentMode.Open, price: 7);

        var missing = await Expect(await Send(HttpMethod.Post, "cart/lines", token, rawJson: "{}"), HttpStatusCode.BadRequest, "application/problem+json");
        Assert.True(missing.GetProperty("errors").TryGetProperty("course", out _), missing.ToString());
        var wrongType = await Expect(await Send(HttpMethod.Post, "cart/lines", token, rawJson: """{ "course": 5 }"""), HttpStatusCode.BadRequest, "application/problem+json");
        Assert.True(wrongType.GetProperty("errors").TryGetProperty("course", out _), wrongType.ToString());
        await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = "no-such-course" }), HttpStatusCode.NotFound, "application/problem+json");
        await Expect(await Send(HttpMethod.Delete, $"cart/lines/{course.Slug}", token), HttpStatusCode.NotFound, "application/problem+json");
        await Expect(await Send(HttpMethod.Post, $"cart/saved/{course.Slug}/move-to-cart", token), HttpStatusCode.NotFound, "application/problem+json");

        await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = course.Slug }), HttpStatusCode.Created);
        var saved = await Expect(await Send(HttpMethod.Post, $"cart/lines/{course.Slug}/save-for-later", token), HttpStatusCode.OK);
        Assert.Equal(0, saved.GetProperty("lines").GetArrayLength());
        var item = Assert.Single(saved.GetProperty("savedForLater").EnumerateArray());
        Assert.Equal(("HTTP course", 7m), (item.GetProperty("courseName").GetString(), item.GetProperty("price").GetDecimal()));
        Assert.Equal(JsonValueKind.Null, item.GetProperty("discountedPrice").ValueKind);
        var moved = await Expect(await Send(HttpMethod.Post, $"cart/saved/{course.Id}/move-to-cart", token), HttpStatusCode.Created);
        Assert.Equal("added", moved.GetProperty("outcome").GetString());

        await Expect(await Send(HttpMethod.Delete, "cart", token), HttpStatusCode.NoContent);
        await Expect(await Send(HttpMethod.Delete, $"cart/lines/{course.Slug}", token), HttpStatusCode.NotFound, "application/problem+json");

        await Expect(await Send(HttpMethod.Post, "cart/lines", token, new { course = course.Slug }), HttpStatusCode.Created);
        await Expect(await Send(HttpMethod.Post, $"cart/lines/{course.Slug}/save-for-later", token), HttpStatusCode.OK);
        await Expect(await Send(HttpMethod.Delete, $"cart/saved/{course.Slug}", token), HttpStatusCode.NoContent);
        await Expect(await Send(HttpMethod.Delete, $"cart/saved/{course.Slug}", token), HttpStatusCode.NotFound, "application/problem+json");
    }

    [Fact]
    public async Task Removing_a_course_one_does_not_hold_answers_alike_for_unpublished_and_unknown_slugs()
    {
        var (_, token) = await hosted.SignInAsync(UserRole.Learner);
        var hidden = Build.Course(DateTimeOffset.UtcNow, name: "Not yet published", published: false);
        await using (var db = hosted.Database.CreateContext())
        {
            db.Courses.Add(hidden);
            await db.SaveChangesAsync();
        }
        var unknown = "no-such-course-" + Guid.NewGuid().ToString("N")[..8];

        foreach (var route in new[] { "cart/lines/{0}", "cart/saved/{0}", "me/enrollments/{0}" })
        {
            var exists = await Expect(await Send(HttpMethod.Delete, string.Format(route, hidden.Slug), token), HttpStatusCode.NotFound, "application/problem+json");
            var missing = await Expect(await Send(HttpMethod.Delete, string.Format(route, unknown), token), HttpStatusCode.NotFound, "application/problem+json");
            Assert.Equal((missing.GetProperty("code").GetString(), missing.GetProperty("detail").GetString()),
                (exists.GetProperty("code").GetString(), exists.GetProperty("detail").GetString()));
        }
    }
}

/// <summary>These scenarios on the app as it runs locally.</summary>
public sealed class HttpEndpointTests(HostedApp app) : EnrollmentAndCartHttpScenarios(app), IClassFixture<HostedApp>;

/// <summary>The same scenarios with the app behind PgBouncer in transaction mode, as in Azure.</summary>
public sealed class EnrollmentAndCartThroughPgBouncerTests(Reliability.PgBouncerApp app) : EnrollmentAndCartHttpScenarios(app), IClassFixture<Reliability.PgBouncerApp>;

/// <summary>The same scenarios with the app connected as a DML-only role, as its identity is in Azure (least privilege is enough).</summary>
public sealed class EnrollmentAndCartAsDmlOnlyRoleTests(Security.DmlOnlyApp app) : EnrollmentAndCartHttpScenarios(app), IClassFixture<Security.DmlOnlyApp>;
