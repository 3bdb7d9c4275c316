using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Security;

/// <summary>The second audit's finding 2 replayed on the running app: no admin change escapes the audit trail.</summary>
public sealed class AuditTrailHttpTests(HostedApp app) : IClassFixture<HostedApp>
{
    private async Task<(HttpStatusCode Status, string Body, string? MediaType)> Send(string token, string method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        using var response = await app.Api.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private async Task<(Course Course, string Slug)> CourseAsync()
    {
        var course = Build.Course(DateTimeOffset.UtcNow, slug: $"aud-{Guid.NewGuid():N}"[..14], name: "Audited course");
        await using var db = app.Database.CreateContext();
        db.Courses.Add(course);
        await db.SaveChangesAsync();
        return (course, course.Slug);
    }

    [Fact]
    public async Task A_change_whose_audit_row_cannot_be_written_does_not_happen()
    {
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        var (course, slug) = await CourseAsync();
        await using var db = app.Database.CreateContext();
        // Stands in for any failure of the audit insert (before: a path too long for its column, after the change committed).
        await db.Database.ExecuteSqlRawAsync("""
            CREATE OR REPLACE FUNCTION refuse_marked_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.after::text LIKE '%audit-must-fail%' THEN RAISE EXCEPTION 'audit insert refused'; END IF; RETURN NEW; END $$;
            DROP TRIGGER IF EXISTS refuse_marked_audit ON admin_audit_entries;
            CREATE TRIGGER refuse_marked_audit BEFORE INSERT ON admin_audit_entries FOR EACH ROW EXECUTE FUNCTION refuse_marked_audit();
            """);

        var failed = await Send(admin, "PATCH", $"manage/courses/{slug}", new { name = "audit-must-fail" });
        Assert.Equal(HttpStatusCode.InternalServerError, failed.Status);
        Assert.Equal("Audited course", await db.Courses.Where(c => c.Id == course.Id).Select(c => c.Name).SingleAsync());
        Assert.Equal(0, await db.AdminAuditEntries.CountAsync(e => e.ResourceId == course.Id));
    }

    [Fact]
    public async Task Route_values_with_surrounding_whitespace_or_control_characters_are_refused_before_anything_runs()
    {
        var (adminUser, admin) = await app.SignInAsync(UserRole.Admin);
        var (course, slug) = await CourseAsync();
        var padded = await Send(admin, "PATCH", $"manage/courses/{slug}%20%20", new { name = "Renamed through padding" });
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (padded.Status, padded.MediaType));
        var tabs = await Send(admin, "DELETE", $"manage/courses/{slug}{string.Concat(Enumerable.Repeat("%09", 700))}");
        Assert.Equal((HttpStatusCode.BadRequest, "application/problem+json"), (tabs.Status, tabs.MediaType));

        await using var db = app.Database.CreateContext();
        Assert.Equal("Audited course", await db.Courses.Where(c => c.Id == course.Id).Select(c => c.Name).SingleAsync());
        Assert.Equal(0, await db.AdminAuditEntries.CountAsync(e => e.ActorId == adminUser.Id));
    }

    [Fact]
    public async Task Deleting_what_is_not_there_adds_no_row_and_rows_keep_the_email_of_an_admin_who_deletes_their_account()
    {
        var (adminUser, admin) = await app.SignInAsync(UserRole.Admin);
        var (course, slug) = await CourseAsync();
        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, "DELETE", $"manage/courses/{slug}/quiz-questions/{Guid.NewGuid()}")).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, "DELETE", $"manage/courses/{slug}/tutors/{Guid.NewGuid()}")).Status);
        await using var db = app.Database.CreateContext();
        Assert.Equal(0, await db.AdminAuditEntries.CountAsync(e => e.ActorId == adminUser.Id));

        Assert.Equal(HttpStatusCode.OK, (await Send(admin, "PATCH", $"manage/courses/{slug}", new { name = "Renamed" })).Status);
        Assert.Equal(HttpStatusCode.NoContent, (await Send(admin, "DELETE", "users/me")).Status);

        var rows = await db.AdminAuditEntries.AsNoTracking().Where(e => e.ActorEmail == adminUser.Email).OrderBy(e => e.At).ToListAsync();
        Assert.Equal(["ManageUpdateCourse", "DeleteMe"], rows.Select(r => r.Action));
        Assert.All(rows, r => Assert.Null(r.ActorId));
        Assert.Equal(("user", adminUser.Id), (rows[1].ResourceType, rows[1].ResourceId));
        Assert.Equal(course.Id, rows[0].ResourceId);
    }

    [Fact]
    public async Task Hiding_and_showing_a_cold_call_message_is_on_the_trail_with_before_and_after()
    {
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        var (course, _) = await CourseAsync();
        var (learner, _) = await app.SignInAsync();
        var now = DateTimeOffset.UtcNow;
        var topic = Build.Topic(course, now);
        var cohort = new Cohort { Id = Guid.CreateVersion7(), CourseId = course.Id, Name = "A", CreatedAt = now, UpdatedAt = now };
        var prompt = new ColdCallPrompt { Id = Guid.CreateVersion7(), Topic = topic, DisplayOrder = 1, Prompt = "Why?", CreatedAt = now };
        var message = new ColdCallMessage { Id = Guid.CreateVersion7(), Prompt = prompt, CohortId = cohort.Id, UserId = learner.Id, Content = "Because.", CreatedAt = now };
        await using var db = app.Database.CreateContext();
        db.Courses.Attach(course);
        db.AddRange(topic, cohort, prompt, message);
        await db.SaveChangesAsync();

        Assert.Equal(HttpStatusCode.OK, (await Send(admin, "POST", $"cold-call-messages/{message.Id}/hide")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Send(admin, "POST", $"cold-call-messages/{message.Id}/hide?hidden=false")).Status);
        var rows = await db.AdminAuditEntries.AsNoTracking().Where(e => e.ResourceId == message.Id).OrderBy(e => e.At).ToListAsync();
        Assert.Equal([true, false], rows.Select(r => r.After!.RootElement.GetProperty("hidden").GetBoolean()));
        Assert.All(rows, r => Assert.Equal(("HideColdCallMessage", "cold_call_message"), (r.Action, r.ResourceType)));
    }
}
