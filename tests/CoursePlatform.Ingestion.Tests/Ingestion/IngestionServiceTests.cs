using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>The ingestion service on blobs uploaded to Azurite, writing to a real pgvector database with MiniLM vectors.</summary>
public class IngestionServiceTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static readonly Dictionary<string, string?> SmallLimits = new()
    {
        ["Ingestion:MaxUncompressedXmlBytes"] = (1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static byte[] Deck(string version) => TestFiles.Pptx(
        new TestSlide($"Subnetting {version}", [$"A subnet splits a network into smaller networks ({version})."],
            Table: [["Prefix", "Hosts"], ["/24", "254"]], Notes: $"Speaker notes for {version}."),
        new TestSlide("Routing", [$"Routers forward packets between subnets ({version})."]),
        new TestSlide("Firewalls", [$"Firewalls filter traffic by rules ({version})."]));

    [Fact]
    public async Task A_deck_is_ingested_with_slide_numbers_the_model_name_and_a_succeeded_log_row()
    {
        await using var app = new IngestionApp(database);
        var (course, topic) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/{topic}/subnets.pptx", Deck("v1"));

        var outcome = await app.IngestAsync(source);

        Assert.Equal(IngestionResult.Succeeded, outcome.Result);
        var chunks = await app.ChunksAsync(course);
        Assert.Equal(outcome.ChunkCount, chunks.Count);
        Assert.All(chunks, c =>
        {
            Assert.Equal(source, c.Source);
            Assert.Equal(topic, c.TopicId);
            Assert.Equal(ArcticXsEmbeddingGenerator.ModelName, c.EmbeddingModel);
            Assert.Equal(EmbeddingOptions.Dimensions, c.Embedding.ToArray().Length);
            Assert.InRange(Norm(c.Embedding.ToArray()), 0.99, 1.01); // a real, normalised MiniLM vector
        });
        var text = string.Join("\n", chunks.Select(c => c.Content));
        Assert.Contains("Subnetting v1", text, StringComparison.Ordinal);
        Assert.Contains("/24 | 254", text, StringComparison.Ordinal);
        Assert.Contains("Speaker notes for v1.", text, StringComparison.Ordinal);
        var metadata = chunks[0].Metadata!.RootElement;
        Assert.Equal(1, metadata.GetProperty("slide").GetInt32());
        Assert.Equal("slide", metadata.GetProperty("kind").GetString());
        Assert.Equal("subnets.pptx", metadata.GetProperty("file").GetString());

        var log = Assert.Single(await app.IngestionsAsync(source));
        Assert.Equal(IngestionStatus.Succeeded, log.Status);
        Assert.Equal((chunks.Count, ArcticXsEmbeddingGenerator.ModelName, 1, topic), (log.ChunkCount, log.EmbeddingModel, log.Attempts, log.TopicId));
        Assert.Null(log.Error);
        Assert.NotNull(log.StartedAt);
        Assert.NotNull(log.FinishedAt);
        Assert.NotNull(log.DurationMs);
        Assert.True(log.ContentLength > 0);
    }

    [Fact]
    public async Task A_transcript_is_ingested_with_cue_times_in_the_metadata()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var vtt = "WEBVTT\n\n" + string.Join("\n\n", Enumerable.Range(0, 40).Select(i =>
            $"00:{i / 60:00}:{i % 60:00}.000 --> 00:{i / 60:00}:{i % 60:00}.900\n<v Tutor>Cue {i} explains a detail of DNS resolution and caching.</v>"));
        var source = await app.UploadAsync($"{course}/lecture.vtt", TestFiles.Utf8(vtt, bom: true));

        var outcome = await app.IngestAsync(source);

        Assert.Equal(IngestionResult.Succeeded, outcome.Result);
        var chunks = await app.ChunksAsync(course);
        Assert.True(chunks.Count >= 2);
        Assert.All(chunks, c => Assert.Null(c.TopicId));
        var first = chunks[0].Metadata!.RootElement;
        Assert.Equal(("cue", "00:00:00.000", 0.0), (first.GetProperty("kind").GetString(), first.GetProperty("start").GetString(), first.GetProperty("startSeconds").GetDouble()));
        var last = chunks[^1].Metadata!.RootElement;
        Assert.Equal("00:00:39.900", last.GetProperty("end").GetString());
        Assert.DoesNotContain(chunks, c => c.Content.Contains('<', StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reupload_of_the_same_source_replaces_its_chunks()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/deck.pptx", Deck("v1"));
        await app.IngestAsync(source);
        var before = await app.ChunksAsync(course);

        await app.UploadAsync(source, Deck("v2"));
        var outcome = await app.IngestAsync(source);

        Assert.Equal(IngestionResult.Succeeded, outcome.Result);
        var after = await app.ChunksAsync(course);
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(Enumerable.Range(0, after.Count), after.Select(c => c.Position));
        Assert.Empty(after.Select(c => c.Id).Intersect(before.Select(c => c.Id)));
        Assert.DoesNotContain(after, c => c.Content.Contains("v1", StringComparison.Ordinal));
        Assert.Contains(after, c => c.Content.Contains("Subnetting v2", StringComparison.Ordinal));
        var log = await app.IngestionsAsync(source);
        Assert.Equal([IngestionStatus.Succeeded, IngestionStatus.Succeeded], log.Select(l => l.Status));
        Assert.NotEqual(log[0].ETag, log[1].ETag);
    }

    [Fact]
    public async Task The_same_etag_is_ingested_once()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/deck.pptx", Deck("v1"));

        var first = await app.IngestAsync(source);
        var chunks = await app.ChunksAsync(course);
        var second = await app.IngestAsync(source);

        Assert.Equal((IngestionResult.Succeeded, IngestionResult.Skipped), (first.Result, second.Result));
        Assert.Equal(chunks.Select(c => c.Id), (await app.ChunksAsync(course)).Select(c => c.Id));
        var log = Assert.Single(await app.IngestionsAsync(source));
        Assert.Equal((IngestionStatus.Succeeded, 1), (log.Status, log.Attempts));
    }

    [Fact]
    public async Task Concurrent_triggers_for_one_version_ingest_it_once()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/deck.pptx", Deck("v1"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => app.IngestAsync(source)));

        Assert.Single(outcomes, o => o.Result == IngestionResult.Succeeded);
        Assert.Equal(2, outcomes.Count(o => o.Result == IngestionResult.Skipped));
        Assert.Single(await app.IngestionsAsync(source));
        var chunks = await app.ChunksAsync(course);
        Assert.Equal(chunks.Count, chunks.Select(c => c.Position).Distinct().Count());
    }

    [Fact]
    public async Task Two_sources_of_one_course_coexist()
    {
        await using var app = new IngestionApp(database);
        var (course, topic) = await app.CreateCourseAsync();
        var deck = await app.UploadAsync($"{course}/{topic}/deck.pptx", Deck("v1"));
        var notes = await app.UploadAsync($"{course}/notes.md", TestFiles.Utf8("# Notes\n\nCaching keeps answers close to the reader."));

        await app.IngestAsync(deck);
        await app.IngestAsync(notes);
        await app.UploadAsync(notes, TestFiles.Utf8("# Notes\n\nCaching keeps recent answers close to the reader."));
        await app.IngestAsync(notes);

        var chunks = await app.ChunksAsync(course);
        Assert.Equal([deck, notes], chunks.Select(c => c.Source).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal((await app.ChunksAsync(course, deck)).Count, chunks.Count(c => c.Source == deck));
        Assert.Contains("recent answers", Assert.Single(chunks, c => c.Source == notes).Content, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> BrokenFiles => new()
    {
        { "truncated zip", "deck.pptx", "not a valid PowerPoint" },
        { "not a zip", "deck.pptx", "not a valid PowerPoint" },
        { "empty", "deck.pptx", "The file is empty." },
        { "huge entry", "deck.pptx", "MaxUncompressedXmlBytes" },
        { "vtt without header", "talk.vtt", "WEBVTT" },
        { "binary text", "talk.txt", "binary" },
    };

    [Theory]
    [MemberData(nameof(BrokenFiles))]
    public async Task A_broken_upload_fails_with_a_reason_and_keeps_the_previous_chunks(string kind, string fileName, string reason)
    {
        await using var app = new IngestionApp(database, SmallLimits);
        var (course, _) = await app.CreateCourseAsync();
        var good = fileName.EndsWith(".pptx", StringComparison.Ordinal)
            ? Deck("good")
            : TestFiles.Utf8(fileName.EndsWith(".vtt", StringComparison.Ordinal) ? "WEBVTT\n\n00:01.000 --> 00:02.000\nGood cue." : "Good text.");
        var source = await app.UploadAsync($"{course}/{fileName}", good);
        Assert.Equal(IngestionResult.Succeeded, (await app.IngestAsync(source)).Result);
        var before = await app.ChunksAsync(course);

        byte[] broken = kind switch
        {
            "truncated zip" => good[..(good.Length * 2 / 3)],
            "not a zip" => TestFiles.Utf8("Just text, although the name says .pptx."),
            "empty" => [],
            "huge entry" => TestFiles.ZipWithHugeEntry(8L * 1024 * 1024),
            "vtt without header" => TestFiles.Utf8("00:01.000 --> 00:02.000\nNo header."),
            _ => [0x50, 0x4B, 0x00, 0x00, 0x01],
        };
        await app.UploadAsync(source, broken);
        var outcome = await app.IngestAsync(source);

        Assert.Equal(IngestionResult.Failed, outcome.Result);
        Assert.Contains(reason, outcome.Reason, StringComparison.Ordinal);
        Assert.Equal(before.Select(c => (c.Id, c.Content)), (await app.ChunksAsync(course)).Select(c => (c.Id, c.Content)));
        var log = await app.IngestionsAsync(source);
        Assert.Equal([IngestionStatus.Succeeded, IngestionStatus.Failed], log.Select(l => l.Status));
        Assert.Contains(reason, log[1].Error, StringComparison.Ordinal);
        Assert.Equal(1, log[1].Attempts);
        Assert.NotNull(log[1].FinishedAt);
        // A failed version is final: triggering it again does nothing.
        Assert.Equal(IngestionResult.Skipped, (await app.IngestAsync(source)).Result);
    }

    [Fact]
    public async Task Files_over_the_size_limit_or_of_unsupported_types_or_foreign_topics_fail_with_a_reason()
    {
        await using var app = new IngestionApp(database, new Dictionary<string, string?> { ["Ingestion:MaxFileBytes"] = "1000" });
        var (course, _) = await app.CreateCourseAsync();
        var (_, foreignTopic) = await app.CreateCourseAsync();

        var large = await app.IngestAsync(await app.UploadAsync($"{course}/big.txt", TestFiles.Utf8(new string('a', 1001))));
        var pdf = await app.IngestAsync(await app.UploadAsync($"{course}/slides.pdf", [1, 2, 3]));
        var foreign = await app.IngestAsync(await app.UploadAsync($"{course}/{foreignTopic}/a.txt", TestFiles.Utf8("Text.")));

        Assert.Equal(IngestionResult.Failed, large.Result);
        Assert.Contains("1,001 bytes", large.Reason, StringComparison.Ordinal);
        Assert.Contains("MaxFileBytes", large.Reason, StringComparison.Ordinal);
        Assert.Equal(IngestionResult.Failed, pdf.Result);
        Assert.Contains("Unsupported file type '.pdf'", pdf.Reason, StringComparison.Ordinal);
        Assert.Equal(IngestionResult.Failed, foreign.Result);
        Assert.Contains("is not a topic of course", foreign.Reason, StringComparison.Ordinal);
        Assert.Empty(await app.ChunksAsync(course));
        Assert.Null(Assert.Single(await app.IngestionsAsync($"{course}/{foreignTopic}/a.txt")).TopicId);
    }

    [Fact]
    public async Task Blobs_outside_a_known_course_are_ignored()
    {
        await using var app = new IngestionApp(database);
        var unknown = await app.UploadAsync($"{Guid.NewGuid()}/deck.txt", TestFiles.Utf8("Text."));
        var notACourse = await app.UploadAsync("misc/readme.txt", TestFiles.Utf8("Text."));

        Assert.Equal(IngestionResult.Ignored, (await app.IngestAsync(unknown)).Result);
        Assert.Equal(IngestionResult.Ignored, (await app.IngestAsync(notACourse)).Result);
        Assert.Equal(IngestionResult.Ignored, (await app.IngestAsync($"{Guid.NewGuid()}/missing.txt")).Result);
        Assert.Empty(await app.IngestionsAsync(unknown));
    }

    [Fact]
    public async Task Infrastructure_failures_are_retried_then_recorded_as_failed_keeping_the_previous_chunks()
    {
        var failing = new FailingEmbeddings();
        await using var app = new IngestionApp(database, new Dictionary<string, string?> { ["Ingestion:MaxAttempts"] = "2" },
            configure: services => services.AddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(failing));
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/notes.txt", TestFiles.Utf8("First version."));
        await app.IngestAsync(source);
        var before = await app.ChunksAsync(course);
        await app.UploadAsync(source, TestFiles.Utf8("Second version."));

        failing.Fail = true;
        await Assert.ThrowsAsync<HttpRequestException>(() => app.IngestAsync(source));
        var afterFirstAttempt = (await app.IngestionsAsync(source))[1];
        var second = await app.IngestAsync(source);

        Assert.Equal((IngestionStatus.Queued, 1), (afterFirstAttempt.Status, afterFirstAttempt.Attempts));
        Assert.Contains("Attempt 1 of 2 failed", afterFirstAttempt.Error, StringComparison.Ordinal);
        Assert.Equal(IngestionResult.Failed, second.Result);
        var log = (await app.IngestionsAsync(source))[1];
        Assert.Equal((IngestionStatus.Failed, 2), (log.Status, log.Attempts));
        Assert.Contains("Attempt 2 of 2 failed: HttpRequestException: embedding service unavailable", log.Error, StringComparison.Ordinal);
        Assert.Equal(before.Select(c => c.Id), (await app.ChunksAsync(course)).Select(c => c.Id));
    }

    [Fact]
    public async Task The_blob_function_ingests_the_blob_it_is_given()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/deck.pptx", Deck("v1"));
        await app.Run<IngestionService>(ingestion => new IngestCourseContentFunction(ingestion).Run(app.Container.GetBlobClient(source), CancellationToken.None));

        Assert.Equal(IngestionStatus.Succeeded, Assert.Single(await app.IngestionsAsync(source)).Status);
        Assert.NotEmpty(await app.ChunksAsync(course));
    }

    private static double Norm(float[] vector) => Math.Sqrt(vector.Sum(v => (double)v * v));

    /// <summary>MiniLM that can be told to fail like an unreachable remote embedding service.</summary>
    private sealed class FailingEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        private readonly MiniLmEmbeddingGenerator _inner = new();

        public bool Fail { get; set; }

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
            EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default) =>
            Fail ? throw new HttpRequestException("embedding service unavailable") : _inner.GenerateAsync(values, options, cancellationToken);

        public object? GetService(Type serviceType, object? serviceKey = null) => _inner.GetService(serviceType, serviceKey);

        public void Dispose() => _inner.Dispose();
    }
}
