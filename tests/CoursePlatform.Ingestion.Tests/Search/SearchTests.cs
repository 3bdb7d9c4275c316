using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Search;
using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>Semantic search over ingested material with real MiniLM vectors, and the course filter on pgvector's HNSW index.</summary>
public class SearchTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly Dictionary<string, string> Lessons = new()
    {
        ["password.txt"] = "To reset your password, open the account settings page and choose 'Forgot password'. A reset link is emailed to you and expires after one hour.",
        ["photosynthesis.txt"] = "Photosynthesis is the process in which green plants use sunlight, water and carbon dioxide to produce glucose and release oxygen.",
        ["subnet.txt"] = "A subnet mask tells a computer which part of an IP address identifies the network and which part identifies the individual host.",
        ["revolution.txt"] = "The French Revolution began in 1789 when crowds in Paris stormed the Bastille prison, ending the absolute monarchy.",
    };

    private async Task<(IngestionApp App, Guid Course)> CourseWithLessonsAsync()
    {
        var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        foreach (var (file, text) in Lessons)
            Assert.Equal(IngestionResult.Succeeded,
                (await app.IngestAsync(await app.UploadAsync($"{course}/{file}", TestFiles.Utf8(text)))).Result);
        return (app, course);
    }

    [Theory]
    [InlineData("How do plants turn light into food?", "photosynthesis.txt")]
    [InlineData("I forgot my login credentials, how do I get back into my account?", "password.txt")]
    [InlineData("What separates the network portion of an address from the host portion?", "subnet.txt")]
    [InlineData("When was the Bastille taken?", "revolution.txt")]
    public async Task Search_finds_the_passage_that_answers_a_differently_worded_question(string question, string expectedFile)
    {
        var (app, course) = await CourseWithLessonsAsync();
        await using var _ = app;

        var results = await app.Run<SearchService, SearchResults>(s => s.SearchAsync(course, question, "3", CancellationToken.None));

        Assert.Equal(ArcticXsEmbeddingGenerator.ModelName, results.EmbeddingModel);
        Assert.Equal(3, results.Items.Count);
        Assert.Equal(expectedFile, results.Items[0].Source);
        Assert.True(results.Items[0].Score > results.Items[1].Score + 0.05,
            $"the answer should stand out: {results.Items[0].Score} vs {results.Items[1].Score}");
        Assert.Equal(results.Items.OrderByDescending(h => h.Score).Select(h => h.Id), results.Items.Select(h => h.Id));
    }

    [Fact]
    public async Task Search_never_returns_another_courses_chunks()
    {
        var (app, course) = await CourseWithLessonsAsync();
        await using var _ = app;
        var (other, _) = await app.CreateCourseAsync();
        // The other course holds the best possible match: the question's own words.
        var question = "How do plants turn light into food?";
        await app.IngestAsync(await app.UploadAsync($"{other}/exact.txt", TestFiles.Utf8(question)));

        var results = await app.Run<SearchService, SearchResults>(s => s.SearchAsync(course, question, "20", CancellationToken.None));
        var otherResults = await app.Run<SearchService, SearchResults>(s => s.SearchAsync(other, question, "20", CancellationToken.None));

        var ownChunks = (await app.ChunksAsync(course)).Select(c => c.Id).ToHashSet();
        Assert.Equal(ownChunks.Count, results.Items.Count);
        Assert.All(results.Items, h => Assert.Contains(h.Id, ownChunks));
        Assert.Equal("exact.txt", Assert.Single(otherResults.Items).Source);
        // arctic-embed-xs embeds the question with its query prefix, so the question's own text is close, not identical.
        Assert.True(otherResults.Items[0].Score > 0.6, $"score {otherResults.Items[0].Score}");
    }

    [Fact]
    public async Task Search_of_an_unpublished_course_is_for_its_staff_only()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync(); // created unpublished
        var learner = await app.CreateUserAsync();
        var admin = await app.CreateUserAsync(UserRole.Admin);
        await app.Db(db => { db.Enrollments.Add(Build.Enrollment(learner.Id, course, DateTimeOffset.UtcNow)); return db.SaveChangesAsync(); });

        var hidden = await Assert.ThrowsAsync<ProblemException>(() =>
            app.Run<SearchService, SearchResults>(s => s.SearchAsync(TestApp.As(learner), course.ToString(), "subnets", null, CancellationToken.None)));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, hidden.Status);
        Assert.Empty((await app.Run<SearchService, SearchResults>(s => s.SearchAsync(TestApp.As(admin), course.ToString(), "subnets", null, CancellationToken.None))).Items);
    }

    [Fact]
    public void The_throttle_allows_a_burst_per_caller_then_answers_429_with_retry_after()
    {
        using var throttle = new SearchThrottle();
        var (hammering, other) = (Guid.NewGuid(), Guid.NewGuid());
        for (var i = 0; i < SearchThrottle.Burst; i++) throttle.Require(hammering);

        var refused = Assert.Throws<ProblemException>(() => throttle.Require(hammering));

        Assert.Equal((System.Net.HttpStatusCode.TooManyRequests, ProblemCodes.RateLimited), (refused.Status, refused.Code));
        Assert.Equal("1", refused.Headers["Retry-After"]); // the next token comes within the second
        throttle.Require(other); // another caller's bucket is full
    }

    [Fact]
    public async Task A_caller_who_keeps_searching_is_refused_and_a_request_refused_as_invalid_costs_nothing()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var (hammering, other) = (TestApp.As(await app.CreateUserAsync(UserRole.Admin)), TestApp.As(await app.CreateUserAsync(UserRole.Admin)));
        // Invalid questions are refused before the throttle: as many as the burst leave it untouched.
        for (var i = 0; i <= SearchThrottle.Burst; i++)
            await Assert.ThrowsAsync<ProblemException>(() => app.Run<SearchService, SearchResults>(s => s.SearchAsync(hammering, course.ToString(), " ", null, CancellationToken.None)));
        Assert.NotNull(await app.Run<SearchService, SearchResults>(s => s.SearchAsync(hammering, course.ToString(), "subnets", null, CancellationToken.None)));

        // Searching back to back outruns the refill of one a second: refused within a few bursts' worth (not timed).
        ProblemException? refused = null;
        for (var i = 0; i < 10 * SearchThrottle.Burst && refused is null; i++)
        {
            try { await app.Run<SearchService, SearchResults>(s => s.SearchAsync(hammering, course.ToString(), $"subnets {i}", null, CancellationToken.None)); }
            catch (ProblemException e) { refused = e; }
        }
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, refused?.Status);
        Assert.NotNull(await app.Run<SearchService, SearchResults>(s => s.SearchAsync(other, course.ToString(), "subnets", null, CancellationToken.None)));
    }

    [Fact]
    public async Task Hits_carry_slide_numbers_and_cue_times()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var deck = TestFiles.Pptx(
            new TestSlide("Intro", ["Welcome to the course on cloud networking and its building blocks, from addresses to routes."]),
            new TestSlide("DNS", ["The domain name system translates host names such as example.com into IP addresses for clients."]));
        await app.IngestAsync(await app.UploadAsync($"{course}/deck.pptx", deck));
        var vtt = "WEBVTT\n\n00:01:00.000 --> 00:01:05.000\nToday we bake sourdough bread with a starter.\n";
        await app.IngestAsync(await app.UploadAsync($"{course}/talk.vtt", TestFiles.Utf8(vtt)));

        var slideHit = (await app.Run<SearchService, SearchResults>(s => s.SearchAsync(course, "name resolution", "1", CancellationToken.None))).Items[0];
        var cueHit = (await app.Run<SearchService, SearchResults>(s => s.SearchAsync(course, "baking bread", "1", CancellationToken.None))).Items[0];

        Assert.Equal((1, (int?)2, "Intro"), (slideHit.Slide, slideHit.SlideEnd, slideHit.Title)); // both small slides share one chunk
        Assert.Equal(("talk.vtt", "00:01:00.000", "00:01:05.000", (int?)null), (cueHit.Source, cueHit.Start, cueHit.End, cueHit.Slide));
    }

    [Fact]
    public async Task The_course_filter_still_finds_k_chunks_when_another_course_crowds_the_hnsw_index()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var (crowd, _) = await app.CreateCourseAsync();
        var random = new Random(42);
        var query = RandomUnitVector(random);
        var model = ArcticXsEmbeddingGenerator.ModelName;

        // 2,000 chunks of another course sit right around the query; our 500 lie further out. The planner
        // walks the HNSW index for this share, and a plain filtered scan sees only the crowd among its
        // ef_search candidates, so it returns fewer than k rows (usually none).
        var theirs = Enumerable.Range(0, 2000).Select(_ => Blend(query, RandomUnitVector(random), 0.2f)).ToList();
        var ours = Enumerable.Range(0, 500).Select(_ => Blend(query, RandomUnitVector(random), 0.9f)).ToList();
        await CopyAsync(crowd, model, "crowd", theirs);
        await CopyAsync(course, model, "ours", ours);
        // A vector of another model in our course, the nearest of all: never compared.
        await CopyAsync(course, "other-model", "other-model", [query]);
        var (plan, plainRows) = await PlainFilteredScanAsync(course, model, query);
        Assert.Contains("Index Scan using ix_course_chunks_embedding_halfvec", plan, StringComparison.Ordinal);
        Assert.True(plainRows < 5, $"the scenario should defeat a plain filtered HNSW scan, which returned {plainRows} rows");

        var hits = await app.Run<SearchService, IReadOnlyList<SearchHit>>(s => s.NearestAsync(course, new Vector(query), 5, CancellationToken.None));
        var scans = await IndexScansOfNearestAsync(course, model, query);

        Assert.Equal(5, hits.Count);
        // The exact branch ran; the walked one, planned on the halfvec index, did not.
        Assert.Equal(["never executed"], scans);
        Assert.All(hits, h => Assert.Equal("ours", h.Source));
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Id), hits.Select(h => h.Id));
        // A course this small is searched exactly (SearchService.ExactSearchMaxChunks): the exact top 5, in order.
        var exact = ours.Select((v, i) => (Position: i, Similarity: Cosine(v, query))).OrderByDescending(x => x.Similarity).Take(5).Select(x => x.Position);
        Assert.Equal(exact, hits.Select(h => h.Position));
    }

    [Fact]
    public async Task A_course_larger_than_the_exact_limit_walks_the_hnsw_index_and_still_finds_its_nearest_chunks()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var (crowd, _) = await app.CreateCourseAsync();
        var random = new Random(7);
        var query = RandomUnitVector(random);
        var model = ArcticXsEmbeddingGenerator.ModelName;
        var theirs = Enumerable.Range(0, 2000).Select(_ => Blend(query, RandomUnitVector(random), 0.2f)).ToList();
        var ours = Enumerable.Range(0, SearchService.ExactSearchMaxChunks + 100).Select(_ => Blend(query, RandomUnitVector(random), 0.9f)).ToList();
        await CopyAsync(crowd, model, "crowd", theirs);
        await CopyAsync(course, model, "ours", ours);
        await AnalyzeAsync(); // as autovacuum would: without statistics the planner takes the course for a few rows

        var hits = await app.Run<SearchService, IReadOnlyList<SearchHit>>(s => s.NearestAsync(course, new Vector(query), 5, CancellationToken.None));
        var scans = await IndexScansOfNearestAsync(course, model, query);

        // The walked branch ran, through the HNSW index on the halfvec cast.
        Assert.Equal(["executed"], scans);
        Assert.Equal(5, hits.Count);
        Assert.All(hits, h => Assert.Equal("ours", h.Source));
        // HNSW is approximate: at least 4 of the exact top 5 (in practice all 5).
        var exact = ours.Select((v, i) => (Position: i, Similarity: Cosine(v, query))).OrderByDescending(x => x.Similarity).Take(5).Select(x => x.Position).ToList();
        Assert.True(exact.Intersect(hits.Select(h => h.Position)).Count() >= 4);
        // Walked in the halfvec index's order, reported and sorted by the full vector's similarity.
        Assert.All(hits, h => Assert.InRange(h.Score - Cosine(ours[h.Position], query), -1e-3, 1e-3));
        Assert.Equal(hits.OrderByDescending(h => h.Score).Select(h => h.Id), hits.Select(h => h.Id));
    }

    [Fact]
    public async Task The_scan_settings_of_a_batch_hold_for_its_statements_and_end_with_it()
    {
        // Search and the tutor send the settings and their statement as one batch (one implicit transaction), not as
        // BEGIN, SET LOCAL, statement, COMMIT: a pooled connection must not keep them.
        await using var db = database.CreateContext();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using (var load = new NpgsqlCommand("SELECT '[1]'::vector", connection)) await load.ExecuteScalarAsync();
        const string Settings = "SELECT current_setting('hnsw.iterative_scan'), current_setting('hnsw.ef_search')";
        await using (var batch = new NpgsqlBatch(connection) { BatchCommands = { new(SearchService.IterativeScan), new(Settings) } })
        await using (var reader = await batch.ExecuteReaderAsync())
        {
            await reader.NextResultAsync();
            Assert.True(await reader.ReadAsync());
            Assert.Equal(("relaxed_order", "100"), (reader.GetString(0), reader.GetString(1)));
        }
        await using var after = new NpgsqlCommand(Settings, connection);
        await using var afterReader = await after.ExecuteReaderAsync();
        Assert.True(await afterReader.ReadAsync());
        Assert.Equal(("off", "40"), (afterReader.GetString(0), afterReader.GetString(1)));
    }

    [Theory]
    [InlineData(new string[0], false)]
    [InlineData(new[] { "a-older-model" }, true)] // sorts before the current model's name
    [InlineData(new[] { "z-newer-model" }, true)] // and after it
    public async Task The_search_statement_says_whether_the_course_holds_another_models_chunks(string[] others, bool expected)
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var random = new Random(7);
        const string Model = "m-current-model";
        await CopyAsync(course, Model, "current", [RandomUnitVector(random), RandomUnitVector(random)]);
        foreach (var other in others) await CopyAsync(course, other, other, [RandomUnitVector(random)]);

        await using var db = database.CreateContext();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(SearchService.NearestSql, connection)
        {
            Parameters = { new() { Value = new Vector(RandomUnitVector(random)) }, new() { Value = course }, new() { Value = Model }, new() { Value = 5 }, new() { Value = SearchService.ExactSearchMaxChunks } },
        };
        var rows = new List<bool>();
        await using (var reader = await command.ExecuteReaderAsync())
            while (await reader.ReadAsync()) rows.Add(reader.GetBoolean(7));
        // Both current chunks come back (searched exactly), each saying it.
        Assert.Equal([expected, expected], rows);
    }

    private async Task AnalyzeAsync()
    {
        await using var db = database.CreateContext();
        await db.Database.ExecuteSqlRawAsync("ANALYZE course_chunks");
    }

    /// <summary>
    /// EXPLAIN ANALYZE of <see cref="SearchService.NearestSql"/> as NearestAsync runs it (its settings, its parameters):
    /// for each scan of the HNSW index in the plan, whether it ran.
    /// </summary>
    private async Task<List<string>> IndexScansOfNearestAsync(Guid course, string model, float[] query)
    {
        await using var db = database.CreateContext();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var set = new NpgsqlCommand(SearchService.IterativeScan, connection, transaction)) await set.ExecuteNonQueryAsync();
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) " + SearchService.NearestSql, connection, transaction);
        explain.Parameters.Add(new NpgsqlParameter { Value = new Vector(query) });
        explain.Parameters.Add(new NpgsqlParameter { Value = course });
        explain.Parameters.Add(new NpgsqlParameter { Value = model });
        explain.Parameters.Add(new NpgsqlParameter { Value = 5 });
        explain.Parameters.Add(new NpgsqlParameter { Value = SearchService.ExactSearchMaxChunks });
        var scans = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync())
            while (await reader.ReadAsync())
                if (reader.GetString(0) is var line && line.Contains("Index Scan using ix_course_chunks_embedding_halfvec", StringComparison.Ordinal))
                    scans.Add(line.Contains("never executed", StringComparison.Ordinal) ? "never executed" : "executed");
        return scans;
    }

    /// <summary>The same filtered query without iterative scans, and its plan.</summary>
    private async Task<(string Plan, int Rows)> PlainFilteredScanAsync(Guid course, string model, float[] query)
    {
        await using var db = database.CreateContext();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using (var analyze = new NpgsqlCommand("ANALYZE course_chunks", connection)) await analyze.ExecuteNonQueryAsync();
        const string sql = "SELECT id FROM course_chunks WHERE course_id = $1 AND embedding_model = $2 ORDER BY embedding::halfvec(384) <=> $3::halfvec(384) LIMIT 5";
        var plan = new List<string>();
        await using (var explain = new NpgsqlCommand("EXPLAIN " + sql, connection))
        {
            explain.Parameters.Add(new NpgsqlParameter { Value = course });
            explain.Parameters.Add(new NpgsqlParameter { Value = model });
            explain.Parameters.Add(new NpgsqlParameter { Value = new Vector(query) });
            await using var reader = await explain.ExecuteReaderAsync();
            while (await reader.ReadAsync()) plan.Add(reader.GetString(0));
        }
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM ({sql}) x", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = course });
        command.Parameters.Add(new NpgsqlParameter { Value = model });
        command.Parameters.Add(new NpgsqlParameter { Value = new Vector(query) });
        return (string.Join("\n", plan), Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("", null, "q")]
    [InlineData("   ", "5", "q")]
    [InlineData("subnets", "0", "k")]
    [InlineData("subnets", "21", "k")]
    [InlineData("subnets", "five", "k")]
    public async Task Invalid_queries_are_validation_problems(string q, string? k, string field)
    {
        await using var app = new IngestionApp(database);
        var problem = await Assert.ThrowsAsync<ProblemException>(() =>
            app.Run<SearchService, SearchResults>(s => s.SearchAsync(Guid.NewGuid(), q, k, CancellationToken.None)));
        Assert.Equal([field], problem.Errors!.Keys);
    }

    [Fact]
    public async Task An_overlong_query_is_a_validation_problem()
    {
        await using var app = new IngestionApp(database);
        var problem = await Assert.ThrowsAsync<ProblemException>(() =>
            app.Run<SearchService, SearchResults>(s => s.SearchAsync(Guid.NewGuid(), new string('a', SearchService.MaxQueryLength + 1), null, CancellationToken.None)));
        Assert.Equal(["q"], problem.Errors!.Keys);
    }

    private async Task CopyAsync(Guid course, string model, string source, List<float[]> vectors)
    {
        await using var db = database.CreateContext();
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await connection.OpenAsync();
        await using var writer = await connection.BeginBinaryImportAsync(
            "COPY course_chunks (id, course_id, source, position, content, embedding_model, embedding, created_at) FROM STDIN (FORMAT BINARY)");
        // Each row goes into the HNSW index: 10,000 rows take about 30 s on a quiet 2-core machine, more beside the
        // other test assemblies, so the command's 30 s default is no bound for it.
        writer.Timeout = TimeSpan.FromMinutes(10);
        for (var i = 0; i < vectors.Count; i++)
        {
            await writer.StartRowAsync();
            await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
            await writer.WriteAsync(course, NpgsqlDbType.Uuid);
            await writer.WriteAsync(source, NpgsqlDbType.Varchar);
            await writer.WriteAsync(i, NpgsqlDbType.Integer);
            await writer.WriteAsync($"passage {i}", NpgsqlDbType.Text);
            await writer.WriteAsync(model, NpgsqlDbType.Varchar);
            await writer.WriteAsync(new Vector(vectors[i]));
            await writer.WriteAsync(DateTimeOffset.UtcNow, NpgsqlDbType.TimestampTz);
        }
        await writer.CompleteAsync();
    }

    private static float[] RandomUnitVector(Random random)
    {
        var v = new float[EmbeddingOptions.Dimensions];
        for (var i = 0; i < v.Length; i++) v[i] = (float)(random.NextDouble() * 2 - 1);
        return Normalize(v);
    }

    /// <summary>(1 - noise) * a + noise * b, normalised: smaller noise lies nearer to <paramref name="a"/>.</summary>
    private static float[] Blend(float[] a, float[] b, float noise) => Normalize(a.Select((x, i) => (1 - noise) * x + noise * b[i]).ToArray());

    private static float[] Normalize(float[] v)
    {
        var norm = (float)Math.Sqrt(v.Sum(x => (double)x * x));
        return v.Select(x => x / norm).ToArray();
    }

    private static double Cosine(float[] a, float[] b) => a.Select((x, i) => (double)x * b[i]).Sum();
}
