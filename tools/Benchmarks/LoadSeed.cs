using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// The data set of <c>scripts/load.sh</c>: 50 published open courses of 3 modules x 4 topics (layouts with a default
/// asset and inline blocks, 6 quiz questions per topic pair), 2,000 learners each enrolled in 3 courses with a live
/// session, and 100,000 chunks. Writes the learners' access tokens and what they may read to a JSON file for the
/// load generator. Set-based SQL and binary COPY: about a minute on 2 cores.
/// </summary>
public static class LoadSeed
{
    public const int Courses = 50;
    public const int Learners = 2000;
    public const int Chunks = 100_000;
    private const int EnrolmentsPerLearner = 3;

    public static async Task RunAsync(string database, string output, string signingKey)
    {
        await TestDatabases.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)");
        await TestDatabases.ExecuteAdminAsync($"CREATE DATABASE \"{database}\"");
        var connectionString = LocalServices.PostgresDatabase(database);
        await using (var db = CoursePlatformDb.CreateContext(connectionString))
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.MigrateAsync();
        }
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(Sql, connection) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }
        await ChunksAsync(connectionString);

        // Sessions and access tokens (an hour, for both runs) minted with the app's own token service.
        var tokens = new AccessTokens(Options.Create(new AuthOptions { SigningKey = signingKey, AccessTokenMinutes = 60 }), TimeProvider.System);
        await using var data = CoursePlatformDb.CreateContext(connectionString);
        var learners = await data.Users.AsNoTracking().Where(u => u.Email.StartsWith("load-learner-")).OrderBy(u => u.Email).Select(u => u.Id).ToListAsync();
        var enrolments = (await data.Enrollments.AsNoTracking().Select(e => new { e.UserId, e.Course.Slug }).ToListAsync())
            .GroupBy(e => e.UserId).ToDictionary(g => g.Key, g => g.Select(e => e.Slug).ToList());
        var topics = (await data.Topics.AsNoTracking().Select(t => new { t.Course.Slug, t.Id }).ToListAsync())
            .GroupBy(t => t.Slug).ToDictionary(g => g.Key, g => g.Select(t => t.Id).ToList());
        var now = DateTimeOffset.UtcNow;
        var seeded = new List<object>();
        foreach (var userId in learners)
        {
            var family = Guid.CreateVersion7();
            data.UserSessions.Add(new Data.Model.UserSession
            {
                Id = Guid.CreateVersion7(), UserId = userId, FamilyId = family, RefreshTokenHash = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32),
                CreatedAt = now, ExpiresAt = now.AddDays(1),
            });
            seeded.Add(new { token = tokens.Issue(userId, family, UserRole.Learner), courses = enrolments[userId] });
        }
        await data.SaveChangesAsync();
        var slugs = topics.Keys.Order().ToList();
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(new { courses = slugs, topics, learners = seeded }));
        Console.WriteLine($"load-seed: {database}: {Courses} courses, {topics.Values.Sum(t => t.Count)} topics, {learners.Count} learners x {EnrolmentsPerLearner} enrolments, {Chunks} chunks; tokens in {output}");
    }

    private const string Sql = """
        INSERT INTO courses (id, slug, name, description, price, currency, is_published, enrollment_mode, module_count, created_at, updated_at)
        SELECT gen_random_uuid(), 'load-course-' || lpad(c::text, 2, '0'), 'Load course ' || c, 'A course of the load data set.', 0, 'USD', true, 'open', 3, now(), now()
        FROM generate_series(1, 50) c;

        INSERT INTO topics (id, course_id, module_no, topic_number, name, is_preview, text_content, created_at, updated_at)
        SELECT gen_random_uuid(), co.id, m, n, 'Topic ' || m || '.' || n, n = 1,
               '{"version":"1","blocks":[{"id":"intro","type":"text","contentKey":"intro"},'
               || '{"id":"body","type":"text","data":{"markdown":"' || repeat('Subnets, routes and firewalls decide where packets go. ', 20) || '"}},'
               || '{"id":"coder","type":"text","tutorPersona":"pseudo_coder","data":{"markdown":"ip route show"}}]}',
               now(), now()
        FROM courses co, generate_series(1, 3) m, generate_series(1, 4) n;

        INSERT INTO topic_content_assets (id, topic_id, content_key, persona_key, content_type, payload, created_at, updated_at)
        SELECT gen_random_uuid(), t.id, 'intro', NULL, 'text', jsonb_build_object('markdown', 'Introduction to ' || t.name || '. ' || repeat('Addresses and masks. ', 30)), now(), now()
        FROM topics t;

        INSERT INTO quiz_questions (id, course_id, module_no, topic_pair_index, question, created_at)
        SELECT gen_random_uuid(), co.id, m, p, 'Question ' || q || ' of pair ' || p || '?', now()
        FROM courses co, generate_series(1, 3) m, generate_series(1, 2) p, generate_series(1, 6) q;

        INSERT INTO quiz_options (id, question_id, text, is_correct, display_order)
        SELECT gen_random_uuid(), q.id, CASE WHEN o = 1 THEN 'right' ELSE 'wrong ' || o END, o = 1, o
        FROM quiz_questions q, generate_series(1, 4) o;

        INSERT INTO users (id, email, full_name, role, created_at, updated_at)
        SELECT gen_random_uuid(), 'load-learner-' || lpad(u::text, 4, '0') || '@example.com', 'Learner ' || u, 'learner', now(), now()
        FROM generate_series(1, 2000) u;

        -- Each learner in 3 courses: (u + 0, u + 17, u + 34) mod 50, so every course has about 120 learners.
        INSERT INTO enrollments (id, user_id, course_id, source, status, enrolled_at)
        SELECT gen_random_uuid(), u.id, co.id, 'free', 'active', now()
        FROM (SELECT id, row_number() OVER (ORDER BY email) AS n FROM users WHERE email LIKE 'load-learner-%') u
        CROSS JOIN generate_series(0, 2) k
        JOIN (SELECT id, row_number() OVER (ORDER BY slug) - 1 AS i FROM courses) co ON co.i = (u.n + 17 * k) % 50;
        """;

    private static async Task ChunksAsync(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        await using var source = builder.Build();
        await using var connection = await source.OpenConnectionAsync();
        var topics = new List<(Guid Course, Guid Topic)>();
        await using (var command = new NpgsqlCommand("SELECT course_id, id FROM topics ORDER BY course_id, module_no, topic_number", connection))
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) topics.Add((reader.GetGuid(0), reader.GetGuid(1)));
        await using (var drop = new NpgsqlCommand($"DROP INDEX {CourseChunkConfiguration.EmbeddingIndex}", connection)) await drop.ExecuteNonQueryAsync();

        var random = new Random(17);
        var now = DateTimeOffset.UtcNow;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY course_chunks (id, course_id, topic_id, source, position, content, metadata, embedding_model, embedding, created_at) FROM STDIN (FORMAT BINARY)"))
        {
            for (var i = 0; i < Chunks; i++)
            {
                var (course, topic) = topics[i % topics.Count];
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(course, NpgsqlDbType.Uuid);
                await writer.WriteAsync(topic, NpgsqlDbType.Uuid);
                await writer.WriteAsync($"{course}/{topic}/deck.pptx", NpgsqlDbType.Varchar);
                await writer.WriteAsync(i / topics.Count, NpgsqlDbType.Integer);
                await writer.WriteAsync($"Passage {i}: routing tables, subnet masks and firewall rules decide how packets travel between networks.", NpgsqlDbType.Text);
                await writer.WriteNullAsync();
                // The default model's name, as the app's own ingestion would have written: another name starts a re-embedding.
                await writer.WriteAsync(new Functions.Infrastructure.AI.EmbeddingOptions().ModelName, NpgsqlDbType.Varchar);
                await writer.WriteAsync(new Vector(IngestionBenchmark.RandomUnit(random)));
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            // Each lesson's text indexed already, as a running app leaves it: the measured app serves, it does not catch up.
            foreach (var (course, topic) in topics)
            {
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(course, NpgsqlDbType.Uuid);
                await writer.WriteAsync(topic, NpgsqlDbType.Uuid);
                await writer.WriteAsync($"lesson:{topic}", NpgsqlDbType.Varchar);
                await writer.WriteAsync(0, NpgsqlDbType.Integer);
                await writer.WriteAsync("The lesson's text.", NpgsqlDbType.Text);
                await writer.WriteNullAsync();
                await writer.WriteAsync(new Functions.Infrastructure.AI.EmbeddingOptions().ModelName, NpgsqlDbType.Varchar);
                await writer.WriteAsync(new Vector(IngestionBenchmark.RandomUnit(random)));
                await writer.WriteAsync(now.AddMinutes(1), NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }
        await using var index = new NpgsqlCommand(
            $"SET maintenance_work_mem = '512MB'; {CourseChunkConfiguration.CreateEmbeddingIndexSql}; ANALYZE",
            connection) { CommandTimeout = 900 };
        await index.ExecuteNonQueryAsync();
    }
}
