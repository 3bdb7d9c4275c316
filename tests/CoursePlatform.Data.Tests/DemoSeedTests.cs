using System.Text.Json;
using CoursePlatform.Data.Model;
using CoursePlatform.DevTool;
using CoursePlatform.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Data.Tests;

public class DemoSeedTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly DemoSeedOptions Options = new()
    {
        AdminEmail = "Admin@Example.com", // stored lower-case
        AdminPassword = "test-only-Admin#1",
        TutorEmail = "tutor@example.com",
        TutorPassword = "test-only-Tutor#1",
    };

    /// <summary>Every table the seed writes.</summary>
    private static readonly string[] SeededTables =
    [
        "users", "tutors", "course_tutors", "courses", "topics", "simulation_exercises", "page_content",
        "topic_content_assets", "cohorts", "cohort_members", "cohort_batch_projects", "cold_call_prompts",
        "topic_prompt_suggestions", "learner_persona_profiles", "quiz_questions", "quiz_options", "enrollments",
    ];

    private static readonly string[] PersonaLabels = ["non_it_migrant", "rote_memorizer", "english_hesitant", "last_minute_panic", "pseudo_coder"];
    private static readonly string[] BriefFields = ["title", "tagline", "description"];

    private static async Task<DemoSeedResult> SeedAsync(string connectionString, DemoSeedOptions? options = null)
    {
        await using var db = CoursePlatformDb.CreateContext(connectionString);
        return await new DemoSeed().ApplyAsync(db, options ?? Options, TimeProvider.System, CancellationToken.None);
    }

    private static async Task<Dictionary<string, long>> CountRowsAsync(string connectionString)
    {
        var counts = new Dictionary<string, long>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var table in SeededTables)
        {
            await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            counts[table] = (long)(await command.ExecuteScalarAsync())!;
        }
        return counts;
    }

    [Fact]
    public async Task Applying_the_seed_twice_creates_nothing_the_second_time()
    {
        // Its own fresh database, so "the first run created everything" holds whatever else this class ran.
        var fresh = new DatabaseFixture();
        await fresh.InitializeAsync();
        try
        {
            var first = await SeedAsync(fresh.ConnectionString);
            var afterFirst = await CountRowsAsync(fresh.ConnectionString);

            var second = await SeedAsync(fresh.ConnectionString);
            var afterSecond = await CountRowsAsync(fresh.ConnectionString);

            Assert.Equal(afterFirst, afterSecond);
            Assert.Equal(afterFirst.Values.Sum(), first.Created);
            Assert.Equal(0, first.Updated);
            Assert.Equal(0, second.Created);
            Assert.Equal(0, second.Updated);
            Assert.Equal(first with { Created = 0, Updated = 0 }, second with { Created = 0, Updated = 0 });
            Assert.All(SeededTables, t => Assert.True(afterFirst[t] > 0, $"{t} is empty"));
            Assert.Equal(afterFirst["courses"], first.Courses);
            Assert.Equal(afterFirst["topics"], first.Topics);
            Assert.Equal(afterFirst["quiz_questions"], first.QuizQuestions);
            Assert.Equal(afterFirst["topic_content_assets"], first.ContentAssets);
            Assert.Equal(afterFirst["users"], first.Users);
        }
        finally
        {
            await fresh.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_gated_course_has_three_modules_of_four_topics_with_persona_layouts_and_assets()
    {
        await SeedAsync(database.ConnectionString);
        await using var db = database.CreateContext();

        var course = await db.Courses.AsNoTracking().SingleAsync(c => c.Slug == DemoSeed.GatedCourseSlug);
        Assert.True(course.IsPublished);
        Assert.Equal(EnrollmentMode.Cohort, course.EnrollmentMode);
        Assert.True(course.Price > 0);
        Assert.Equal("USD", course.Currency);
        Assert.Equal(3, course.ModuleCount);

        var topics = await db.Topics.AsNoTracking().Where(t => t.CourseId == course.Id)
            .OrderBy(t => t.ModuleNo).ThenBy(t => t.TopicNumber).ToListAsync();
        Assert.Equal([1, 2, 3], topics.Select(t => t.ModuleNo).Distinct());
        Assert.All(topics.GroupBy(t => t.ModuleNo), m => Assert.Equal([1, 2, 3, 4], m.Select(t => t.TopicNumber)));
        Assert.Equal([(1, 1)], topics.Where(t => t.IsPreview).Select(t => (t.ModuleNo, t.TopicNumber)));
        Assert.Contains(topics, t => t.VideoUrl is not null && t.VideoUrl.Contains("youtube.com/watch", StringComparison.Ordinal));
        Assert.All(topics.Where(t => t.ModuleNo == 1), t =>
        {
            Assert.False(string.IsNullOrWhiteSpace(t.TextContentSports));
            Assert.False(string.IsNullOrWhiteSpace(t.TextContentCooking));
            Assert.False(string.IsNullOrWhiteSpace(t.TextContentAdventure));
        });

        var assets = await db.TopicContentAssets.AsNoTracking().Where(a => a.Topic.CourseId == course.Id).ToListAsync();
        string[] types = ["text", "image", "video", "ppt"];
        foreach (var topic in topics)
        {
            using var layout = JsonDocument.Parse(topic.TextContent!);
            Assert.Equal("1", layout.RootElement.GetProperty("version").GetString());
            var blocks = layout.RootElement.GetProperty("blocks").EnumerateArray().ToList();
            Assert.All(blocks, b =>
            {
                Assert.False(string.IsNullOrEmpty(b.GetProperty("id").GetString()));
                Assert.Contains(b.GetProperty("type").GetString(), types);
            });
            Assert.Equal(blocks.Count, blocks.Select(b => b.GetProperty("id").GetString()).Distinct().Count());

            var keyed = blocks.Where(b => b.TryGetProperty("contentKey", out _)).Select(b => b.GetProperty("contentKey").GetString()).ToList();
            var personaInline = blocks.Where(b => b.TryGetProperty("tutorPersona", out _)).ToList();
            var plainInline = blocks.Where(b => !b.TryGetProperty("contentKey", out _) && !b.TryGetProperty("tutorPersona", out _)).ToList();
            Assert.NotEmpty(keyed);
            Assert.NotEmpty(personaInline);
            Assert.NotEmpty(plainInline);
            Assert.All(personaInline.Concat(plainInline), b => Assert.Equal(JsonValueKind.Object, b.GetProperty("data").ValueKind));
            Assert.All(personaInline, b => Assert.Contains(b.GetProperty("tutorPersona").GetString(), PersonaLabels));
            // Every asset-backed block has a default payload to fall back on.
            Assert.All(keyed, key => Assert.Contains(assets, a => a.TopicId == topic.Id && a.ContentKey == key && a.PersonaKey == null));
            // Both demo personas get their own version of the lesson text.
            var intro = assets.Where(a => a.TopicId == topic.Id && a.ContentKey == "intro").ToDictionary(a => a.PersonaKey?.ToString() ?? "default");
            Assert.Equal(3, intro.Select(i => i.Value.Payload.RootElement.GetProperty("markdown").GetString()).Distinct().Count());
            Assert.True(intro.ContainsKey(nameof(LearnerPersona.NonItMigrant)) && intro.ContainsKey(nameof(LearnerPersona.PseudoCoder)));
        }
        Assert.All(assets.Where(a => a.ContentType == ContentType.Image), a =>
        {
            Assert.True(a.Payload.RootElement.TryGetProperty("url", out _));
            Assert.True(a.Payload.RootElement.TryGetProperty("alt", out _));
        });
        Assert.All(assets.Where(a => a.ContentType is ContentType.Video or ContentType.Ppt), a =>
        {
            Assert.True(a.Payload.RootElement.TryGetProperty("url", out _));
            Assert.True(a.Payload.RootElement.TryGetProperty("title", out _));
        });

        Assert.True(await db.SimulationExercises.CountAsync(s => s.Topic.CourseId == course.Id) >= 2);

        // Prompt suggestions: a tree (roots with children) with answers on every topic.
        var suggestions = await db.TopicPromptSuggestions.AsNoTracking().Where(s => s.Topic.CourseId == course.Id).ToListAsync();
        Assert.All(topics, t =>
        {
            var mine = suggestions.Where(s => s.TopicId == t.Id).ToList();
            var roots = mine.Where(s => s.ParentId == null).ToList();
            Assert.True(roots.Count >= 2);
            Assert.Contains(mine, s => roots.Any(r => r.Id == s.ParentId));
            Assert.All(mine, s => Assert.False(string.IsNullOrWhiteSpace(s.Answer)));
        });

        // Cold calls: two per topic of module 1, distinct display orders.
        var coldCalls = await db.ColdCallPrompts.AsNoTracking().Where(p => p.Topic.CourseId == course.Id && p.Topic.ModuleNo == 1)
            .Select(p => new { p.TopicId, p.DisplayOrder }).ToListAsync();
        Assert.All(topics.Where(t => t.ModuleNo == 1), t =>
            Assert.Equal([1, 2], coldCalls.Where(c => c.TopicId == t.Id).Select(c => c.DisplayOrder).Order()));
    }

    [Fact]
    public async Task Every_topic_pair_of_every_module_has_at_least_six_questions_with_one_correct_option_of_four()
    {
        await SeedAsync(database.ConnectionString);
        await using var db = database.CreateContext();

        foreach (var slug in new[] { DemoSeed.GatedCourseSlug, DemoSeed.OpenCourseSlug, DemoSeed.PaidCourseSlug })
        {
            var course = await db.Courses.AsNoTracking().SingleAsync(c => c.Slug == slug);
            var topicsPerModule = await db.Topics.Where(t => t.CourseId == course.Id)
                .GroupBy(t => t.ModuleNo).Select(g => new { Module = g.Key, Count = g.Count() }).ToListAsync();
            var questions = await db.QuizQuestions.AsNoTracking().Include(q => q.Options)
                .Where(q => q.CourseId == course.Id).ToListAsync();

            Assert.Equal(course.ModuleCount, topicsPerModule.Count);
            foreach (var module in topicsPerModule)
            {
                var pairs = (module.Count + 1) / 2;
                for (var pair = 1; pair <= pairs; pair++)
                {
                    var section = questions.Where(q => q.ModuleNo == module.Module && q.TopicPairIndex == pair).ToList();
                    Assert.True(section.Count >= 6, $"{slug} module {module.Module} pair {pair} has {section.Count} questions");
                }
                Assert.DoesNotContain(questions, q => q.ModuleNo == module.Module && q.TopicPairIndex > pairs);
            }
            Assert.All(questions, q =>
            {
                Assert.Equal(4, q.Options.Count);
                Assert.Single(q.Options, o => o.IsCorrect);
                Assert.Equal(4, q.Options.Select(o => o.Text).Distinct().Count());
            });
            // The correct answer is not always in the same position.
            Assert.True(questions.Select(q => q.Options.Single(o => o.IsCorrect).DisplayOrder).Distinct().Count() > 1);
        }
    }

    [Fact]
    public async Task The_open_course_the_pages_and_the_tutor_assignment_are_seeded()
    {
        await SeedAsync(database.ConnectionString);
        await using var db = database.CreateContext();

        var open = await db.Courses.AsNoTracking().SingleAsync(c => c.Slug == DemoSeed.OpenCourseSlug);
        Assert.True(open.IsPublished);
        Assert.Equal(EnrollmentMode.Open, open.EnrollmentMode);
        Assert.Equal(0m, open.Price);
        Assert.True(open.ModuleCount >= 1);
        var openTopics = await db.Topics.CountAsync(t => t.CourseId == open.Id && t.ModuleNo == 1);
        Assert.InRange(openTopics, 2, 4);

        Assert.Equal(["about", "faq"], await db.PageContent.OrderBy(p => p.Slug).Select(p => p.Slug).ToListAsync());

        var tutor = await db.Tutors.AsNoTracking().Include(t => t.User).SingleAsync(t => t.User.Email == "tutor@example.com");
        Assert.Equal(UserRole.Tutor, tutor.User.Role);
        Assert.True(await db.CourseTutors.AnyAsync(ct => ct.TutorId == tutor.Id && ct.Course.Slug == DemoSeed.GatedCourseSlug));
        var admin = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "admin@example.com");
        Assert.Equal(UserRole.Admin, admin.Role);
    }

    [Fact]
    public async Task The_cohort_has_an_allowlist_across_two_batches_with_briefs_and_the_demo_learners_have_their_personas()
    {
        await SeedAsync(database.ConnectionString);
        await using var db = database.CreateContext();

        var course = await db.Courses.AsNoTracking().SingleAsync(c => c.Slug == DemoSeed.GatedCourseSlug);
        var cohort = await db.Cohorts.AsNoTracking().SingleAsync(c => c.CourseId == course.Id);
        Assert.True(cohort.IsActive);

        var members = await db.CohortMembers.AsNoTracking().Where(m => m.CohortId == cohort.Id).ToListAsync();
        Assert.Equal([1, 2], members.Select(m => m.BatchNo).Distinct().Order());
        var briefs = await db.CohortBatchProjects.AsNoTracking().Where(p => p.CohortId == cohort.Id).OrderBy(p => p.BatchNo).ToListAsync();
        Assert.Equal([1, 2], briefs.Select(b => b.BatchNo));
        Assert.All(briefs, b =>
        {
            foreach (var field in BriefFields)
                Assert.False(string.IsNullOrWhiteSpace(b.Payload.RootElement.GetProperty(field).GetString()));
        });

        var learners = await db.Users.AsNoTracking().Where(u => u.Role == UserRole.Learner).ToListAsync();
        Assert.All(learners, u =>
        {
            Assert.Equal(u.Email.ToLowerInvariant(), u.Email);
            // Linked to their Google account by email on the first sign-in, not before.
            Assert.Null(u.AuthProvider);
            Assert.Null(u.ProviderSubject);
            Assert.Null(u.PasswordHash);
            Assert.Contains(members, m => m.Email == u.Email);
        });

        var enrollments = await db.Enrollments.AsNoTracking().Where(e => e.CourseId == course.Id).ToListAsync();
        var profiles = await db.LearnerPersonaProfiles.AsNoTracking().Where(p => p.CourseId == course.Id).ToListAsync();
        void AssertLearner(string email, LearnerPersona? persona, int batch, bool enrolled)
        {
            var user = learners.Single(u => u.Email == email);
            var member = members.Single(m => m.Email == email);
            Assert.Equal(batch, member.BatchNo);
            Assert.Equal(persona, profiles.SingleOrDefault(p => p.UserId == user.Id)?.PersonaKey);
            var enrollment = enrollments.SingleOrDefault(e => e.UserId == user.Id);
            Assert.Equal(enrolled, enrollment is not null);
            if (enrollment is not null)
            {
                Assert.Equal(EnrollmentSource.Cohort, enrollment.Source);
                Assert.Equal(cohort.Id, enrollment.CohortId);
                Assert.Equal(user.Id, member.UserId);
            }
        }
        AssertLearner("learner.a@example.com", LearnerPersona.NonItMigrant, batch: 1, enrolled: true);
        AssertLearner("learner.b@example.com", LearnerPersona.PseudoCoder, batch: 2, enrolled: true);
        AssertLearner("learner.c@example.com", null, batch: 1, enrolled: true);
        AssertLearner("learner.d@example.com", null, batch: 2, enrolled: false);
    }

    [Fact]
    public async Task Staff_passwords_are_stored_only_as_hashes_that_verify_and_follow_the_settings()
    {
        await SeedAsync(database.ConnectionString);
        var hasher = new PasswordHasher<User>();
        await using (var db = database.CreateContext())
        {
            var admin = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "admin@example.com");
            var tutor = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "tutor@example.com");
            Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(admin, admin.PasswordHash!, Options.AdminPassword!));
            Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(tutor, tutor.PasswordHash!, Options.TutorPassword!));
            Assert.Equal(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(admin, admin.PasswordHash!, Options.TutorPassword!));
            Assert.DoesNotContain(Options.AdminPassword!, admin.PasswordHash!, StringComparison.Ordinal);
        }

        // The plain password appears nowhere in the users table.
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT count(*) FROM users u WHERE strpos(u::text, @p) > 0", connection);
            command.Parameters.AddWithValue("p", Options.AdminPassword!);
            Assert.Equal(0L, (long)(await command.ExecuteScalarAsync())!);
        }

        // A changed setting is picked up on the next run; the unchanged tutor keeps its hash.
        string tutorHashBefore;
        await using (var db = database.CreateContext())
            tutorHashBefore = (await db.Users.SingleAsync(u => u.Email == "tutor@example.com")).PasswordHash!;
        var changed = new DemoSeedOptions
        {
            AdminEmail = Options.AdminEmail, AdminPassword = "test-only-Changed#2",
            TutorEmail = Options.TutorEmail, TutorPassword = Options.TutorPassword,
        };
        var result = await SeedAsync(database.ConnectionString, changed);
        Assert.Equal(1, result.Updated);
        await using (var db = database.CreateContext())
        {
            var admin = await db.Users.AsNoTracking().SingleAsync(u => u.Email == "admin@example.com");
            Assert.NotEqual(PasswordVerificationResult.Failed, hasher.VerifyHashedPassword(admin, admin.PasswordHash!, "test-only-Changed#2"));
            Assert.Equal(tutorHashBefore, (await db.Users.AsNoTracking().SingleAsync(u => u.Email == "tutor@example.com")).PasswordHash);
        }
        await SeedAsync(database.ConnectionString); // back to the class's settings
    }

    [Fact]
    public async Task Missing_passwords_are_refused_with_a_clear_message_before_anything_is_written()
    {
        var options = new DemoSeedOptions { AdminEmail = "admin@example.com", TutorEmail = "tutor@example.com", TutorPassword = "x" };
        await using var db = database.CreateContext();
        var error = await Assert.ThrowsAsync<DevToolException>(() => new DemoSeed().ApplyAsync(db, options, TimeProvider.System, CancellationToken.None));
        Assert.Contains("DemoSeed__AdminPassword", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", "Host=127.0.0.1;Port=54329;Database=cp;Username=u;Password=p")]
    [InlineData("Development", "Host=localhost;Database=cp")]
    [InlineData("Development", "Host=::1;Database=cp")]
    [InlineData("development", "Host=127.0.0.1,localhost:5433;Database=cp")]
    public void The_guard_allows_development_on_a_loopback_host(string environment, string connectionString) =>
        Assert.Null(SeedGuard.Check(environment, connectionString));

    [Theory]
    [InlineData("Production", "Host=127.0.0.1;Database=cp")]
    [InlineData("Staging", "Host=localhost;Database=cp")]
    [InlineData("", "Host=localhost;Database=cp")]
    [InlineData(null, "Host=localhost;Database=cp")]
    [InlineData("Development", "Host=db.example.com;Database=cp")]
    [InlineData("Development", "Host=cp-prod.postgres.database.azure.com;Database=cp")]
    [InlineData("Development", "Host=10.0.0.5;Database=cp")]
    [InlineData("Development", "Host=127.0.0.1,db.example.com;Database=cp")]
    [InlineData("Development", "")]
    public void The_guard_refuses_other_environments_and_remote_hosts(string? environment, string connectionString)
    {
        var refusal = SeedGuard.Check(environment, connectionString);
        Assert.NotNull(refusal);
        Assert.StartsWith("Refusing to seed", refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Settings_come_from_the_values_of_local_settings_overlaid_by_the_environment()
    {
        var file = Path.Combine(Path.GetTempPath(), $"devtool-settings-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """
            {
              "IsEncrypted": false,
              "Values": {
                "AZURE_FUNCTIONS_ENVIRONMENT": "Development",
                "Database__ConnectionString": "Host=127.0.0.1;Database=from_file",
                "DemoSeed__AdminEmail": "boss@example.com",
                "DemoSeed__AdminPassword": "from-file"
              }
            }
            """);
        try
        {
            var settings = DevToolSettings.Load(file, new Dictionary<string, string?>
            {
                ["Database__ConnectionString"] = "Host=localhost;Database=from_env",
                ["DemoSeed__TutorPassword"] = "from-env",
                ["DemoSeed__AdminEmail"] = null,
            });
            Assert.Equal("Development", settings.Environment);
            Assert.Equal("Host=localhost;Database=from_env", settings.ConnectionString);
            var options = settings.ToSeedOptions();
            Assert.Equal("boss@example.com", options.AdminEmail);
            Assert.Equal("from-file", options.AdminPassword);
            Assert.Equal("from-env", options.TutorPassword);
            Assert.Equal("tutor@example.com", options.TutorEmail);
        }
        finally
        {
            File.Delete(file);
        }
        Assert.Throws<DevToolException>(() => DevToolSettings.Load("/no/such/local.settings.json", new Dictionary<string, string?>()));
    }
}
