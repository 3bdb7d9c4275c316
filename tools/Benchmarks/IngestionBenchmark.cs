using System.Diagnostics;
using System.Globalization;
using System.Text;
using Azure.Storage.Blobs;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Search;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// Issue 7's ingestion benchmark, through the app's own container (AddCoursePlatform) over a throw-away
/// database and Azurite with the real MiniLM model:
/// 1. IngestionService on a generated 60-slide deck and a one-hour transcript (about 9,000 words):
///    chunks, total seconds, seconds embedding, and everything else (download, extract, chunk, COPY
///    write, log rows) as a share of the total; the target is under 15%.
/// 2. SearchService.NearestAsync at N chunks (default 100,000) across 50 courses with the HNSW index:
///    p50/p95 and recall@5 against an exact scan of the same query with index scans disabled. The
///    chunks carry synthetic vectors (unit vectors around per-course, per-topic centroids) loaded by
///    binary COPY and recorded with the configured model name, since embedding 100,000 texts with
///    MiniLM would take far longer than the search being measured.
/// </summary>
public static class IngestionBenchmark
{
    private const int Courses = 50;
    private const int TopicsPerCourse = 12;
    private const int Queries = 200;
    private const int WarmupQueries = 20;
    private const int K = 5;
    private const int Dimensions = EmbeddingOptions.Dimensions;

    public static async Task RunAsync(int searchChunks)
    {
        await using var database = await BenchmarkDatabase.CreateAsync();
        await using var provider = database.CreateApp();

        await IngestAsync(database, provider);
        await SearchAsync(database, provider, searchChunks);
    }

    // ---------------------------------------------------------------- ingestion

    /// <summary>One ingestion as the blob trigger runs it: a fresh scope and the blob's client.</summary>
    private static async Task<IngestionOutcome> IngestOnceAsync(ServiceProvider provider, BlobClient blob)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<IngestionService>().IngestAsync(blob, CancellationToken.None);
    }

    private static async Task IngestAsync(BenchmarkDatabase database, ServiceProvider provider)
    {
        var now = DateTimeOffset.UtcNow;
        var course = new Course { Slug = "bench-ingestion", Name = "Networking fundamentals", CreatedAt = now, UpdatedAt = now };
        var topic = new Topic { Course = course, ModuleNo = 1, TopicNumber = 1, Name = "IP networking", CreatedAt = now, UpdatedAt = now };
        await using (var db = database.CreateContext())
        {
            db.Add(topic);
            await db.SaveChangesAsync();
        }

        var deck = Deck(60);
        var (vtt, words, cues) = Transcript(TimeSpan.FromHours(1));
        var container = provider.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(IngestionOptions.Container);
        await container.CreateIfNotExistsAsync();
        var files = new[]
        {
            (Name: $"{course.Id}/{topic.Id}/bench-deck.pptx", Content: deck, Label: "60-slide deck"),
            (Name: $"{course.Id}/bench-lecture.vtt", Content: Encoding.UTF8.GetBytes(vtt), Label: $"1 h transcript ({words:N0} words, {cues} cues)"),
        };
        foreach (var file in files)
            await container.GetBlobClient(file.Name).UploadAsync(new BinaryData(file.Content), overwrite: true);

        // Once-per-process costs are not per-file costs: the model load (about a second), and JIT, EF's
        // model, the connection pool and the blob client's first request, paid by one tiny ingestion.
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        await generator.GenerateAsync(["warm-up"]);
        var warmup = $"{course.Id}/bench-warm-up.txt";
        await container.GetBlobClient(warmup).UploadAsync(new BinaryData("A short warm-up note about subnets."u8.ToArray()), overwrite: true);
        var warmed = await IngestOnceAsync(provider, container.GetBlobClient(warmup));
        await container.DeleteBlobIfExistsAsync(warmup);
        if (warmed.Result != IngestionResult.Succeeded) throw new InvalidOperationException($"warm-up: {warmed.Result} {warmed.Reason}");

        var model = provider.GetRequiredService<IOptions<EmbeddingOptions>>().Value.ModelName;
        Console.WriteLine($"ingestion: IngestionService on Azurite + PostgreSQL, embeddings {model} (batch {provider.GetRequiredService<IOptions<EmbeddingOptions>>().Value.BatchSize}), process warmed up (model load, one tiny ingestion) before timing");
        int totalChunks = 0;
        TimeSpan totalAll = TimeSpan.Zero, totalEmbed = TimeSpan.Zero, totalExtract = TimeSpan.Zero, totalWrite = TimeSpan.Zero;
        try
        {
            foreach (var file in files)
            {
                var started = Stopwatch.GetTimestamp();
                var outcome = await IngestOnceAsync(provider, container.GetBlobClient(file.Name));
                var total = Stopwatch.GetElapsedTime(started);
                if (outcome.Result != IngestionResult.Succeeded)
                    throw new InvalidOperationException($"{file.Label}: {outcome.Result} {outcome.Reason}");
                var rest = total - outcome.Embed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {file.Label,-40} {file.Content.Length / 1024.0,7:F0} KB  {outcome.ChunkCount,4} chunks  total {total.TotalSeconds,6:F2} s  " +
                    $"embed {outcome.Embed.TotalSeconds,6:F2} s  rest {rest.TotalSeconds,5:F2} s = {rest / total,6:P1} " +
                    $"(extract+chunk {outcome.Extract.TotalSeconds:F2} s, write {outcome.Write.TotalSeconds:F2} s)"));
                totalChunks += outcome.ChunkCount;
                totalAll += total;
                totalEmbed += outcome.Embed;
                totalExtract += outcome.Extract;
                totalWrite += outcome.Write;
            }

            await using var db = database.CreateContext();
            var stored = await db.CourseChunks.CountAsync(c => c.CourseId == course.Id && c.Source != warmup);
            if (stored != totalChunks) throw new InvalidOperationException($"expected {totalChunks} stored chunks, found {stored}");
        }
        finally
        {
            foreach (var file in files) await container.DeleteBlobIfExistsAsync(file.Name);
        }

        var other = totalAll - totalEmbed;
        var share = other / totalAll;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  both files: {totalChunks} chunks, total {totalAll.TotalSeconds:F2} s, embedding {totalEmbed.TotalSeconds:F2} s, " +
            $"rest (download+extract+chunk {totalExtract.TotalSeconds:F2} s, write {totalWrite.TotalSeconds:F2} s, log rows and blob checks " +
            $"{(other - totalExtract - totalWrite).TotalSeconds:F2} s) = {share:P1} of the total, target < 15%: {(share < 0.15 ? "met" : "NOT met")}"));
        Console.WriteLine($"  write path: one transaction, DELETE then binary COPY course_chunks (IngestionService.ReplaceChunksAsync); {totalChunks} rows verified");
    }

    /// <summary>A real .pptx: title and bullet body per slide, a table on every fifth, speaker notes on every slide.</summary>
    private static byte[] Deck(int slides)
    {
        var random = new Random(7);
        string[][] table = [["Setting", "Value", "Why"], ["prefix", "/24", "254 hosts"], ["gateway", "10.0.0.1", "first usable"], ["DNS", "10.0.0.53", "internal resolver"]];
        return PptxDeck.Write(Enumerable.Range(0, slides).Select(i =>
        {
            var subject = Subjects[i % Subjects.Length];
            return new TestSlide(
                $"{i + 1}. {Capitalise(subject)}",
                Enumerable.Range(0, 5).Select(_ => Sentence(random, subject)).ToArray(),
                i % 5 == 0 ? table : null,
                string.Join(" ", Enumerable.Range(0, 3).Select(_ => Sentence(random, subject))));
        }).ToArray());
    }

    /// <summary>
    /// A WebVTT lecture at 150 words a minute: running speech cut into 10-word cues every 4 seconds (so
    /// cues break mid-sentence, as captions do), a speaker tag on some cues.
    /// </summary>
    private static (string Vtt, int Words, int Cues) Transcript(TimeSpan length)
    {
        var random = new Random(11);
        var text = new StringBuilder("WEBVTT\n\n");
        var pending = new Queue<string>();
        var words = 0;
        var cues = 0;
        for (var start = TimeSpan.Zero; start < length; start += TimeSpan.FromSeconds(4), cues++)
        {
            var subject = Subjects[(int)(start.TotalMinutes / 3) % Subjects.Length];
            while (pending.Count < 10)
                foreach (var word in Sentence(random, subject).Split(' ')) pending.Enqueue(word);
            var cue = string.Join(' ', Enumerable.Range(0, 10).Select(_ => pending.Dequeue()));
            words += 10;
            text.Append(CultureInfo.InvariantCulture, $"{cues + 1}\n{Stamp(start)} --> {Stamp(start + TimeSpan.FromSeconds(3.9))}\n");
            text.Append(cues % 7 == 0 ? $"<v Tutor>{cue}</v>" : cue).Append("\n\n");
        }
        return (text.ToString(), words, cues);
    }

    private static string Stamp(TimeSpan t) => t.ToString(@"hh\:mm\:ss\.fff", CultureInfo.InvariantCulture);

    private static readonly string[] Subjects =
    [
        "subnet masks", "default gateways", "DNS resolution", "DHCP leases", "routing tables", "NAT", "firewall rules",
        "VLANs", "TCP handshakes", "UDP datagrams", "ARP caches", "IPv6 addressing", "load balancers", "TLS certificates",
        "HTTP caching", "network troubleshooting", "packet captures", "MTU and fragmentation", "BGP peering", "VPN tunnels",
    ];

    private static readonly string[] Openings =
        ["In practice", "Remember that", "A common mistake is to assume that", "When you configure", "On most networks", "Notice how", "For example", "The key idea is that"];

    private static readonly string[] Middles =
    [
        "decide which packets reach which host", "are checked before traffic leaves the local segment", "can be inspected with standard tools",
        "change how clients find each other", "keep the broadcast domain small", "must match on both ends of the link",
        "explain most connectivity problems", "are cached for a limited time", "depend on the order of the entries",
    ];

    private static readonly string[] Endings =
        ["so always verify them first.", "which saves time when debugging.", "and the exam asks about this often.", "before anything else is tried.", "in every lab we do."];

    private static string Sentence(Random random, string subject) =>
        $"{Openings[random.Next(Openings.Length)]} {subject} {Middles[random.Next(Middles.Length)]}, {Endings[random.Next(Endings.Length)]}";

    private static string Capitalise(string s) => char.ToUpperInvariant(s[0]) + s[1..];

    // ---------------------------------------------------------------- search

    private static async Task SearchAsync(BenchmarkDatabase database, ServiceProvider provider, int chunks)
    {
        var model = provider.GetRequiredService<IOptions<EmbeddingOptions>>().Value.ModelName;
        var random = new Random(42);
        var now = DateTimeOffset.UtcNow;
        var courses = Enumerable.Range(0, Courses)
            .Select(i => new Course { Slug = $"bench-search-{i}", Name = $"Search course {i}", CreatedAt = now, UpdatedAt = now }).ToList();
        await using (var db = database.CreateContext())
        {
            db.AddRange(courses);
            await db.SaveChangesAsync();
        }
        var courseCentroids = courses.Select(_ => RandomUnit(random)).ToArray();
        var topicCentroids = courses.Select(_ => Enumerable.Range(0, TopicsPerCourse).Select(_ => RandomUnit(random)).ToArray()).ToArray();

        // Drop the HNSW index, COPY, and build it once: far faster than maintaining it row by row.
        var load = Stopwatch.StartNew();
        await using (var db = database.CreateContext())
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("DROP INDEX " + CourseChunkConfiguration.EmbeddingIndex);
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY course_chunks (id, course_id, topic_id, source, position, content, metadata, embedding_model, embedding, created_at) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < chunks; i++)
            {
                var c = i % Courses;
                var t = random.Next(TopicsPerCourse);
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(courses[c].Id, NpgsqlDbType.Uuid);
                await writer.WriteNullAsync();
                await writer.WriteAsync($"{courses[c].Id}/topic-{t}.txt", NpgsqlDbType.Varchar);
                await writer.WriteAsync(i / Courses, NpgsqlDbType.Integer);
                await writer.WriteAsync($"Synthetic passage {i} of course {c}, topic {t}.", NpgsqlDbType.Text);
                await writer.WriteNullAsync();
                await writer.WriteAsync(model, NpgsqlDbType.Varchar);
                await writer.WriteAsync(new Vector(Mix(random, courseCentroids[c], topicCentroids[c][t], 0.6f)));
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz);
            }
            await writer.CompleteAsync();
        }
        var copied = load.Elapsed;
        load.Restart();
        await using (var db = database.CreateContext())
        {
            db.Database.SetCommandTimeout(TimeSpan.FromMinutes(10));
            await db.Database.ExecuteSqlRawAsync("SET maintenance_work_mem = '512MB'");
            // The migration's definition (halfvec expression index, m 16, ef_construction 64).
            await db.Database.ExecuteSqlRawAsync(CourseChunkConfiguration.CreateEmbeddingIndexSql);
            await db.Database.ExecuteSqlRawAsync("ANALYZE course_chunks");
        }
        var built = load.Elapsed;

        var queries = Enumerable.Range(0, WarmupQueries + Queries).Select(_ =>
        {
            var c = random.Next(Courses);
            return (Course: courses[c].Id, Vector: new Vector(Mix(random, courseCentroids[c], topicCentroids[c][random.Next(TopicsPerCourse)], 0.8f)));
        }).ToArray();

        var samples = new List<double>(Queries);
        var approximate = new List<IReadOnlyList<Guid>>(Queries);
        var usedIndex = false;
        for (var i = 0; i < queries.Length; i++)
        {
            await using var scope = provider.CreateAsyncScope();
            var search = scope.ServiceProvider.GetRequiredService<SearchService>();
            var started = Stopwatch.GetTimestamp();
            var hits = await search.NearestAsync(queries[i].Course, queries[i].Vector, K, CancellationToken.None);
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (i < WarmupQueries) continue;
            samples.Add(elapsed);
            approximate.Add(hits.Select(h => h.Id).ToList());
        }

        var exact = new List<IReadOnlyList<Guid>>(Queries);
        await using (var db = database.CreateContext())
        {
            await db.Database.OpenConnectionAsync();
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            usedIndex = await UsesHnswAsync(connection, queries[0].Course, queries[0].Vector, model);
            for (var i = WarmupQueries; i < queries.Length; i++)
                exact.Add(await ExactAsync(connection, queries[i].Course, queries[i].Vector, model));
        }

        var recall = approximate.Zip(exact, (a, e) => (double)a.Intersect(e).Count() / e.Count).Average();
        var full = approximate.Count(a => a.Count == K);
        samples.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"search: {chunks:N0} chunks across {Courses} courses ({chunks / Courses:N0} each, {TopicsPerCourse} topic clusters per course, synthetic unit vectors, model {model})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  load: binary COPY {copied.TotalSeconds:F1} s, HNSW build (m 16, ef_construction 64) + ANALYZE {built.TotalSeconds:F1} s; plan uses the HNSW index: {(usedIndex ? "yes" : "NO")}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  SearchService.NearestAsync k={K}, {Queries} queries after {WarmupQueries} warm-up: p50 {samples[Queries / 2]:F2} ms  p95 {samples[(int)(Queries * 0.95)]:F2} ms  ({full}/{Queries} returned {K} hits)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  recall@{K} against an exact scan (enable_indexscan off): {recall:P1}"));
    }

    private static async Task<IReadOnlyList<Guid>> ExactAsync(NpgsqlConnection connection, Guid course, Vector query, string model)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL enable_indexscan = off", connection, transaction)) await off.ExecuteNonQueryAsync();
        await using var command = new NpgsqlCommand(
            "SELECT id FROM course_chunks WHERE course_id = $2 AND embedding_model = $3 ORDER BY embedding <=> $1, id LIMIT $4", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = query });
        command.Parameters.Add(new NpgsqlParameter { Value = course });
        command.Parameters.Add(new NpgsqlParameter { Value = model });
        command.Parameters.Add(new NpgsqlParameter { Value = K });
        var ids = new List<Guid>(K);
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) ids.Add(reader.GetGuid(0));
        await transaction.CommitAsync();
        return ids;
    }

    /// <summary>EXPLAIN of the search's inner query: does the planner pick the HNSW index?</summary>
    private static async Task<bool> UsesHnswAsync(NpgsqlConnection connection, Guid course, Vector query, string model)
    {
        await using var command = new NpgsqlCommand(
            "EXPLAIN SELECT id FROM course_chunks WHERE course_id = $2 AND embedding_model = $3 ORDER BY embedding::halfvec(384) <=> $1::halfvec(384) LIMIT $4", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = query });
        command.Parameters.Add(new NpgsqlParameter { Value = course });
        command.Parameters.Add(new NpgsqlParameter { Value = model });
        command.Parameters.Add(new NpgsqlParameter { Value = K });
        var plan = new StringBuilder();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) plan.AppendLine(reader.GetString(0));
        return plan.ToString().Contains(CourseChunkConfiguration.EmbeddingIndex, StringComparison.Ordinal);
    }

    /// <summary>A random direction of the embedding space, normalised like MiniLM's output.</summary>
    internal static float[] RandomUnit(Random random)
    {
        var v = new float[Dimensions];
        for (var i = 0; i < v.Length; i++) v[i] = Gaussian(random);
        return Normalise(v);
    }

    /// <summary>course centroid + topic centroid + noise, normalised like MiniLM's output.</summary>
    private static float[] Mix(Random random, float[] course, float[] topic, float noise)
    {
        var v = new float[Dimensions];
        for (var i = 0; i < v.Length; i++) v[i] = 0.5f * course[i] + 0.6f * topic[i] + noise * Gaussian(random) / MathF.Sqrt(Dimensions);
        return Normalise(v);
    }

    private static float[] Normalise(float[] v)
    {
        var norm = MathF.Sqrt(v.Sum(x => x * x));
        for (var i = 0; i < v.Length; i++) v[i] /= norm;
        return v;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
}
