using System.Net;
using System.Text.Json.Nodes;
using Azure.Storage.Blobs;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Catalog;
using CoursePlatform.Functions.Features.ContentAdmin;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using static CoursePlatform.Testing.TestApp;
using CatalogPage = CoursePlatform.Functions.Infrastructure.Http.PageRequest;

namespace CoursePlatform.Functions.Tests.ContentAdmin;

/// <summary>Courses, topics, assets and the other content admins write, through the services the functions call.</summary>
public sealed class ContentAdminTests(DatabaseFixture database) : AppTest(database)
{
    private static string Slug() => $"course-{Guid.NewGuid():N}"[..20];

    private static CourseRequest Course(string slug, bool published = true, decimal price = 0) =>
        new(slug, "Networking from scratch", "Subnets and routes.", price, "USD", EnrollmentMode.Open, published, null);

    private static JsonObject LayoutOf(params (string Id, string Type, string Key)[] blocks) => new()
    {
        ["version"] = "1",
        ["blocks"] = new JsonArray([.. blocks.Select(b => (JsonNode)new JsonObject { ["id"] = b.Id, ["type"] = b.Type, ["contentKey"] = b.Key })]),
    };

    private static TopicRequest Topic(int module, int number, JsonObject? layout = null, string name = "Subnets") =>
        new(module, number, name, false, null, null, layout, null, null);

    private Task<CourseAdminDto> CreateCourse(CourseRequest request) => app.Run<CourseAdminService, CourseAdminDto>(s => s.CreateAsync(request, default));

    private Task<TopicAdminDto> CreateTopic(string course, TopicRequest request) =>
        app.Run<TopicAdminService, TopicAdminDto>(s => s.CreateAsync(course, request, default));

    private Task<AssetDto> PutAsset(Guid topicId, string key, string? persona, ContentType type, string payload) =>
        app.Run<AssetAdminService, AssetDto>(async s => (await s.PutAsync(topicId, key, persona, new AssetRequest(type, JsonNode.Parse(payload)!.AsObject()), null, default)).Asset);

    private static async Task<ProblemException> Problem(HttpStatusCode status, Func<Task> action)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(action);
        Assert.Equal(status, problem.Status);
        return problem;
    }

    [Fact]
    public async Task A_course_is_created_its_slug_unique_and_unpublishing_hides_it_from_the_catalog_at_once()
    {
        var slug = Slug();
        var created = await CreateCourse(Course(slug));
        Assert.Equal((slug, true, 0, 0), (created.Slug, created.IsPublished, created.ModuleCount, created.TopicCount));
        Assert.Contains((await app.Run<CatalogService, PagedList<CourseSummary>>(s => s.ListAsync("Networking from scratch", new CatalogPage(1, 100), default))).Items, c => c.Id == created.Id);

        Assert.Contains("already has the slug", (await Problem(HttpStatusCode.Conflict, () => CreateCourse(Course(slug)))).Detail);
        Assert.Equal(["price"], (await Problem(HttpStatusCode.BadRequest, () => CreateCourse(Course(Slug(), price: 9.999m)))).Errors!.Keys);

        var hidden = await app.Run<CourseAdminService, CourseAdminDto>(s => s.UpdateAsync(slug, Course(slug, published: false) with { Name = "Renamed" }, null, default));
        Assert.Equal((false, "Renamed"), (hidden.IsPublished, hidden.Name));
        Assert.DoesNotContain((await app.Run<CatalogService, PagedList<CourseSummary>>(s => s.ListAsync(null, new CatalogPage(1, 100), default))).Items, c => c.Id == created.Id);
        var learner = await app.CreateUserAsync();
        await Problem(HttpStatusCode.NotFound, () => app.Run<CatalogService, CourseDetail>(s => s.DetailAsync(slug, As(learner), default)));
        var admin = await app.CreateUserAsync(UserRole.Admin);
        Assert.False((await app.Run<CatalogService, CourseDetail>(s => s.DetailAsync(slug, As(admin), default))).IsPublished);
    }

    [Fact]
    public async Task Deleting_a_topic_takes_its_uploads_and_their_chunks_and_leaves_the_other_topics_alone()
    {
        var course = await CreateCourse(Course(Slug()));
        var gone = await CreateTopic(course.Slug, Topic(1, 1));
        var kept = await CreateTopic(course.Slug, Topic(1, 2, name: "Routes"));
        var container = app.Get<BlobServiceClient>().GetBlobContainerClient(IngestionOptions.Container);
        await container.CreateIfNotExistsAsync();
        var (goneSource, keptSource) = ($"{course.Id}/{gone.Id}/week1.vtt", $"{course.Id}/{kept.Id}/week2.vtt");
        foreach (var (source, topic) in new[] { (goneSource, gone.Id), (keptSource, kept.Id) })
        {
            await container.GetBlobClient(source).UploadAsync(BinaryData.FromString("WEBVTT"), overwrite: true);
            var vector = new Pgvector.Vector(new float[CourseChunk.EmbeddingDimensions]);
            await app.Db(db => db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO course_chunks (id, course_id, topic_id, source, position, content, embedding_model, embedding, created_at)
                VALUES ({Guid.NewGuid()}, {course.Id}, {topic}, {source}, 0, 'A cue.', 'test-model', {vector}, now())
                """));
        }

        await app.Run<TopicAdminService>(s => s.DeleteAsync(course.Slug, gone.Id, default));

        Assert.Equal([keptSource], await app.Db(db => db.CourseChunks.Where(c => c.CourseId == course.Id).Select(c => c.Source).ToListAsync()));
        Assert.False(await container.GetBlobClient(goneSource).ExistsAsync());
        Assert.True(await container.GetBlobClient(keptSource).ExistsAsync());
        await container.DeleteBlobIfExistsAsync(keptSource);
    }

    [Fact]
    public async Task Deleting_a_course_is_refused_while_enrolled_and_takes_its_cart_lines_and_uploads_with_it()
    {
        var enrolled = await CreateCourse(Course(Slug()));
        var inCart = await CreateCourse(Course(Slug(), price: 10));
        var free = await CreateCourse(Course(Slug()));
        await CreateTopic(free.Slug, Topic(1, 1));
        var learner = await app.CreateUserAsync();
        await app.Db(db =>
        {
            db.Enrollments.Add(Build.Enrollment(learner.Id, enrolled.Id, app.Clock.GetUtcNow()));
            db.CartLines.Add(new CartLine { Id = Guid.NewGuid(), UserId = learner.Id, CourseId = inCart.Id, UnitPrice = 10, Currency = "USD", AddedAt = app.Clock.GetUtcNow() });
            return db.SaveChangesAsync();
        });
        var container = app.Get<BlobServiceClient>().GetBlobContainerClient(IngestionOptions.Container);
        await container.CreateIfNotExistsAsync();
        foreach (var name in new[] { $"{inCart.Id}/deck.pptx", $"{inCart.Id}/{Guid.NewGuid()}/week1.vtt", $"{enrolled.Id}/keep.vtt" })
            await container.GetBlobClient(name).UploadAsync(BinaryData.FromString("WEBVTT"), overwrite: true);

        Assert.Contains("1 enrolment(s)", (await Problem(HttpStatusCode.Conflict, () => app.Run<CourseAdminService>(s => s.DeleteAsync(enrolled.Slug, default)))).Detail);
        // A cart line does not hold a course (a learner could block its deletion for ever): it goes with it, and so do its uploads.
        await app.Run<CourseAdminService>(s => s.DeleteAsync(inCart.Id.ToString(), default));
        await app.Run<CourseAdminService>(s => s.DeleteAsync(free.Slug, default));

        Assert.Equal(1, await app.Db(db => db.Courses.CountAsync(c => c.Id == enrolled.Id || c.Id == inCart.Id || c.Id == free.Id)));
        Assert.False(await app.Db(db => db.CartLines.AnyAsync(l => l.CourseId == inCart.Id)));
        Assert.False(await app.Db(db => db.Topics.AnyAsync(t => t.CourseId == free.Id)));
        Assert.Empty(await container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"{inCart.Id}/", default).ToListAsync());
        Assert.True(await container.GetBlobClient($"{enrolled.Id}/keep.vtt").ExistsAsync());
        await container.DeleteBlobIfExistsAsync($"{enrolled.Id}/keep.vtt");
    }

    [Fact]
    public async Task Topics_keep_numbers_unique_the_module_count_follows_and_a_bad_layout_is_refused_field_by_field()
    {
        var course = await CreateCourse(Course(Slug()));
        await CreateTopic(course.Slug, Topic(1, 1));
        var second = await CreateTopic(course.Slug, Topic(2, 1, name: "Routing"));
        Assert.Equal(2, (await app.Run<CourseAdminService, CourseAdminDto>(s => s.GetAsync(course.Id, default))).ModuleCount);

        Assert.Contains("already has a topic 1", (await Problem(HttpStatusCode.Conflict, () => CreateTopic(course.Slug, Topic(1, 1)))).Detail);
        var moved = await app.Run<TopicAdminService, TopicAdminDto>(s => s.UpdateAsync(course.Slug, second.Id, Topic(1, 2, name: "Routing"), null, default));
        Assert.Equal((1, 2), (moved.ModuleNo, moved.TopicNumber));
        Assert.Equal(1, (await app.Run<CourseAdminService, CourseAdminDto>(s => s.GetAsync(course.Id, default))).ModuleCount);

        var bad = JsonNode.Parse("""{"version":"1","blocks":[{"id":"a","type":"audio","contentKey":"k"},{"id":"a","type":"text"}]}""")!.AsObject();
        var problem = await Problem(HttpStatusCode.BadRequest, () => CreateTopic(course.Slug, Topic(1, 3, bad)));
        Assert.Equal(["layout.blocks[0].type", "layout.blocks[1].contentKey", "layout.blocks[1].id"], problem.Errors!.Keys.Order());
        var both = await Problem(HttpStatusCode.BadRequest, () => CreateTopic(course.Slug, Topic(1, 3, LayoutOf(("a", "text", "k"))) with { Text = "plain" }));
        Assert.Equal(["text"], both.Errors!.Keys);
        Assert.Equal(2, await app.Db(db => db.Topics.CountAsync(t => t.CourseId == course.Id)));
    }

    [Fact]
    public async Task Assets_of_each_content_type_round_trip_through_the_lesson_for_the_right_persona()
    {
        var course = await CreateCourse(Course(Slug()));
        var topic = await CreateTopic(course.Slug, Topic(1, 1, LayoutOf(("intro", "text", "intro"), ("diagram", "image", "diagram"), ("video", "video", "lesson-video"),
            ("slides", "ppt", "slides"), ("extra", "text", "coder-extra"))));
        await PutAsset(topic.Id, "intro", null, ContentType.Text, """{"markdown":"Subnets split a network."}""");
        await PutAsset(topic.Id, "intro", "non_it_migrant", ContentType.Text, """{"markdown":"Like flats in a building."}""");
        await PutAsset(topic.Id, "diagram", null, ContentType.Image, """{"url":"https://cdn.example/subnets.png","alt":"Two subnets"}""");
        await PutAsset(topic.Id, "lesson-video", null, ContentType.Video, """{"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ"}""");
        await PutAsset(topic.Id, "slides", null, ContentType.Ppt, """{"url":"https://cdn.example/week1.pptx","title":"Week 1"}""");
        await PutAsset(topic.Id, "coder-extra", "pseudo_coder", ContentType.Text, """{"markdown":"ip.split('.')"}""");
        var view = await app.Run<TopicAdminService, TopicAdminDto>(s => s.GetAsync(topic.Id, default));
        Assert.Equal(["coder-extra"], view.MissingDefaultAssets);
        Assert.Equal(6, view.Assets.Count);

        async Task<Dictionary<string, JsonNode>> Blocks(LearnerPersona? persona)
        {
            var learner = await app.CreateUserAsync();
            await app.Db(db =>
            {
                db.Enrollments.Add(Build.Enrollment(learner.Id, course.Id, app.Clock.GetUtcNow()));
                if (persona is { } p) db.LearnerPersonaProfiles.Add(new LearnerPersonaProfile { Id = Guid.NewGuid(), UserId = learner.Id, CourseId = course.Id, PersonaKey = p, CreatedAt = app.Clock.GetUtcNow(), UpdatedAt = app.Clock.GetUtcNow() });
                return db.SaveChangesAsync();
            });
            var lesson = await app.Run<LessonService, LessonContent>(s => s.GetAsync(topic.Id, As(learner), default));
            return lesson.Layout.Blocks.ToDictionary(b => b.Id, b => b.Data);
        }

        var plain = await Blocks(null);
        Assert.Equal(["diagram", "intro", "slides", "video"], plain.Keys.Order());
        Assert.Equal("Subnets split a network.", (string?)plain["intro"]["markdown"]);
        Assert.Equal(("https://cdn.example/subnets.png", "Two subnets"), ((string?)plain["diagram"]["url"], (string?)plain["diagram"]["alt"]));
        Assert.Equal("https://www.youtube.com/embed/dQw4w9WgXcQ", (string?)plain["video"]["url"]);
        Assert.Equal("Week 1", (string?)plain["slides"]["title"]);
        Assert.Equal("Like flats in a building.", (string?)(await Blocks(LearnerPersona.NonItMigrant))["intro"]["markdown"]);
        var coder = await Blocks(LearnerPersona.PseudoCoder);
        Assert.Equal(("Subnets split a network.", "ip.split('.')"), ((string?)coder["intro"]["markdown"], (string?)coder["extra"]["markdown"]));

        // Deleting the persona asset falls back to the default; a bad payload or persona is refused with its field.
        await app.Run<AssetAdminService>(s => s.DeleteAsync(topic.Id, "intro", "non_it_migrant", null, default));
        Assert.Equal("Subnets split a network.", (string?)(await Blocks(LearnerPersona.NonItMigrant))["intro"]["markdown"]);
        Assert.Equal(["payload.alt"], (await Problem(HttpStatusCode.BadRequest, () => PutAsset(topic.Id, "diagram", null, ContentType.Image, """{"url":"https://cdn.example/a.png"}"""))).Errors!.Keys);
        Assert.Equal(["persona"], (await Problem(HttpStatusCode.BadRequest, () => PutAsset(topic.Id, "intro", "wizard", ContentType.Text, """{"markdown":"x"}"""))).Errors!.Keys);
        Assert.Equal(["contentKey"], (await Problem(HttpStatusCode.BadRequest, () => PutAsset(topic.Id, "no spaces", null, ContentType.Text, """{"markdown":"x"}"""))).Errors!.Keys);
    }

    [Fact]
    public async Task A_topic_edit_changes_the_lesson_and_moves_the_course_detail()
    {
        var course = await CreateCourse(Course(Slug()));
        var layout = new JsonObject { ["version"] = "1", ["blocks"] = new JsonArray(new JsonObject { ["id"] = "t", ["type"] = "text", ["data"] = new JsonObject { ["markdown"] = "Before." } }) };
        var topic = await CreateTopic(course.Slug, Topic(1, 1, layout) with { IsPreview = true });
        var detailBefore = await app.Run<CatalogService, CourseDetail>(s => s.DetailAsync(course.Slug, null, default));

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        layout["blocks"]![0]!["data"]!["markdown"] = "After.";
        await app.Run<TopicAdminService, TopicAdminDto>(s => s.UpdateAsync(course.Id.ToString(), topic.Id, Topic(1, 1, layout) with { IsPreview = true, Name = "Subnets, revised" }, null, default));

        var lesson = await app.Run<LessonService, LessonContent>(s => s.GetAsync(topic.Id, null, default));
        Assert.Equal("After.", (string?)lesson.Layout.Blocks.Single().Data["markdown"]);
        var detailAfter = await app.Run<CatalogService, CourseDetail>(s => s.DetailAsync(course.Slug, null, default));
        Assert.True(detailAfter.UpdatedAt > detailBefore.UpdatedAt);
        Assert.Equal("Subnets, revised", detailAfter.Modules.Single().Topics.Single().Name);
    }

    [Fact]
    public async Task Quiz_questions_need_exactly_one_correct_option_and_a_pair_the_module_has()
    {
        var course = await CreateCourse(Course(Slug()));
        for (var n = 1; n <= 3; n++) await CreateTopic(course.Slug, Topic(1, n, name: $"T{n}"));
        QuizQuestionRequest Question(int pair, params (string Text, bool Correct)[] options) =>
            new(1, pair, "What does /24 leave for hosts?", null, [.. options.Select(o => new QuizOptionRequest(o.Text, o.Correct))]);

        var created = await app.Run<QuizQuestionAdminService, QuizQuestionAdminDto>(s => s.CreateAsync(course.Slug, Question(2, ("8 bits", true), ("16 bits", false)), default));
        Assert.Equal([("8 bits", true, 1), ("16 bits", false, 2)], created.Options.Select(o => (o.Text, o.IsCorrect, o.DisplayOrder)));

        Assert.Equal(["options"], (await Problem(HttpStatusCode.BadRequest, () => app.Run<QuizQuestionAdminService, QuizQuestionAdminDto>(s => s.CreateAsync(course.Slug, Question(1, ("a", true), ("b", true)), default)))).Errors!.Keys);
        Assert.Equal(["options"], (await Problem(HttpStatusCode.BadRequest, () => app.Run<QuizQuestionAdminService, QuizQuestionAdminDto>(s => s.CreateAsync(course.Slug, Question(1, ("a", false), ("b", false)), default)))).Errors!.Keys);
        Assert.Equal(["options[1].text"], (await Problem(HttpStatusCode.BadRequest, () => app.Run<QuizQuestionAdminService, QuizQuestionAdminDto>(s => s.CreateAsync(course.Slug, Question(1, ("a", true), ("A ", false)), default)))).Errors!.Keys);
        Assert.Equal(["topicPairIndex"], (await Problem(HttpStatusCode.BadRequest, () => app.Run<QuizQuestionAdminService, QuizQuestionAdminDto>(s => s.CreateAsync(course.Slug, Question(3, ("a", true), ("b", false)), default)))).Errors!.Keys);

        var replaced = await app.Run<QuizQuestionAdminService, QuizQuestionAdminDto>(s => s.ReplaceAsync(course.Slug, created.Id, Question(1, ("x", false), ("y", false), ("z", true)), null, default));
        Assert.Equal((1, "z"), (replaced.TopicPairIndex, replaced.Options.Single(o => o.IsCorrect).Text));
        Assert.Equal(3, await app.Db(db => db.QuizOptions.CountAsync(o => o.QuestionId == created.Id)));
        await app.Run<QuizQuestionAdminService>(s => s.DeleteAsync(course.Slug, created.Id, null, default));
        Assert.Empty(await app.Run<QuizQuestionAdminService, IReadOnlyList<QuizQuestionAdminDto>>(s => s.ListAsync(course.Slug, null, default)));
    }

    [Fact]
    public async Task A_material_created_while_its_topic_is_being_deleted_is_a_404_not_a_database_error()
    {
        var course = await CreateCourse(Course(Slug()));
        var topic = await CreateTopic(course.Slug, Topic(1, 1));
        await using var deleting = Database.CreateContext();
        await using var deletion = await deleting.Database.BeginTransactionAsync();
        await deleting.Topics.Where(t => t.Id == topic.Id).ExecuteDeleteAsync(); // not committed yet: the row is locked

        var create = app.Run<TopicMaterialsAdminService, PromptSuggestionAdminDto>(s => s.CreateSuggestionAsync(topic.Id, new PromptSuggestionRequest("Why?", "Because.", null, null), default));
        // The create waits on the topic's lock (it would otherwise have read the topic and failed on its foreign key).
        await using (var watcher = Database.CreateContext())
            Assert.True(await Eventually.HoldsAsync(async () => await watcher.Database.SqlQuery<int>($"SELECT count(*)::int AS \"Value\" FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()").SingleAsync() > 0,
                TimeSpan.FromSeconds(30)));
        await deletion.CommitAsync();

        await Problem(HttpStatusCode.NotFound, () => create);
    }

    [Fact]
    public async Task Suggestion_trees_refuse_cycles_and_parents_of_other_topics_and_prompts_keep_learners_answers()
    {
        var course = await CreateCourse(Course(Slug()));
        var topic = await CreateTopic(course.Slug, Topic(1, 1));
        var other = await CreateTopic(course.Slug, Topic(1, 2, name: "Other"));
        Task<PromptSuggestionAdminDto> Suggest(Guid topicId, Guid? parent) =>
            app.Run<TopicMaterialsAdminService, PromptSuggestionAdminDto>(s => s.CreateSuggestionAsync(topicId, new PromptSuggestionRequest("Why?", "Because.", parent, null), default));

        var root = await Suggest(topic.Id, null);
        var child = await Suggest(topic.Id, root.Id);
        var grandchild = await Suggest(topic.Id, child.Id);
        var foreign = await Suggest(other.Id, null);
        Assert.Contains("cycle", (await Problem(HttpStatusCode.BadRequest, () => app.Run<TopicMaterialsAdminService, PromptSuggestionAdminDto>(s =>
            s.ReplaceSuggestionAsync(topic.Id, root.Id, new PromptSuggestionRequest("Why?", "Because.", grandchild.Id, null), null, default)))).Errors!["parentId"][0]);
        await Problem(HttpStatusCode.BadRequest, () => Suggest(topic.Id, foreign.Id));
        await app.Run<TopicMaterialsAdminService>(s => s.DeleteSuggestionAsync(topic.Id, root.Id, null, default));
        Assert.Empty(await app.Run<TopicMaterialsAdminService, IReadOnlyList<PromptSuggestionAdminDto>>(s => s.SuggestionsAsync(topic.Id, default)));

        var first = await app.Run<TopicMaterialsAdminService, ColdCallPromptAdminDto>(s => s.CreateColdCallPromptAsync(topic.Id, new ColdCallPromptRequest("What is a subnet?", null), default));
        var second = await app.Run<TopicMaterialsAdminService, ColdCallPromptAdminDto>(s => s.CreateColdCallPromptAsync(topic.Id, new ColdCallPromptRequest("Why split?", null), default));
        Assert.Equal((1, 2), (first.DisplayOrder, second.DisplayOrder));
        await Problem(HttpStatusCode.Conflict, () => app.Run<TopicMaterialsAdminService, ColdCallPromptAdminDto>(s => s.ReplaceColdCallPromptAsync(topic.Id, second.Id, new ColdCallPromptRequest("Why split?", 1), null, default)));

        var cohort = await app.CohortAsync(await app.Db(db => db.Courses.SingleAsync(c => c.Id == course.Id)));
        var learner = await app.CreateUserAsync();
        await app.Db(db =>
        {
            db.ColdCallMessages.Add(new ColdCallMessage { Id = Guid.NewGuid(), PromptId = first.Id, CohortId = cohort.Id, UserId = learner.Id, Content = "A smaller network.", CreatedAt = app.Clock.GetUtcNow() });
            return db.SaveChangesAsync();
        });
        Assert.Contains("1 message(s)", (await Problem(HttpStatusCode.Conflict, () => app.Run<TopicMaterialsAdminService>(s => s.DeleteColdCallPromptAsync(topic.Id, first.Id, null, default)))).Detail);
        await app.Run<TopicMaterialsAdminService>(s => s.DeleteColdCallPromptAsync(topic.Id, second.Id, null, default));
        Assert.Equal([first.Id], (await app.Run<TopicMaterialsAdminService, IReadOnlyList<ColdCallPromptAdminDto>>(s => s.ColdCallPromptsAsync(topic.Id, default))).Select(p => p.Id));
    }

    [Fact]
    public async Task Pages_and_simulations_are_created_then_replaced()
    {
        var slug = $"faq-{Guid.NewGuid():N}"[..12];
        var (page, created) = await app.Run<PageAdminService, (PageDto, bool)>(s => s.PutAsync(slug, new CmsPageRequest("FAQ", new JsonObject { ["markdown"] = "Q?" }), default));
        var (again, createdAgain) = await app.Run<PageAdminService, (PageDto, bool)>(s => s.PutAsync(slug, new CmsPageRequest("FAQ", new JsonObject { ["markdown"] = "A!" }), default));
        Assert.Equal((true, false, "A!"), (created, createdAgain, (string?)(await app.Run<CatalogService, PageDto>(s => s.PageAsync(slug, default))).Content["markdown"]));
        Assert.Equal(page.Slug, again.Slug);
        await Problem(HttpStatusCode.BadRequest, () => app.Run<PageAdminService, (PageDto, bool)>(s => s.PutAsync("Not A Slug", new CmsPageRequest("x", []), default)));

        var course = await CreateCourse(Course(Slug()));
        var topic = await CreateTopic(course.Slug, Topic(1, 1) with { IsPreview = true });
        await app.Run<TopicMaterialsAdminService, (SimulationAdminDto, bool)>(s => s.PutSimulationAsync(topic.Id, new SimulationRequest("Split a /24", "Make four subnets.", new JsonObject { ["cidr"] = "10.0.0.0/24" }), null, default));
        Assert.Equal("Split a /24", (await app.Run<LessonService, LessonContent>(s => s.GetAsync(topic.Id, null, default))).SimulationExercise!.Title);
        await app.Run<TopicMaterialsAdminService>(s => s.DeleteSimulationAsync(topic.Id, null, default));
        Assert.Null((await app.Run<LessonService, LessonContent>(s => s.GetAsync(topic.Id, null, default))).SimulationExercise);
    }
}
