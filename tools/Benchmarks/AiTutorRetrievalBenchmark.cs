using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoursePlatform.Data;
using CoursePlatform.DevTool;
using CoursePlatform.Functions;
using CoursePlatform.Functions.Features.AiTutor;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pgvector;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// Issue 13's retrieval evaluation, through the app's own container (AddCoursePlatform) over a throw-away database
/// with the real embedding model:
/// 1. The demo seed (tools/DevTool) writes the demo courses; <see cref="LessonIndexer.IndexStaleAsync"/> indexes their
///    lessons as the worker does at start-up (sources <c>lesson:{topicId}</c>).
/// 2. Several hundred distractor chunks of real same-domain text join the <c>cloud-foundations</c> course: the
///    networking reference docs of the .NET SDK (<see cref="ReferenceDocumentation"/>), one source per type, cut by
///    the app's <see cref="Chunker"/>, embedded by the container's generator and written by <see cref="ChunkWriter"/>,
///    as an uploaded file would be.
/// 3. Every question of <see cref="AiTutorEvaluationSet"/> goes through <see cref="AiTutorRetrieval.RetrieveAsync(Guid, string, int, RetrievalMode, CancellationToken)"/>
///    with k = 5 (the tutor's), vector-only and hybrid: recall@5 is the share of on-topic questions with a chunk of the
///    answering topic's lesson (by topic_id) among the 5. On the hybrid results (what the tutor uses) the tutor's
///    relevance rule (<see cref="AiTutorOptions"/>) is applied: off-topic questions it would answer, on-topic questions
///    it would silence, and a sweep of both floors to show better values.
/// 4. Latency p50/p95 per mode, end to end and with the query vector given, next to the embedding call alone.
/// </summary>
public static class AiTutorRetrievalBenchmark
{
    /// <summary>The passages the tutor retrieves per question.</summary>
    private const int K = AiTutorService.Passages;

    private const string DistractorSourcePrefix = "reference:";

    /// <summary>The issue's "several hundred" distractor chunks: fewer is reported, more are left out.</summary>
    private const int MinDistractorChunks = 400;
    private const int MaxDistractorChunks = 800;

    /// <summary>Retrievals per mode before timing (JIT, connection pool, the model's first call).</summary>
    private const int WarmupQueries = 5;

    /// <summary>Times each question is timed per mode, for steadier percentiles.</summary>
    private const int LatencyRounds = 3;

    /// <summary>Retrieved passages shown for each miss.</summary>
    private const int MissPreview = 3;

    /// <summary>Questions shown whose answering chunk is the least similar: the ones a higher floor would drop first.</summary>
    private const int LowestShown = 5;

    /// <summary>The staff accounts the demo seed requires; the benchmark never signs in.</summary>
    private const string SeedPassword = "benchmark-only-password";

    private static readonly double[] RelevanceFloors = [0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50];
    private static readonly double[] TextMatchFloors = [0.00, 0.05, 0.10, 0.15, 0.20, 0.25, 0.30];

    public static async Task RunAsync()
    {
        var directory = ReferenceDocumentation.FindDirectory();
        if (directory is null)
        {
            Console.Error.WriteLine(
                $"tutor-retrieval: skipped: no {ReferenceDocumentation.FilePattern} under <dotnet>/packs/{ReferenceDocumentation.Pack}/*/ref/" +
                $"{ReferenceDocumentation.Framework}/ (the .NET SDK's reference pack), which supplies the distractor text. Install the .NET 10 SDK.");
            return;
        }

        await using var database = await BenchmarkDatabase.CreateAsync();
        await using var provider = database.CreateApp();

        var courseId = await SeedAsync(database);
        var (topics, lessonChunks) = await IndexLessonsAsync(database, provider, courseId);
        var distractors = await LoadDistractorsAsync(database, provider, courseId, directory);

        for (var i = 0; i < WarmupQueries; i++)
        {
            var question = AiTutorEvaluationSet.OnTopic[i].Text;
            await RetrieveAsync(provider, courseId, question, RetrievalMode.VectorOnly);
            await RetrieveAsync(provider, courseId, question, RetrievalMode.Hybrid);
        }

        var onTopic = new List<OnTopicOutcome>();
        foreach (var question in AiTutorEvaluationSet.OnTopic)
        {
            onTopic.Add(new OnTopicOutcome(question, topics[question.Topic],
                await RetrieveAsync(provider, courseId, question.Text, RetrievalMode.VectorOnly),
                await RetrieveAsync(provider, courseId, question.Text, RetrievalMode.Hybrid)));
        }
        var offTopic = new List<IReadOnlyList<RetrievedPassage>>();
        foreach (var question in AiTutorEvaluationSet.OffTopic)
            offTopic.Add(await RetrieveAsync(provider, courseId, question, RetrievalMode.Hybrid));

        var latency = await MeasureLatencyAsync(provider, provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>(), courseId);

        var model = provider.GetRequiredService<IOptions<EmbeddingOptions>>().Value.ModelName;
        var tutor = provider.GetRequiredService<IOptions<AiTutorOptions>>().Value;
        var names = topics.ToDictionary(t => t.Value, t => t.Key);
        Report(onTopic, offTopic, latency, tutor, names, model, topics.Count, lessonChunks, distractors);
    }

    // ---------------------------------------------------------------- the course

    /// <summary>The demo seed, exactly as <c>./run.sh</c> applies it; returns the id of <c>cloud-foundations</c>.</summary>
    private static async Task<Guid> SeedAsync(BenchmarkDatabase database)
    {
        await using var db = database.CreateContext();
        await new DemoSeed().ApplyAsync(db, new DemoSeedOptions { AdminPassword = SeedPassword, TutorPassword = SeedPassword }, TimeProvider.System);
        return await db.Courses.Where(c => c.Slug == DemoSeed.GatedCourseSlug).Select(c => c.Id).SingleAsync();
    }

    /// <summary>
    /// Indexes the lessons as the worker's start-up sweep does; returns the course's topics by name (checked against
    /// the evaluation set's labels) and its lesson chunk count.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, Guid> Topics, int LessonChunks)> IndexLessonsAsync(
        BenchmarkDatabase database, ServiceProvider provider, Guid courseId)
    {
        await using (var scope = provider.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<LessonIndexer>().IndexStaleAsync(CancellationToken.None);

        await using var db = database.CreateContext();
        var topics = await db.Topics.Where(t => t.CourseId == courseId).ToDictionaryAsync(t => t.Name, t => t.Id, StringComparer.Ordinal);
        var unknown = AiTutorEvaluationSet.OnTopic.Select(q => q.Topic).Distinct().Where(name => !topics.ContainsKey(name)).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException($"The evaluation set names topics the demo course does not have: {string.Join(", ", unknown)}");
        var lessonChunks = await db.CourseChunks.Where(c => c.CourseId == courseId && c.TopicId != null).GroupBy(c => c.TopicId!.Value)
            .Select(g => new { Topic = g.Key, Count = g.Count() }).ToListAsync();
        var unindexed = topics.Where(t => lessonChunks.All(c => c.Topic != t.Value)).Select(t => t.Key).ToList();
        if (unindexed.Count > 0) throw new InvalidOperationException($"Topics without lesson chunks: {string.Join(", ", unindexed)}");
        return (topics, lessonChunks.Sum(c => c.Count));
    }

    /// <summary>The distractors written: types used and left out (past <see cref="MaxDistractorChunks"/>), chunks, characters, embedding time.</summary>
    private sealed record Distractors(string Directory, int Types, int TypesLeftOut, int Chunks, int Characters, TimeSpan Embed);

    /// <summary>The reference docs' types as sources of the course, chunked, embedded and written as an ingestion writes them.</summary>
    private static async Task<Distractors> LoadDistractorsAsync(BenchmarkDatabase database, ServiceProvider provider, Guid courseId, string directory)
    {
        var documents = ReferenceDocumentation.Read(directory);
        var selected = new List<(ReferenceDocument Document, IReadOnlyList<ContentChunk> Chunks)>();
        var total = 0;
        foreach (var document in documents)
        {
            var chunks = Chunker.Chunk(document.Segments);
            if (total + chunks.Count > MaxDistractorChunks) break;
            selected.Add((document, chunks));
            total += chunks.Count;
        }

        var options = provider.GetRequiredService<IOptions<EmbeddingOptions>>().Value;
        var generator = provider.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
        var vectors = new List<Vector>(total);
        var started = Stopwatch.GetTimestamp();
        foreach (var batch in selected.SelectMany(s => s.Chunks).Chunk(options.BatchSize))
            vectors.AddRange((await generator.GenerateAsync(batch.Select(c => c.Content))).Select(e => new Vector(e.Vector)));
        var embed = Stopwatch.GetElapsedTime(started);

        await using (var scope = provider.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CoursePlatformDbContext>();
            var writer = scope.ServiceProvider.GetRequiredService<ChunkWriter>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            var offset = 0;
            foreach (var (document, chunks) in selected)
            {
                await writer.ReplaceAsync(new ContentPath(courseId, null, document.TypeName), null, DistractorSourcePrefix + document.TypeName,
                    chunks, vectors.GetRange(offset, chunks.Count), options.ModelName, CancellationToken.None);
                offset += chunks.Count;
            }
            await transaction.CommitAsync();
        }

        await using (var db = database.CreateContext())
        {
            // Statistics as a long-running database would have them, so the planner chooses as it would in production.
            await db.Database.ExecuteSqlRawAsync("ANALYZE course_chunks");
            var stored = await db.CourseChunks.CountAsync(c => c.CourseId == courseId && c.TopicId == null);
            if (stored != total) throw new InvalidOperationException($"expected {total} distractor chunks, found {stored}");
        }
        return new Distractors(directory, selected.Count, documents.Count - selected.Count, total, selected.Sum(s => s.Chunks.Sum(c => c.Content.Length)), embed);
    }

    // ---------------------------------------------------------------- retrieval

    /// <summary>One retrieval as the tutor runs it: a fresh scope, the question embedded, k passages.</summary>
    private static async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(ServiceProvider provider, Guid courseId, string question, RetrievalMode mode)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AiTutorRetrieval>().RetrieveAsync(courseId, question, K, mode, CancellationToken.None);
    }

    /// <summary>One on-topic question's passages in both modes, and the 1-based rank of its answering topic's first chunk (0: not among them).</summary>
    private sealed record OnTopicOutcome(EvaluationQuestion Question, Guid TopicId, IReadOnlyList<RetrievedPassage> Vector, IReadOnlyList<RetrievedPassage> Hybrid)
    {
        public int VectorRank => Rank(Vector);
        public int HybridRank => Rank(Hybrid);
        private int Rank(IReadOnlyList<RetrievedPassage> passages) => passages.Select((p, i) => p.TopicId == TopicId ? i + 1 : 0).FirstOrDefault(r => r > 0);
    }

    /// <summary>Milliseconds per call: the embedding alone, each mode end to end, and each mode's query given the vector.</summary>
    private sealed record Latency(List<double> Embedding, List<double> VectorOnly, List<double> Hybrid, List<double> VectorQuery, List<double> HybridQuery);

    /// <summary>
    /// Every question (on- and off-topic), <see cref="LatencyRounds"/> times: the embedding call alone, each mode end to
    /// end (embedding included, as the tutor calls it), and each mode's query with the vector already computed.
    /// </summary>
    private static async Task<Latency> MeasureLatencyAsync(ServiceProvider provider, IEmbeddingGenerator<string, Embedding<float>> generator, Guid courseId)
    {
        var latency = new Latency([], [], [], [], []);
        var questions = AiTutorEvaluationSet.OnTopic.Select(q => q.Text).Concat(AiTutorEvaluationSet.OffTopic).ToList();
        for (var round = 0; round < LatencyRounds; round++)
        {
            foreach (var question in questions)
            {
                var started = Stopwatch.GetTimestamp();
                var vector = new Vector((await generator.GenerateAsync([question])).Single().Vector);
                latency.Embedding.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);

                foreach (var (mode, endToEnd, query) in new[]
                {
                    (RetrievalMode.VectorOnly, latency.VectorOnly, latency.VectorQuery),
                    (RetrievalMode.Hybrid, latency.Hybrid, latency.HybridQuery),
                })
                {
                    await using var scope = provider.CreateAsyncScope();
                    var retrieval = scope.ServiceProvider.GetRequiredService<AiTutorRetrieval>();
                    started = Stopwatch.GetTimestamp();
                    await retrieval.RetrieveAsync(courseId, question, K, mode, CancellationToken.None);
                    endToEnd.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    started = Stopwatch.GetTimestamp();
                    await retrieval.RetrieveAsync(courseId, question, vector, K, mode, CancellationToken.None);
                    query.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            }
        }
        return latency;
    }

    // ---------------------------------------------------------------- the relevance rule

    /// <summary>The tutor's rule (AiTutorService): a passage counts when it is similar enough, or text-matched and a little similar.</summary>
    private static bool Counts(RetrievedPassage passage, double relevanceFloor, double textMatchFloor) =>
        passage.Similarity >= relevanceFloor || (passage.TextMatch && passage.Similarity >= textMatchFloor);

    private sealed record RuleOutcome(int OffTopicAnswered, int OnTopicSilenced, int AnswerKept);

    /// <summary>The rule on the hybrid results: off-topic questions with a passage that counts, on-topic ones with none, and
    /// on-topic ones whose answering chunk was retrieved and counts (so the answer can cite it).</summary>
    private static RuleOutcome ApplyRule(List<OnTopicOutcome> onTopic, List<IReadOnlyList<RetrievedPassage>> offTopic, double relevanceFloor, double textMatchFloor) =>
        new(offTopic.Count(passages => passages.Any(p => Counts(p, relevanceFloor, textMatchFloor))),
            onTopic.Count(o => !o.Hybrid.Any(p => Counts(p, relevanceFloor, textMatchFloor))),
            onTopic.Count(o => o.Hybrid.Any(p => p.TopicId == o.TopicId && Counts(p, relevanceFloor, textMatchFloor))));

    // ---------------------------------------------------------------- the report

    private static void Report(List<OnTopicOutcome> onTopic, List<IReadOnlyList<RetrievedPassage>> offTopic, Latency latency, AiTutorOptions tutor,
        Dictionary<Guid, string> names, string model, int topicCount, int lessonChunks, Distractors distractors)
    {
        static string Ratio(int hits, int of) => string.Create(CultureInfo.InvariantCulture, $"{(double)hits / of:F2} ({hits}/{of})");
        var n = onTopic.Count;
        var vectorHits = onTopic.Count(o => o.VectorRank > 0);
        var hybridHits = onTopic.Count(o => o.HybridRank > 0);
        var rule = ApplyRule(onTopic, offTopic, tutor.RelevanceFloor, tutor.TextMatchFloor);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tutor-retrieval: course {DemoSeed.GatedCourseSlug} (demo seed, lessons indexed by LessonIndexer), embeddings {model}, k={K}"));
        var shortfall = distractors.Chunks < MinDistractorChunks ? $"; FEWER than the {MinDistractorChunks} intended" : "";
        var leftOut = distractors.TypesLeftOut > 0 ? $" (capped at {MaxDistractorChunks} chunks: {distractors.TypesLeftOut} further types left out)" : "";
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  distractors: {distractors.Chunks} chunks ({distractors.Characters / 1000:N0}k characters) of {distractors.Types} types' summaries and remarks from " +
            $"{Path.Combine(distractors.Directory, ReferenceDocumentation.FilePattern)}, embedded in {distractors.Embed.TotalSeconds:F1} s{leftOut}{shortfall}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  recall@{K} vector-only {Ratio(vectorHits, n)}, hybrid {Ratio(hybridHits, n)}; off-topic answered {rule.OffTopicAnswered}/{offTopic.Count}; " +
            $"on-topic silenced {rule.OnTopicSilenced}/{n}; chunks: {lessonChunks} lesson ({topicCount} topics) + {distractors.Chunks} distractor"));
        foreach (var (label, exact) in new[] { ("paraphrases", false), ("exact terms", true) })
        {
            var subset = onTopic.Where(o => o.Question.ExactTerm == exact).ToList();
            Console.WriteLine($"    {label,-12} vector-only {Ratio(subset.Count(o => o.VectorRank > 0), subset.Count)}, hybrid {Ratio(subset.Count(o => o.HybridRank > 0), subset.Count)}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"    recall@1     vector-only {Ratio(onTopic.Count(o => o.VectorRank == 1), n)}, hybrid {Ratio(onTopic.Count(o => o.HybridRank == 1), n)}"));

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  relevance rule on the hybrid passages (RelevanceFloor {tutor.RelevanceFloor:F2}, TextMatchFloor {tutor.TextMatchFloor:F2}): " +
            $"off-topic answered {rule.OffTopicAnswered}/{offTopic.Count}, on-topic silenced {rule.OnTopicSilenced}/{n}, " +
            $"answering chunk retrieved but dropped {hybridHits - rule.AnswerKept}/{n}, answering chunk kept {rule.AnswerKept}/{n}"));

        Console.WriteLine($"  passages below: lesson topic or reference source, cosine similarity, T = matched words of the question in full-text search; first {MissPreview} by rank");
        foreach (var (label, mode) in new[] { ("vector-only", RetrievalMode.VectorOnly), ("hybrid", RetrievalMode.Hybrid) })
        {
            var misses = onTopic.Where(o => (mode == RetrievalMode.Hybrid ? o.HybridRank : o.VectorRank) == 0).ToList();
            Console.WriteLine($"  misses, {label} ({misses.Count}):");
            foreach (var miss in misses)
            {
                var passages = mode == RetrievalMode.Hybrid ? miss.Hybrid : miss.Vector;
                Console.WriteLine($"    [{Short(miss.Question.Topic)}] \"{miss.Question.Text}\"{(miss.Question.ExactTerm ? " (exact term)" : "")}");
                Console.WriteLine($"        got: {string.Join("; ", passages.Take(MissPreview).Select(p => Describe(p, names)))}");
            }
        }
        foreach (var (question, passages) in AiTutorEvaluationSet.OffTopic.Zip(offTopic).Where(x => x.Second.Any(p => Counts(p, tutor.RelevanceFloor, tutor.TextMatchFloor))))
        {
            Console.WriteLine($"  off-topic answered: \"{question}\"");
            Console.WriteLine($"        counted: {string.Join("; ", passages.Where(p => Counts(p, tutor.RelevanceFloor, tutor.TextMatchFloor)).Select(p => Describe(p, names)))}");
        }
        foreach (var silenced in onTopic.Where(o => !o.Hybrid.Any(p => Counts(p, tutor.RelevanceFloor, tutor.TextMatchFloor))))
        {
            Console.WriteLine($"  on-topic silenced: [{Short(silenced.Question.Topic)}] \"{silenced.Question.Text}\"");
            Console.WriteLine($"        best: {string.Join("; ", silenced.Hybrid.Take(MissPreview).Select(p => Describe(p, names)))}");
        }

        // Where the floors can sit: how similar the right passages are, and how similar the best passages of questions
        // the course does not answer are.
        var answering = onTopic.Select(o => o.Hybrid.Where(p => p.TopicId == o.TopicId).Select(p => p.Similarity).DefaultIfEmpty(double.NaN).Max())
            .Where(s => !double.IsNaN(s)).Order().ToList();
        var offBest = offTopic.Select(ps => ps.Select(p => p.Similarity).DefaultIfEmpty(0).Max()).ToList();
        var offMatched = offTopic.SelectMany(ps => ps.Where(p => p.TextMatch).Select(p => p.Similarity)).DefaultIfEmpty(double.NaN).Max();
        var answeringMatched = onTopic.SelectMany(o => o.Hybrid.Where(p => p.TopicId == o.TopicId && p.TextMatch).Select(p => p.Similarity)).Order().ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  similarity: answering chunks (hybrid, {answering.Count}) min {Percentile(answering, 0):F3}, p10 {Percentile(answering, 0.10):F3}, median {Percentile(answering, 0.50):F3}; " +
            $"text-matched answering chunks min {Percentile(answeringMatched, 0):F3}; " +
            $"off-topic best passage max {offBest.Max():F3}, off-topic text-matched passage max {offMatched:F3}"));

        Console.WriteLine("  least similar answering chunks (hybrid; a higher floor drops these first):");
        foreach (var (question, passage) in onTopic
                     .Select(o => (o.Question, Passage: o.Hybrid.Where(p => p.TopicId == o.TopicId).MaxBy(p => p.Similarity)))
                     .Where(x => x.Passage is not null).OrderBy(x => x.Passage!.Similarity).Take(LowestShown))
            Console.WriteLine($"    {Describe(passage!, names)}  \"{question.Text}\"{(question.ExactTerm ? " (exact term)" : "")}");

        Console.WriteLine($"  floors sweep on the hybrid passages: off-topic answered / on-topic silenced / answering chunk kept (of {offTopic.Count} / {n} / {n}); * = configured");
        Console.WriteLine("    RelevanceFloor \\ TextMatchFloor" + string.Concat(TextMatchFloors.Select(t => string.Create(CultureInfo.InvariantCulture, $"{t,11:F2}"))));
        foreach (var relevance in RelevanceFloors)
        {
            var row = new StringBuilder(string.Create(CultureInfo.InvariantCulture, $"    {relevance,-32:F2}"));
            foreach (var textMatch in TextMatchFloors)
            {
                var cell = ApplyRule(onTopic, offTopic, relevance, textMatch);
                var configured = Math.Abs(relevance - tutor.RelevanceFloor) < 1e-9 && Math.Abs(textMatch - tutor.TextMatchFloor) < 1e-9;
                var figures = string.Create(CultureInfo.InvariantCulture, $"{(configured ? "*" : "")}{cell.OffTopicAnswered}/{cell.OnTopicSilenced}/{cell.AnswerKept}");
                row.Append(figures.PadLeft(11));
            }
            Console.WriteLine(row);
        }

        var questions = n + offTopic.Count;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latency, {questions} questions x {LatencyRounds} rounds after {WarmupQueries} warm-up, p50 / p95 ms: embedding alone {Percentile(latency.Embedding, 0.5):F1} / {Percentile(latency.Embedding, 0.95):F1}; " +
            $"vector-only {Percentile(latency.VectorOnly, 0.5):F1} / {Percentile(latency.VectorOnly, 0.95):F1} (query alone {Percentile(latency.VectorQuery, 0.5):F1} / {Percentile(latency.VectorQuery, 0.95):F1}); " +
            $"hybrid {Percentile(latency.Hybrid, 0.5):F1} / {Percentile(latency.Hybrid, 0.95):F1} (query alone {Percentile(latency.HybridQuery, 0.5):F1} / {Percentile(latency.HybridQuery, 0.95):F1})"));
    }

    /// <summary>A retrieved passage for the report: its lesson's topic or its reference type, similarity, and whether it matched words.</summary>
    private static string Describe(RetrievedPassage passage, Dictionary<Guid, string> names) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{(passage.TopicId is { } topic ? "lesson " + Short(names.GetValueOrDefault(topic, topic.ToString())) : passage.Source)} {passage.Similarity:F3}{(passage.TextMatch ? " T" : "")}");

    /// <summary>A topic's name up to its colon: "Networking: virtual networks, ..." is "Networking".</summary>
    private static string Short(string topic) => topic.Split(':')[0];

    /// <summary>The sample at <paramref name="quantile"/> (0 is the minimum) of the sorted samples; NaN when there are none.</summary>
    private static double Percentile(List<double> samples, double quantile)
    {
        if (samples.Count == 0) return double.NaN;
        var sorted = samples.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)(sorted.Count * quantile))];
    }
}
