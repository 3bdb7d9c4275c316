using System.Net;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Lessons;

/// <summary>The persona rules of the lesson endpoint, as a table, against real rows.</summary>
public sealed class LessonContentTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    private const LearnerPersona A = LearnerPersona.NonItMigrant;
    private const LearnerPersona B = LearnerPersona.PseudoCoder;
    private readonly TestApp app = new(database);

    public void Dispose() => app.Dispose();

    private const string Layout = """
        { "version": "1", "blocks": [
          { "id": "k-both",    "type": "text",  "contentKey": "both" },
          { "id": "k-default", "type": "text",  "contentKey": "default-only" },
          { "id": "k-none",    "type": "text",  "contentKey": "missing" },
          { "id": "k-a-only",  "type": "text",  "contentKey": "a-only" },
          { "id": "i-a",       "type": "text",  "tutorPersona": "non_it_migrant", "data": { "markdown": "inline for A" } },
          { "id": "i-b",       "type": "text",  "tutorPersona": "pseudo_coder",   "data": { "markdown": "inline for B" } },
          { "id": "i-all",     "type": "text",  "data": { "markdown": "inline for all" } },
          { "id": "clip",      "type": "video", "data": { "url": "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m5s" } }
        ] }
        """;

    private sealed record Scenario(Guid CourseId, Guid TopicId, Guid PreviewTopicId, User Enrolled, User WithA, User WithB, User Tutor, User OtherTutor, User Admin, User Stranger);

    private async Task<Scenario> Arrange()
    {
        var now = app.Clock.GetUtcNow();
        var users = new Dictionary<string, User>();
        foreach (var (name, role) in new[] { ("enrolled", UserRole.Learner), ("a", UserRole.Learner), ("b", UserRole.Learner), ("tutor", UserRole.Tutor), ("other-tutor", UserRole.Tutor), ("admin", UserRole.Admin), ("stranger", UserRole.Learner) })
            users[name] = await app.CreateUserAsync(role);

        var course = Build.Course(now, name: "C");
        var topic = Build.Topic(course, now, number: 2, name: "Gated");
        (topic.TextContent, topic.VideoUrl, topic.TextContentSports) = (Layout, "https://youtu.be/dQw4w9WgXcQ", "sports narration");
        var preview = Build.Topic(course, now, number: 1, name: "Preview");
        (preview.IsPreview, preview.TextContent) = (true, "Plain **legacy** text.");
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.AddRange(topic, preview);
            TopicContentAsset Asset(string key, LearnerPersona? p, string text) => new()
            {
                Topic = topic, ContentKey = key, PersonaKey = p, ContentType = ContentType.Text,
                Payload = JsonDocument.Parse(JsonSerializer.Serialize(new { markdown = text })), CreatedAt = now, UpdatedAt = now,
            };
            db.AddRange(Asset("both", A, "both for A"), Asset("both", B, "both for B"), Asset("both", null, "both default"),
                Asset("default-only", null, "default only"), Asset("a-only", A, "only A has this"),
                // Other personas' rows for the same keys must never reach A or B.
                Asset("both", LearnerPersona.RoteMemorizer, "both for rote"), Asset("default-only", LearnerPersona.EnglishHesitant, "default-only for hesitant"));
            foreach (var learner in new[] { users["enrolled"], users["a"], users["b"] })
                db.Enrollments.Add(Build.Enrollment(learner.Id, course, now, source: EnrollmentSource.Admin));
            db.LearnerPersonaProfiles.Add(new LearnerPersonaProfile { UserId = users["a"].Id, Course = course, PersonaKey = A, CreatedAt = now, UpdatedAt = now });
            db.LearnerPersonaProfiles.Add(new LearnerPersonaProfile { UserId = users["b"].Id, Course = course, PersonaKey = B, CreatedAt = now, UpdatedAt = now });
            db.TopicPersonalizations.Add(new TopicPersonalization { UserId = users["a"].Id, Course = course, StudyPersona = StudyPersona.Sports, UpdatedAt = now });
            var tutor = new Tutor { UserId = users["tutor"].Id, CreatedAt = now };
            db.Tutors.AddRange(tutor, new Tutor { UserId = users["other-tutor"].Id, CreatedAt = now });
            db.CourseTutors.Add(new CourseTutor { Course = course, Tutor = tutor, AssignedAt = now });
            await db.SaveChangesAsync();
        });
        return new Scenario(course.Id, topic.Id, preview.Id, users["enrolled"], users["a"], users["b"], users["tutor"], users["other-tutor"], users["admin"], users["stranger"]);
    }

    private static Caller As(User user) => new(user.Id, Guid.NewGuid(), user.Role);

    private Task<LessonContent> Get(Guid topicId, User? user) => app.Run<LessonService, LessonContent>(s => s.GetAsync(topicId, user is null ? null : As(user), default));

    private static IEnumerable<string> Texts(LessonContent content) =>
        content.Layout.Blocks.Select(b => $"{b.Id}={b.Data["markdown"]?.GetValue<string>() ?? b.Data["url"]?.GetValue<string>()}");

    public static TheoryData<string, string[]> Personas() => new()
    {
        { "a", ["k-both=both for A", "k-default=default only", "k-a-only=only A has this", "i-a=inline for A", "i-all=inline for all", "clip=https://www.youtube.com/embed/dQw4w9WgXcQ?start=65"] },
        { "b", ["k-both=both for B", "k-default=default only", "i-b=inline for B", "i-all=inline for all", "clip=https://www.youtube.com/embed/dQw4w9WgXcQ?start=65"] },
        { "none", ["k-both=both default", "k-default=default only", "i-a=inline for A", "i-b=inline for B", "i-all=inline for all", "clip=https://www.youtube.com/embed/dQw4w9WgXcQ?start=65"] },
    };

    [Theory]
    [MemberData(nameof(Personas))]
    public async Task Blocks_resolve_by_persona_with_default_fallback_and_drops(string learner, string[] expected)
    {
        var s = await Arrange();
        var user = learner switch { "a" => s.WithA, "b" => s.WithB, _ => s.Enrolled };

        var content = await Get(s.TopicId, user);

        Assert.Equal(expected, Texts(content));
        Assert.Equal(learner switch { "a" => A, "b" => B, _ => (LearnerPersona?)null }, content.TutorPersona);
    }

    [Theory]
    [InlineData("a", new[] { "both for B", "inline for B", "both for rote", "hesitant" })]
    [InlineData("b", new[] { "both for A", "only A has this", "inline for A", "both for rote", "hesitant" })]
    public async Task Another_personas_payload_never_appears_anywhere_in_the_response(string learner, string[] foreign)
    {
        var s = await Arrange();
        var content = await Get(s.TopicId, learner == "a" ? s.WithA : s.WithB);

        var json = JsonSerializer.Serialize(content, Json.Options);

        Assert.All(foreign, text => Assert.DoesNotContain(text, json, StringComparison.Ordinal));
        Assert.DoesNotContain("contentKey", json, StringComparison.Ordinal); // the raw asset table never leaks either
    }

    [Fact]
    public async Task Study_variants_come_with_the_chosen_narrator_and_fall_back_to_normal()
    {
        var s = await Arrange();

        var a = await Get(s.TopicId, s.WithA);
        var b = await Get(s.TopicId, s.WithB);

        Assert.Equal(StudyPersona.Sports, a.StudyPersona);
        Assert.Equal(StudyPersona.Normal, b.StudyPersona);
        Assert.Equal("sports narration", a.Variants.Sports);
        Assert.Equal("both for A", a.Variants.Normal);   // normal = the lesson's own first text block
        Assert.Equal(a.Variants.Normal, a.Variants.Cooking);
        Assert.Equal(a.Variants.Normal, a.Variants.Adventure);
        Assert.Equal("https://www.youtube.com/embed/dQw4w9WgXcQ", a.VideoUrl);
    }

    [Fact]
    public async Task Plain_text_content_is_one_text_block()
    {
        var s = await Arrange();

        var content = await Get(s.PreviewTopicId, null);

        var block = Assert.Single(content.Layout.Blocks);
        Assert.Equal((ContentType.Text, "Plain **legacy** text."), (block.Type, block.Data["markdown"]!.GetValue<string>()));
        Assert.Equal("Plain **legacy** text.", content.Variants.Sports);
    }

    public static TheoryData<string, bool, HttpStatusCode?> Access() => new()
    {
        // who, preview topic?, refusal (null = served)
        { "anonymous", false, HttpStatusCode.Unauthorized },
        { "stranger", false, HttpStatusCode.Forbidden },
        { "enrolled", false, null },
        { "tutor", false, null },
        { "other-tutor", false, HttpStatusCode.Forbidden },
        { "admin", false, null },
        { "anonymous", true, null },
        { "stranger", true, null },
        { "enrolled", true, null },
        { "tutor", true, null },
        { "other-tutor", true, null },
        { "admin", true, null },
    };

    [Theory]
    [MemberData(nameof(Access))]
    public async Task Lessons_are_served_to_members_and_previews_to_anyone(string who, bool preview, HttpStatusCode? refusal)
    {
        var s = await Arrange();
        var user = who switch
        {
            "stranger" => s.Stranger, "enrolled" => s.Enrolled, "tutor" => s.Tutor, "other-tutor" => s.OtherTutor, "admin" => s.Admin, _ => null,
        };
        var topic = preview ? s.PreviewTopicId : s.TopicId;

        if (refusal is null)
        {
            Assert.Equal(topic, (await Get(topic, user)).Id);
        }
        else
        {
            var error = await Assert.ThrowsAsync<ProblemException>(() => Get(topic, user));
            Assert.Equal(refusal, error.Status);
            if (refusal == HttpStatusCode.Forbidden) Assert.Equal(ProblemCodes.NotEnrolled, error.Code);
        }
    }

    [Fact]
    public async Task An_unknown_topic_is_a_404()
    {
        var error = await Assert.ThrowsAsync<ProblemException>(() => Get(Guid.NewGuid(), null));
        Assert.Equal(HttpStatusCode.NotFound, error.Status);
    }
}
