using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Npgsql;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// The lesson endpoint's service call for a 30-block topic (15 asset blocks, 15 inline) and a learner
/// with a persona, against the same data fetched in one hand-written SQL round trip; prints p50/p95 of
/// both so the cost of the service's extra round trips and mapping is visible.
/// </summary>
public static class LessonBenchmark
{
    private const int Warmup = 50;

    public static async Task RunAsync(int iterations)
    {
        await using var database = await BenchmarkDatabase.CreateAsync();
        var (topicId, caller) = await SeedAsync(database);

        // Pooled contexts, as the app registers them (AddDbContextPool).
        var contexts = new PooledDbContextFactory<CoursePlatformDbContext>(
            new DbContextOptionsBuilder<CoursePlatformDbContext>().UseCoursePlatformDatabase(database.ConnectionString).Options);
        var services = await Timing.MeasureAsync(iterations, async () =>
        {
            await using var db = await contexts.CreateDbContextAsync();
            var lesson = await new LessonService(db).GetAsync(topicId, caller, CancellationToken.None);
            if (lesson.Layout.Blocks.Count != 30) throw new InvalidOperationException($"expected 30 blocks, got {lesson.Layout.Blocks.Count}");
        }, Warmup);

        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        var raw = await Timing.MeasureAsync(iterations, async () =>
        {
            await using var command = new NpgsqlCommand(OneRoundTrip, connection);
            command.Parameters.AddWithValue("topic", topicId);
            command.Parameters.AddWithValue("user", caller.UserId);
            var json = (string)(await command.ExecuteScalarAsync())!;
            if (JsonNode.Parse(json)!["assets"]!.AsArray().Count != 15) throw new InvalidOperationException("expected 15 assets");
        }, Warmup);

        Console.WriteLine($"lesson: 30 blocks (15 asset, 15 inline), learner with a persona, {iterations} calls each after {Warmup} warm-up");
        Console.WriteLine($"  service (EF, access checks, resolution): p50 {services.P50:F2} ms  p95 {services.P95:F2} ms");
        Console.WriteLine($"  one raw SQL round trip (data only):      p50 {raw.P50:F2} ms  p95 {raw.P95:F2} ms");
        Console.WriteLine($"  ratio p50 {services.P50 / raw.P50:F1}x  p95 {services.P95 / raw.P95:F1}x");
    }

    /// <summary>Topic, enrolment, persona and the persona's-or-default assets as one JSON document.</summary>
    private const string OneRoundTrip = """
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

    private static async Task<(Guid TopicId, Caller Caller)> SeedAsync(BenchmarkDatabase database)
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
            foreach (var persona in new TutorPersona?[] { null, TutorPersona.NonItMigrant, TutorPersona.PseudoCoder, TutorPersona.RoteMemorizer })
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
            new LearnerPersonaProfile { User = user, Course = course, PersonaKey = TutorPersona.NonItMigrant, CreatedAt = now, UpdatedAt = now });
        await db.SaveChangesAsync();
        await db.Database.ExecuteSqlRawAsync("ANALYZE");
        return (topic.Id, new Caller(user.Id, Guid.NewGuid(), UserRole.Learner));
    }
}
