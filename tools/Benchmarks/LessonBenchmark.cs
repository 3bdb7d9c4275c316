using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Catalog;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// The learner's path at the database floor: the service call each endpoint makes (lesson content, course outline,
/// catalog list) and the session check every signed-in request pays, each against the same data fetched in one
/// hand-written SQL round trip on an open connection. The services run as the functions run them: resolved from a
/// scope of the app's own container (pooled contexts, one lease per request).
/// </summary>
public static class LessonBenchmark
{
    private const string OutlineSlug = "outline-bench";

    public static async Task RunAsync(int iterations)
    {
        await using var database = await BenchmarkDatabase.CreateAsync();
        var (topicId, caller) = await SeedLessonAsync(database);
        await SeedOutlineCatalogAndSessionsAsync(database, caller);
        await using var app = database.CreateApp();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();

        async Task<T> Service<TService, T>(Func<TService, Task<T>> call) where TService : notnull
        {
            await using var scope = app.CreateAsyncScope();
            return await call(scope.ServiceProvider.GetRequiredService<TService>());
        }
        // The floor reads every value of every row it gets, as any caller would.
        async Task<List<object[]>> Floor(string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("topic", topicId);
            command.Parameters.AddWithValue("user", caller.UserId);
            command.Parameters.AddWithValue("family", caller.SessionId);
            command.Parameters.AddWithValue("course", OutlineSlug);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<object[]>();
            while (await reader.ReadAsync())
            {
                var row = new object[reader.FieldCount];
                reader.GetValues(row);
                rows.Add(row);
            }
            return rows;
        }
        static void Expect(bool condition, string what) { if (!condition) throw new InvalidOperationException($"expected {what}"); }

        var results = new List<FloorComparison>
        {
            await Timing.AgainstFloorAsync("lesson", "30 blocks (15 asset, 15 inline), a learner with a persona", iterations,
                async () => Expect((await Service<LessonService, LessonContent>(s => s.GetAsync(topicId, caller, default))).Layout.Blocks.Count == 30, "30 blocks"),
                async () => Expect(JsonDocument.Parse((string)(await Floor(LessonFloor))[0][0]).RootElement.GetProperty("assets").GetArrayLength() == 15, "15 assets")),
            await Timing.AgainstFloorAsync("outline", "12 modules x 12 topics, the learner's progress rows and module locks", iterations,
                async () => Expect((await Service<OutlineService, CourseOutline>(s => s.GetAsync(OutlineSlug, caller, default))).Modules.Sum(m => m.Topics.Count) == 144, "144 topics"),
                async () => Expect((await Floor(OutlineFloor)).Count == 144, "144 topics")),
            await Timing.AgainstFloorAsync("catalog", "first page (20) of 50 published courses with topic counts and the total", iterations,
                async () => Expect((await Service<CatalogService, PagedList<CourseSummary>>(s => s.ListAsync(null, new PageRequest(1, PageRequest.DefaultSize), default))).Total == 50, "50 courses"),
                async () => Expect((await Floor(CatalogFloor)) is { Count: PageRequest.DefaultSize } page && (long)page[0][^1] == 50, "a page of 20 of 50")),
            await Timing.AgainstFloorAsync("session check", "the middleware's revocation lookup alone (the family has 3 rows; 1,500 other sessions)", iterations,
                async () => Expect(await Service<CoursePlatformDbContext, bool>(db => AuthenticationMiddleware.IsSessionLiveAsync(db, caller, default)), "a live session"),
                async () => Expect((bool)(await Floor(SessionFloor))[0][0], "a live session")),
        };
        Timing.Print(results, iterations);
    }

    /// <summary>Topic, enrolment, persona and the persona's-or-default assets as one JSON document.</summary>
    private const string LessonFloor = """
        WITH persona AS (
          SELECT p.persona_key FROM learner_persona_profiles p JOIN topics t ON t.course_id = p.course_id
          WHERE t.id = @topic AND p.user_id = @user)
        SELECT json_build_object(
          'topic', (SELECT row_to_json(t) FROM topics t WHERE t.id = @topic),
          'enrolled', EXISTS (SELECT 1 FROM enrollments e JOIN topics t ON t.course_id = e.course_id WHERE t.id = @topic AND e.user_id = @user),
          'assets', (SELECT coalesce(json_agg(a.payload), '[]'::json) FROM (
              SELECT DISTINCT ON (content_key) payload FROM topic_content_assets
              WHERE topic_id = @topic AND (persona_key IS NULL OR persona_key = (SELECT persona_key FROM persona))
              ORDER BY content_key, persona_key NULLS LAST) a))::text
        """;

    /// <summary>
    /// A row per topic: the course, the topic, the learner's progress on it, the learner's row of its module and the
    /// module's topic pairs that have a gradable question (two options or more, one of them correct).
    /// </summary>
    private const string OutlineFloor = """
        WITH course AS (SELECT id, slug, name, is_published FROM courses WHERE slug = @course),
        gradable AS (
          SELECT g.module_no, array_agg(DISTINCT g.topic_pair_index) AS pairs FROM (
            SELECT q.module_no, q.topic_pair_index FROM quiz_questions q JOIN quiz_options o ON o.question_id = q.id
            WHERE q.course_id = (SELECT id FROM course) GROUP BY q.id HAVING count(*) >= 2 AND bool_or(o.is_correct)) g
          GROUP BY g.module_no)
        SELECT c.id, c.slug, c.name, c.is_published, t.id, t.module_no, t.topic_number, t.name, t.is_preview, t.video_url IS NOT NULL,
               p.status, p.progress, p.completed_at, mp.passed_at, mp.cooldown_until, g.pairs
        FROM course c
        LEFT JOIN topics t ON t.course_id = c.id
        LEFT JOIN topic_progress p ON p.topic_id = t.id AND p.user_id = @user
        LEFT JOIN module_progress mp ON mp.course_id = c.id AND mp.module_no = t.module_no AND mp.user_id = @user
        LEFT JOIN gradable g ON g.module_no = t.module_no
        ORDER BY t.module_no, t.topic_number
        """;

    /// <summary>The first page of published courses by name, each with its topic count, and how many there are.</summary>
    private const string CatalogFloor = """
        SELECT c.id, c.slug, c.name, c.description, c.thumbnail_url, c.price, c.currency, c.enrollment_mode, c.module_count,
               (SELECT count(*) FROM topics t WHERE t.course_id = c.id) AS topic_count,
               (SELECT count(*) FROM courses WHERE is_published) AS total
        FROM courses c WHERE c.is_published ORDER BY c.name, c.id LIMIT 20
        """;

    private const string SessionFloor = """
        SELECT EXISTS (SELECT 1 FROM user_sessions WHERE family_id = @family AND user_id = @user AND revoked_at IS NULL)
        """;

    private static async Task<(Guid TopicId, Caller Caller)> SeedLessonAsync(BenchmarkDatabase database)
    {
        var now = DateTimeOffset.UtcNow;
        var user = new User { Email = "bench.learner@example.com", Role = UserRole.Learner, CreatedAt = now, UpdatedAt = now };
        var course = new Course { Slug = "bench", Name = "Bench", Currency = "USD", IsPublished = true, ModuleCount = 1, CreatedAt = now, UpdatedAt = now };
        var blocks = new JsonArray();
        var topic = new Topic { Course = course, ModuleNo = 1, TopicNumber = 1, Name = "Thirty blocks", CreatedAt = now, UpdatedAt = now };
        await using var db = database.CreateContext();
        for (var i = 0; i < 15; i++)
        {
            blocks.Add(new JsonObject { ["id"] = $"asset-{i}", ["type"] = "text", ["contentKey"] = $"key-{i}" });
            blocks.Add(new JsonObject
            {
                ["id"] = $"inline-{i}", ["type"] = "text", ["tutorPersona"] = i % 3 == 0 ? "non_it_migrant" : null,
                ["data"] = new JsonObject { ["markdown"] = $"Inline paragraph {i}: " + new string('x', 400) },
            });
            foreach (var persona in new LearnerPersona?[] { null, LearnerPersona.NonItMigrant, LearnerPersona.PseudoCoder, LearnerPersona.RoteMemorizer })
            {
                db.TopicContentAssets.Add(new TopicContentAsset
                {
                    Topic = topic, ContentKey = $"key-{i}", PersonaKey = persona, ContentType = ContentType.Text, CreatedAt = now, UpdatedAt = now,
                    Payload = JsonSerializer.SerializeToDocument(new { markdown = $"Asset {i} for {persona?.ToString() ?? "everyone"}: " + new string('y', 600) }),
                });
            }
        }
        topic.TextContent = new JsonObject { ["version"] = "1", ["blocks"] = blocks }.ToJsonString();
        db.AddRange(user, topic,
            new Enrollment { User = user, Course = course, Source = EnrollmentSource.Free, EnrolledAt = now },
            new LearnerPersonaProfile { User = user, Course = course, PersonaKey = LearnerPersona.NonItMigrant, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
        return (topic.Id, new Caller(user.Id, Guid.NewGuid(), UserRole.Learner));
    }

    /// <summary>
    /// The outline course (12 modules x 12 topics, every third topic with a video, three gradable questions per topic
    /// pair), 57 more courses of 1-12 modules for the catalog (48 of them published), the learner's progress (modules
    /// 1-4 done and passed, half of module 5 started and its quiz cooling down), 300 other learners who did modules 1-3,
    /// and sessions: the learner's family of 3 rows (2 rotated) among 1,500 others.
    /// </summary>
    private static async Task SeedOutlineCatalogAndSessionsAsync(BenchmarkDatabase database, Caller caller)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(SeedSql, connection) { CommandTimeout = 300 };
        command.Parameters.AddWithValue("user", caller.UserId);
        command.Parameters.AddWithValue("family", caller.SessionId);
        command.Parameters.AddWithValue("course", OutlineSlug);
        await command.ExecuteNonQueryAsync();
    }

    private const string SeedSql = """
        INSERT INTO courses (id, slug, name, description, thumbnail_url, price, currency, is_published, enrollment_mode, module_count, created_at, updated_at)
        VALUES (gen_random_uuid(), @course, 'Outline bench', 'Twelve modules of twelve topics.', NULL, 49, 'USD', true, 'open', 12, now(), now());

        INSERT INTO courses (id, slug, name, description, thumbnail_url, price, currency, is_published, enrollment_mode, module_count, created_at, updated_at)
        SELECT gen_random_uuid(), 'catalog-' || lpad(c::text, 2, '0'), 'Catalog course ' || lpad(c::text, 2, '0'),
               repeat('What this course covers and who it is for. ', 8), 'https://example.com/thumbnails/catalog-' || c || '.png',
               CASE WHEN c % 6 = 0 THEN 0 ELSE (c % 5) * 20 + 9.99 END, 'USD', c <= 48,
               (CASE WHEN c % 7 = 0 THEN 'cohort' ELSE 'open' END)::enrollment_mode, 1 + c % 12, now(), now()
        FROM generate_series(1, 57) c;

        INSERT INTO topics (id, course_id, module_no, topic_number, name, is_preview, video_url, created_at, updated_at)
        SELECT gen_random_uuid(), co.id, m, n, 'Topic ' || m || '.' || n, m = 1 AND n = 1,
               CASE WHEN n % 3 = 0 THEN 'https://www.youtube.com/watch?v=bench' || m || n END, now(), now()
        FROM courses co CROSS JOIN generate_series(1, 12) n JOIN generate_series(1, 12) m ON m <= co.module_count
        WHERE co.slug <> 'bench';

        INSERT INTO quiz_questions (id, course_id, module_no, topic_pair_index, question, created_at)
        SELECT gen_random_uuid(), co.id, m, p, 'Question ' || q || ' of section ' || m || '.' || p || '?', now()
        FROM courses co, generate_series(1, 12) m, generate_series(1, 6) p, generate_series(1, 3) q WHERE co.slug = @course;
        INSERT INTO quiz_options (id, question_id, text, is_correct, display_order)
        SELECT gen_random_uuid(), q.id, 'Option ' || o, o = 2, o FROM quiz_questions q, generate_series(1, 4) o;

        INSERT INTO enrollments (id, user_id, course_id, source, status, enrolled_at)
        SELECT gen_random_uuid(), @user, id, 'free', 'active', now() FROM courses WHERE slug = @course;
        INSERT INTO topic_progress (id, user_id, topic_id, status, progress, completed_at, updated_at)
        SELECT gen_random_uuid(), @user, t.id, (CASE WHEN t.module_no <= 4 THEN 'completed' ELSE 'in_progress' END)::progress_status,
               CASE WHEN t.module_no <= 4 THEN 1 ELSE 0.5 END, CASE WHEN t.module_no <= 4 THEN now() END, now()
        FROM topics t JOIN courses co ON co.id = t.course_id
        WHERE co.slug = @course AND (t.module_no <= 4 OR (t.module_no = 5 AND t.topic_number <= 6));
        INSERT INTO module_progress (id, user_id, course_id, module_no, unlocked_at, passed_at, cooldown_until, best_score, updated_at)
        SELECT gen_random_uuid(), @user, co.id, m, now(), CASE WHEN m <= 4 THEN now() END,
               CASE WHEN m = 5 THEN now() + interval '1 hour' END, CASE WHEN m <= 4 THEN 90 ELSE 40 END, now()
        FROM courses co, generate_series(1, 5) m WHERE co.slug = @course;

        INSERT INTO users (id, email, role, created_at, updated_at)
        SELECT gen_random_uuid(), 'bench-other-' || u || '@example.com', 'learner', now(), now() FROM generate_series(1, 300) u;
        INSERT INTO topic_progress (id, user_id, topic_id, status, progress, completed_at, updated_at)
        SELECT gen_random_uuid(), u.id, t.id, 'completed', 1, now(), now()
        FROM users u CROSS JOIN topics t JOIN courses co ON co.id = t.course_id
        WHERE u.email LIKE 'bench-other-%' AND co.slug = @course AND t.module_no <= 3;

        INSERT INTO user_sessions (id, user_id, family_id, refresh_token_hash, created_at, expires_at, rotated_at)
        SELECT gen_random_uuid(), @user, @family, sha256(('bench-' || k)::bytea), now(), now() + interval '30 days', CASE WHEN k < 3 THEN now() END
        FROM generate_series(1, 3) k;
        INSERT INTO user_sessions (id, user_id, family_id, refresh_token_hash, created_at, expires_at)
        SELECT gen_random_uuid(), u.id, gen_random_uuid(), sha256((u.id::text || k)::bytea), now(), now() + interval '30 days'
        FROM users u, generate_series(1, 5) k WHERE u.email LIKE 'bench-other-%';
        ANALYZE;
        """;
}
