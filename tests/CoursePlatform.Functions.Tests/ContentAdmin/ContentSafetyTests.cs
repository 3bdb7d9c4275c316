using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Catalog;
using CoursePlatform.Functions.Features.ContentAdmin;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using static CoursePlatform.Testing.TestApp;

namespace CoursePlatform.Functions.Tests.ContentAdmin;

/// <summary>
/// Hostile lesson content through the services: every write that carries markdown or a URL refuses it naming the
/// field and stores nothing, and content stored before the rules is served to learners without it.
/// </summary>
public sealed class ContentSafetyTests(DatabaseFixture database) : AppTest(database)
{
    private const string Script = "Hello <script>alert(1)</script>";
    private const string ImgOnError = "Look: <img src=x onerror=alert(1)>";
    private const string JsLink = "[x](javascript:alert(1))";
    private static readonly string[] Hostile = ["<script", "onerror", "javascript:", "data:text/html", "vbscript:"];

    private async Task<(CourseAdminDto Course, TopicAdminDto Topic)> PreviewTopicAsync(JsonObject? layout = null)
    {
        var slug = $"safe-{Guid.NewGuid():N}"[..20];
        var course = await app.Run<CourseAdminService, CourseAdminDto>(s => s.CreateAsync(
            new CourseRequest(slug, "Safe content", null, 0, "USD", EnrollmentMode.Open, true, null), default));
        var topic = await app.Run<TopicAdminService, TopicAdminDto>(s => s.CreateAsync(slug,
            new TopicRequest(1, 1, "Subnets", true, null, null, layout, layout is null ? "Plain text." : null, null), default));
        return (course, topic);
    }

    private static async Task<ProblemException> Refused(Func<Task> action, string field)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(action);
        Assert.Equal(HttpStatusCode.BadRequest, problem.Status);
        Assert.Contains(field, problem.Errors!.Keys);
        return problem;
    }

    private static void AssertClean(string served)
    {
        foreach (var bad in Hostile) Assert.False(served.Contains(bad, StringComparison.OrdinalIgnoreCase), $"'{bad}' served in {served}");
    }

    [Fact]
    public async Task An_asset_with_an_unknown_key_or_hostile_markdown_is_refused_and_nothing_is_stored()
    {
        var (_, topic) = await PreviewTopicAsync();
        Task Put(string payload) => app.Run<AssetAdminService, (AssetDto, bool)>(s =>
            s.PutAsync(topic.Id, "intro", null, new AssetRequest(ContentType.Text, JsonNode.Parse(payload)!.AsObject()), null, default));

        await Refused(() => Put("""{"markdown":"Hi","href":"javascript:alert(1)"}"""), "payload.href");
        foreach (var markdown in new[] { Script, ImgOnError, JsLink })
            await Refused(() => Put(new JsonObject { ["markdown"] = markdown }.ToJsonString()), "payload.markdown");
        await Refused(() => app.Run<AssetAdminService, (AssetDto, bool)>(s => s.PutAsync(topic.Id, "diagram", null,
            new AssetRequest(ContentType.Image, new JsonObject { ["url"] = "data:text/html,<script>alert(1)</script>", ["alt"] = "A" }), null, default)), "payload.url");
        Assert.Equal(0, await app.Db(db => db.TopicContentAssets.CountAsync(a => a.TopicId == topic.Id)));
    }

    [Fact]
    public async Task A_topic_refuses_hostile_layout_text_and_variants_by_field()
    {
        var (course, topic) = await PreviewTopicAsync();
        Task Update(TopicRequest request) => app.Run<TopicAdminService, TopicAdminDto>(s => s.UpdateAsync(course.Slug, topic.Id, request, null, default));
        var layout = new JsonObject
        {
            ["version"] = "1",
            ["blocks"] = new JsonArray(new JsonObject { ["id"] = "a", ["type"] = "text", ["data"] = new JsonObject { ["markdown"] = ImgOnError } }),
        };
        await Refused(() => Update(new TopicRequest(1, 1, "Subnets", true, null, null, layout, null, null)), "layout.blocks[0].data.markdown");
        await Refused(() => Update(new TopicRequest(1, 1, "Subnets", true, null, null, null, Script, null)), "text");
        await Refused(() => Update(new TopicRequest(1, 1, "Subnets", true, null, null, null, "Fine.", new StudyTexts(JsLink, null, null))), "variants.sports");
        Assert.Equal("Plain text.", (await app.Run<TopicAdminService, TopicAdminDto>(s => s.GetAsync(topic.Id, default))).Text);
    }

    [Fact]
    public async Task Simulations_prompt_suggestions_and_pages_refuse_hostile_content_by_field()
    {
        var (_, topic) = await PreviewTopicAsync();
        await Refused(() => app.Run<TopicMaterialsAdminService, (SimulationAdminDto, bool)>(s => s.PutSimulationAsync(topic.Id,
            new SimulationRequest("Sort", "Drag them.", new JsonObject { ["kind"] = "sort", ["items"] = new JsonArray(new JsonObject { ["label"] = "A", ["href"] = "javascript:alert(1)" }) }), null, default)),
            "payload.items[0].href");
        await Refused(() => app.Run<TopicMaterialsAdminService, (SimulationAdminDto, bool)>(s => s.PutSimulationAsync(topic.Id,
            new SimulationRequest("Sort", "Drag them.", new JsonObject { ["imageUrl"] = "//evil.example/x.png" }), null, default)), "payload.imageUrl");
        await Refused(() => app.Run<TopicMaterialsAdminService, (SimulationAdminDto, bool)>(s => s.PutSimulationAsync(topic.Id,
            new SimulationRequest("Sort", Script, null), null, default)), "instructions");
        Assert.Equal(0, await app.Db(db => db.SimulationExercises.CountAsync(x => x.TopicId == topic.Id)));

        await Refused(() => app.Run<TopicMaterialsAdminService, PromptSuggestionAdminDto>(s => s.CreateSuggestionAsync(topic.Id,
            new PromptSuggestionRequest("What is a subnet?", JsLink, null, null), default)), "answer");
        Assert.Equal(0, await app.Db(db => db.TopicPromptSuggestions.CountAsync(x => x.TopicId == topic.Id)));

        var slug = $"page-{Guid.NewGuid():N}"[..12];
        await Refused(() => app.Run<PageAdminService, (PageDto, bool)>(s => s.PutAsync(slug, new CmsPageRequest("FAQ", new JsonObject { ["markdown"] = ImgOnError }), default)), "content.markdown");
        await Refused(() => app.Run<PageAdminService, (PageDto, bool)>(s => s.PutAsync(slug, new CmsPageRequest("FAQ", new JsonObject { ["markdown"] = "Hi", ["script"] = "alert(1)" }), default)), "content.script");
        Assert.False(await app.Db(db => db.PageContent.AnyAsync(p => p.Slug == slug)));
    }

    [Fact]
    public async Task Course_descriptions_quiz_text_cold_call_prompts_and_project_briefs_refuse_hostile_markdown_by_field()
    {
        var (course, topic) = await PreviewTopicAsync();
        await Refused(() => app.Run<CourseAdminService, CourseAdminDto>(s => s.CreateAsync(
            new CourseRequest($"bad-{Guid.NewGuid():N}"[..12], "Bad", Script, 0, "USD", EnrollmentMode.Open, true, null), default)), "description");
        Assert.Null(await app.Db(db => db.Courses.Where(c => c.Id == course.Id).Select(c => c.Description).SingleAsync()));

        QuizQuestionRequest Question(string question, string? explanation, string option) =>
            new(1, 1, question, explanation, [new QuizOptionRequest(option, true), new QuizOptionRequest("No", false)]);
        await Refused(() => app.Run<QuizQuestionAdminService, QuizQuestionAdminDto>(s => s.CreateAsync(course.Slug, Question(ImgOnError, null, "Yes"), default)), "question");
        await Refused(() => app.Run<QuizQuestionAdminService, QuizQuestionAdminDto>(s => s.CreateAsync(course.Slug, Question("Q?", JsLink, "Yes"), default)), "explanation");
        await Refused(() => app.Run<QuizQuestionAdminService, QuizQuestionAdminDto>(s => s.CreateAsync(course.Slug, Question("Q?", null, Script), default)), "options[0].text");
        Assert.Equal(0, await app.Db(db => db.QuizQuestions.CountAsync(q => q.CourseId == course.Id)));

        await Refused(() => app.Run<TopicMaterialsAdminService, ColdCallPromptAdminDto>(s => s.CreateColdCallPromptAsync(topic.Id, new ColdCallPromptRequest(JsLink, null), default)), "prompt");
        Assert.Equal(0, await app.Db(db => db.ColdCallPrompts.CountAsync(p => p.TopicId == topic.Id)));

        var cohort = await app.Run<Features.Cohorts.CohortAdminService, Features.Cohorts.CohortDto>(s => s.CreateAsync(course.Slug, new Features.Cohorts.CreateCohortRequest("A", true, null, null), default));
        await Refused(() => app.Run<Features.Cohorts.CohortAdminService, (Features.Cohorts.ProjectBriefDto, bool)>(s => s.PutProjectAsync(cohort.Id, "1",
            new Features.Cohorts.ProjectBriefRequest("Build", "A tagline", "See [the brief](javascript:alert(1)).", null), default)), "description");

        // What an older build stored is served without it: the catalog's description and thumbnail.
        await app.Db(db => db.Courses.Where(c => c.Id == course.Id).ExecuteUpdateAsync(x => x
            .SetProperty(c => c.Description, Script + " " + JsLink).SetProperty(c => c.ThumbnailUrl, "javascript:alert(1)")));
        AssertClean(JsonSerializer.Serialize(await app.Run<CatalogService, CourseDetail>(x => x.DetailAsync(course.Slug, null, default)), Json.Options));
        AssertClean(JsonSerializer.Serialize(await app.Run<CatalogService, CoursePlatform.Functions.Infrastructure.Http.PagedList<CourseSummary>>(
            x => x.ListAsync(null, new CoursePlatform.Functions.Infrastructure.Http.PageRequest(1, 100), default)), Json.Options));
    }

    [Fact]
    public async Task Content_stored_before_the_rules_is_served_to_learners_without_html_or_unsafe_links()
    {
        var layout = JsonNode.Parse("""
            {"version":"1","blocks":[
              {"id":"intro","type":"text","contentKey":"intro"},
              {"id":"pic","type":"image","contentKey":"pic"},
              {"id":"inline","type":"text","data":{"markdown":"Keep **this**."}}]}
            """)!.AsObject();
        var (_, topic) = await PreviewTopicAsync(layout);
        await app.Run<AssetAdminService, (AssetDto, bool)>(s => s.PutAsync(topic.Id, "intro", null, new AssetRequest(ContentType.Text, new JsonObject { ["markdown"] = "Safe." }), null, default));
        await app.Run<AssetAdminService, (AssetDto, bool)>(s => s.PutAsync(topic.Id, "pic", null,
            new AssetRequest(ContentType.Image, new JsonObject { ["url"] = "https://x.example/a.png", ["alt"] = "A" }), null, default));
        await app.Run<TopicMaterialsAdminService, (SimulationAdminDto, bool)>(s => s.PutSimulationAsync(topic.Id, new SimulationRequest("Sort", "Drag.", null), null, default));

        // What an older build let through, written straight to the rows.
        var hostileLayout = """
            {"version":"1","blocks":[
              {"id":"intro","type":"text","contentKey":"intro"},
              {"id":"pic","type":"image","contentKey":"pic"},
              {"id":"inline","type":"text","data":{"markdown":"Keep **this**. <script>alert(1)</script>","href":"javascript:alert(1)"}},
              {"id":"vid","type":"video","data":{"url":"javascript:alert(1)"}}]}
            """;
        await app.Db(async db =>
        {
            await db.Topics.Where(t => t.Id == topic.Id).ExecuteUpdateAsync(s => s
                .SetProperty(t => t.TextContent, hostileLayout)
                .SetProperty(t => t.TextContentSports, JsLink)
                .SetProperty(t => t.VideoUrl, "javascript:alert(1)")
                .SetProperty(t => t.PptUrl, "data:text/html,<script>alert(1)</script>"));
            await db.TopicContentAssets.Where(a => a.TopicId == topic.Id && a.ContentKey == "intro").ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Payload, JsonDocument.Parse("""{"markdown":"Safe. <img src=x onerror=alert(1)> [x](javascript:alert(1))","onclick":"alert(1)"}""")));
            await db.TopicContentAssets.Where(a => a.TopicId == topic.Id && a.ContentKey == "pic").ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Payload, JsonDocument.Parse("""{"url":"https://x.example/a.png","alt":"A","src":"data:text/html,<script>alert(1)</script>"}""")));
            await db.SimulationExercises.Where(x => x.TopicId == topic.Id).ExecuteUpdateAsync(s => s
                .SetProperty(x => x.Instructions, Script)
                .SetProperty(x => x.Payload, JsonDocument.Parse("""{"kind":"sort","link":"javascript:alert(1)","items":[{"label":"A"}]}""")));
            return 0;
        });

        var lesson = await app.Run<LessonService, LessonContent>(s => s.GetAsync(topic.Id, null, default));
        var served = JsonSerializer.Serialize(lesson, Json.Options);
        AssertClean(served);
        var blocks = lesson.Layout.Blocks.ToDictionary(b => b.Id);
        Assert.Equal(["intro", "pic", "inline"], lesson.Layout.Blocks.Select(b => b.Id)); // the video without a safe URL is left out
        Assert.StartsWith("Safe.", blocks["intro"].Data["markdown"]!.GetValue<string>());
        Assert.Equal(["markdown"], blocks["intro"].Data.AsObject().Select(p => p.Key));
        Assert.Equal(["url", "alt"], blocks["pic"].Data.AsObject().Select(p => p.Key));
        Assert.StartsWith("Keep **this**.", blocks["inline"].Data["markdown"]!.GetValue<string>());
        Assert.Equal("x", lesson.Variants.Sports);
        Assert.Null(lesson.VideoUrl);
        Assert.Null(lesson.PptUrl);
        Assert.Equal(["kind", "items"], lesson.SimulationExercise!.Payload!.AsObject().Select(p => p.Key));
    }

    [Fact]
    public async Task A_page_stored_before_the_rules_is_served_without_html_or_unsafe_links()
    {
        var slug = $"page-{Guid.NewGuid():N}"[..12];
        await app.Run<PageAdminService, (PageDto, bool)>(s => s.PutAsync(slug, new CmsPageRequest("About", new JsonObject { ["markdown"] = "About us." }), default));
        await app.Db(db => db.PageContent.Where(p => p.Slug == slug).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.Content, JsonDocument.Parse("""{"markdown":"About us. <script>alert(1)</script> [x](javascript:alert(1))","href":"javascript:alert(1)"}"""))));
        var page = await app.Run<CatalogService, PageDto>(s => s.PageAsync(slug, default));
        AssertClean(page.Content.ToJsonString());
        Assert.StartsWith("About us.", page.Content["markdown"]!.GetValue<string>());
    }
}
