using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions;
using CoursePlatform.Functions.Features.AiTutor;
using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// Issue 13's tutor benchmark: (1) one typed question end to end with the extractive default (embed,
/// retrieve, answer, store), p50/p95, next to its floor, the embedding call alone, and the statements an ask
/// runs (<see cref="StatementProfile"/>); (2) the ResetPromptQuotas timer's statement on 1,000,000 counter
/// rows, half of whose windows have ended.
/// </summary>
public static class AiTutorBenchmark
{
    private const int Questions = 100;
    private const int Warmup = 10;
    private const int ProfiledQuestions = 20;

    public static async Task RunAsync(int counterRows)
    {
        await using var database = await BenchmarkDatabase.CreateAsync();
        await using var provider = database.CreateApp(new Dictionary<string, string?>
        {
            ["AiTutor:PromptsPerWindow"] = "1000", ["AiTutor:RequestsPerMinute"] = "1000",
        });

        await AskAsync(database, provider);
        await QuotaResetAsync(database, provider, counterRows);
    }

    private static async Task AskAsync(BenchmarkDatabase database, ServiceProvider provider)
    {
        var now = DateTimeOffset.UtcNow;
        var course = Build.Course(now, name: "Cloud networking");
        var topics = Enumerable.Range(1, 12).Select(i => Build.Topic(course, now, (i + 3) / 4, (i - 1) % 4 + 1, $"Lesson {i}")).ToList();
        foreach (var (topic, i) in topics.Select((t, i) => (t, i)))
            topic.TextContent = string.Join(' ', Enumerable.Range(0, 12).Select(s =>
                $"Lesson {i + 1}, point {s}: a subnet of prefix /{16 + (i + s) % 12} holds {1 << (16 - (i + s) % 12)} addresses, and port {443 + s} serves the web tier."));
        var learner = Build.User(now);
        await using (var db = database.CreateContext())
        {
            db.Topics.AddRange(topics);
            db.Users.Add(learner);
            db.Enrollments.Add(Build.Enrollment(learner.Id, course, now));
            await db.SaveChangesAsync();
        }
        await using (var scope = provider.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<LessonIndexer>().IndexStaleAsync(CancellationToken.None);

        var caller = new Caller(learner.Id, Guid.NewGuid(), UserRole.Learner);
        var embeddings = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var model = provider.GetRequiredService<EmbeddingModels>().Current;
        var n = 0;
        // The ask embeds the question as the model was trained to read queries (arctic-embed: with its query prefix),
        // so that call is the floor; the bare question, the floor until 2026-12-07, is shown beside it.
        var embed = await Timing.MeasureAsync(Questions, async () =>
            await embeddings.GenerateAsync([EmbeddingModels.QueryText(model, Question(n++))]), Warmup);
        var bare = await Timing.MeasureAsync(Questions, async () =>
            await embeddings.GenerateAsync([Question(n++)]), Warmup);
        var grounded = 0;
        async Task AskOnceAsync()
        {
            await using var scope = provider.CreateAsyncScope();
            var answer = await scope.ServiceProvider.GetRequiredService<AiTutorService>().AskAsync(caller, course.Slug,
                new AskRequest(topics[n % 12].Id, Question(n++), null), CancellationToken.None);
            if (answer.Grounded) grounded++;
        }
        var ask = await Timing.MeasureAsync(Questions, AskOnceAsync, Warmup);
        // Apart from the timed asks, so that listening costs them nothing: which statements an ask runs.
        var profile = new StatementProfile(new NpgsqlConnectionStringBuilder(database.ConnectionString).Database!);
        for (var i = 0; i < ProfiledQuestions; i++) await AskOnceAsync();
        profile.Dispose();
        await using (var db = database.CreateContext())
        {
            var chunks = db.CourseChunks.Count();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"tutor: a typed question end to end (rate limit, quota, session, history, hybrid retrieval over {chunks} lesson chunks, extractive answer, both messages stored), {Questions} questions after {Warmup} warm-up"));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  AiTutorService.AskAsync: p50 {ask.P50:F1} ms  p95 {ask.P95:F1} ms  ({grounded} of {Questions + Warmup + ProfiledQuestions} grounded)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  the embedding call alone ({embeddings.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId}, the ask's own, with its query prefix; the floor): p50 {embed.P50:F1} ms  p95 {embed.P95:F1} ms  => {ask.P50 / embed.P50:F1}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  the bare question embedded (no query prefix): p50 {bare.P50:F1} ms  p95 {bare.P95:F1} ms  => {ask.P50 / bare.P50:F1}x"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  everything but the embedding: p50 {ask.P50 - embed.P50:F1} ms"));
        profile.Print(ProfiledQuestions);
    }

    /// <summary>
    /// The n-th question: the same one per lesson, its words' case varied so that no two texts are alike and none is
    /// served from the query-vector cache (the ask pays its embedding), while the uncased model reads them alike.
    /// </summary>
    private static string Question(int n)
    {
        var words = "which port serves the web tier in lesson".Split(' ');
        var variant = n / 12;
        for (var i = 0; i < words.Length; i++)
            if ((variant >> i & 1) == 1) words[i] = words[i].ToUpperInvariant();
        return $"{string.Join(' ', words)} {n % 12 + 1}?";
    }

    private static async Task QuotaResetAsync(BenchmarkDatabase database, ServiceProvider provider, int rows)
    {
        const int Modules = 1000;
        var users = (rows + Modules - 1) / Modules;
        var now = DateTimeOffset.UtcNow;
        var courseId = Guid.CreateVersion7();
        var load = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using (var command = new NpgsqlCommand($"""
                INSERT INTO courses (id, slug, name, price, currency, is_published, enrollment_mode, module_count, created_at, updated_at)
                VALUES ('{courseId}', 'bench-quota', 'Quota', 0, 'USD', true, 'open', 1, now(), now());
                INSERT INTO users (id, email, role, created_at, updated_at)
                SELECT gen_random_uuid(), 'quota-' || g || '@example.com', 'learner', now(), now() FROM generate_series(1, {users}) g;
                """, connection))
                await command.ExecuteNonQueryAsync();
            var userIds = new List<Guid>();
            await using (var read = new NpgsqlCommand("SELECT id FROM users WHERE email LIKE 'quota-%'", connection))
            await using (var reader = await read.ExecuteReaderAsync())
                while (await reader.ReadAsync()) userIds.Add(reader.GetGuid(0));
            await using (var writer = await connection.BeginBinaryImportAsync(
                "COPY module_prompt_usage (id, user_id, course_id, module_no, used_count, window_started_at, window_ends_at, updated_at) FROM STDIN (FORMAT BINARY)"))
            {
                for (var i = 0; i < rows; i++)
                {
                    var ended = i % 2 == 0;
                    await writer.StartRowAsync();
                    await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                    await writer.WriteAsync(userIds[i / Modules], NpgsqlDbType.Uuid);
                    await writer.WriteAsync(courseId, NpgsqlDbType.Uuid);
                    await writer.WriteAsync(i % Modules + 1, NpgsqlDbType.Integer);
                    await writer.WriteAsync(1 + i % 5, NpgsqlDbType.Integer);
                    await writer.WriteAsync(ended ? now.AddDays(-2) : now.AddHours(-2), NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(ended ? now.AddDays(-1) : now.AddHours(22), NpgsqlDbType.TimestampTz);
                    await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
                }
                await writer.CompleteAsync();
            }
            await using var analyze = new NpgsqlCommand("ANALYZE module_prompt_usage", connection);
            await analyze.ExecuteNonQueryAsync();
        }
        load.Stop();

        await using var scope = provider.CreateAsyncScope();
        var quota = scope.ServiceProvider.GetRequiredService<PromptQuota>();
        var first = Stopwatch.StartNew();
        var reset = await quota.ResetEndedAsync(CancellationToken.None);
        first.Stop();
        var second = Stopwatch.StartNew();
        var again = await quota.ResetEndedAsync(CancellationToken.None);
        second.Stop();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"quota-reset: {rows:N0} counter rows ({users:N0} learners x {Modules} modules) loaded by COPY in {load.Elapsed.TotalSeconds:F1} s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  first run:  {first.Elapsed.TotalSeconds:F2} s, reset {reset:N0} ended windows"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  second run: {second.Elapsed.TotalMilliseconds:F0} ms, reset {again:N0} (idempotent)"));
    }
}
