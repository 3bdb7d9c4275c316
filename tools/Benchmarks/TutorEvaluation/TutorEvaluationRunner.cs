using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CoursePlatform.Data;
using CoursePlatform.DevTool;
using CoursePlatform.Functions.Features.AiTutor;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Ingestion.Extraction;
using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Pgvector;

namespace CoursePlatform.Benchmarks.TutorEvaluation;

/// <summary>The course the evaluation asks about, as <see cref="TutorEvaluationRunner.PrepareAsync"/> wrote it.</summary>
public sealed record EvaluationCourse(Guid CourseId, IReadOnlyDictionary<string, Guid> Topics, int MaterialChunks, int DistractorChunks, string DistractorFiles);

/// <summary>One question's retrieval and the 1-based rank of its answering passage among the first k (0: not among them).</summary>
public sealed record QuestionOutcome(TutorQuestion? Question, string Text, Retrieval Retrieval, int Rank)
{
    public bool OffTopic => Question is null;
}

/// <summary>The figures of one set of outcomes under one set of options.</summary>
/// <param name="Cited5">On-topic questions answered (not silenced) with the answering passage among the cited ones: what a learner gets.</param>
public sealed record EvaluationScore(int OnTopic, int Hit1, int Hit5, double Mrr, int OffTopic, int Refused, int Silenced, int Cited5, IReadOnlyList<string> AnsweredOffTopic)
{
    public double CitedRecall5 => OnTopic == 0 ? 0 : (double)Cited5 / OnTopic;
    public double Recall1 => OnTopic == 0 ? 0 : (double)Hit1 / OnTopic;
    public double Recall5 => OnTopic == 0 ? 0 : (double)Hit5 / OnTopic;
    public double RefusedRate => OffTopic == 0 ? 0 : (double)Refused / OffTopic;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"recall@1 {Recall1:F3} ({Hit1}/{OnTopic}), recall@5 {Recall5:F3} ({Hit5}/{OnTopic}), MRR {Mrr:F3}, off-topic refused {RefusedRate:F3} ({Refused}/{OffTopic}), on-topic silenced {Silenced}/{OnTopic}, answered citing the answer {CitedRecall5:F3} ({Cited5}/{OnTopic})");
}

/// <summary>
/// The tutor evaluation of issue 28, shared by the benchmark (<c>tutor-retrieval</c>, all of it) and the CI test (a fixed
/// subset): the demo course's lessons indexed as the worker indexes them, a lecture transcript, a deck with notes and a
/// lesson text file ingested as uploads are (extracted, <see cref="Chunker"/>, embedded, <see cref="ChunkWriter"/>), and
/// distractor chunks of real reference documentation that ships with packages (Npgsql's and the .NET networking
/// assemblies' XML docs), all in one course. Every question goes through <see cref="AiTutorRetrieval.SearchAsync(Guid, string, RetrievalMode, CancellationToken)"/>
/// with the tutor's follow-up rewriting; answerability is <see cref="AiTutorAnswerability"/>.
/// </summary>
public static partial class TutorEvaluationRunner
{
    public const int K = AiTutorService.Passages;
    public const string DistractorSourcePrefix = "reference:";

    private static readonly ExtractionLimits Limits = new(1000, 100_000, 10_000_000, 200_000_000);

    public static async Task<EvaluationCourse> PrepareAsync(IServiceProvider provider, Func<CoursePlatformDbContext> context, int maxDistractors,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(context);
        Guid courseId;
        await using (var db = context())
        {
            await new DemoSeed().ApplyAsync(db, new DemoSeedOptions { AdminPassword = "evaluation-only-password", TutorPassword = "evaluation-only-password" },
                TimeProvider.System, cancellationToken);
            courseId = await db.Courses.Where(c => c.Slug == DemoSeed.GatedCourseSlug).Select(c => c.Id).SingleAsync(cancellationToken);
        }
        await using (var scope = provider.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<LessonIndexer>().IndexStaleAsync(cancellationToken);

        var files = new List<(string Source, IReadOnlyList<ContentSegment> Segments)>
        {
            ("lecture:" + LectureTranscript.FileName, SubtitleExtractor.Extract(LectureTranscript.Vtt(), SubtitleFormat.WebVtt, Limits)),
            ("deck:" + DatabaseDeck.FileName, PptxExtractor.Extract(new MemoryStream(PptxDeck.Write([.. DatabaseDeck.Slides])), Limits)),
            ("text:" + LessonText.FileName, PlainTextExtractor.Extract(LessonText.Text, Limits)),
        };
        var material = await WriteAsync(provider, courseId, [.. files.Select(f => (f.Source, Chunker.Chunk(f.Segments)))], cancellationToken);

        var docs = new List<string>();
        if (ReferenceDocumentation.FindNpgsqlDocs() is { } npgsql) docs.Add(npgsql);
        if (ReferenceDocumentation.FindDirectory() is { } directory)
            docs.AddRange(Directory.GetFiles(directory, ReferenceDocumentation.FilePattern).Order(StringComparer.Ordinal));
        var distractors = new List<(string Source, IReadOnlyList<ContentChunk> Chunks)>();
        var total = 0;
        foreach (var document in ReferenceDocumentation.Read(docs))
        {
            var chunks = Chunker.Chunk(document.Segments);
            if (total + chunks.Count > maxDistractors) break;
            distractors.Add((DistractorSourcePrefix + document.TypeName, chunks));
            total += chunks.Count;
        }
        await WriteAsync(provider, courseId, distractors, cancellationToken);

        await using (var db = context())
        {
            await db.Database.ExecuteSqlRawAsync("ANALYZE course_chunks", cancellationToken);
            var topics = await db.Topics.Where(t => t.CourseId == courseId).ToDictionaryAsync(t => t.Name, t => t.Id, StringComparer.Ordinal, cancellationToken);
            var lessons = await db.CourseChunks.CountAsync(c => c.CourseId == courseId && c.TopicId != null, cancellationToken);
            return new EvaluationCourse(courseId, topics, lessons + material, total, string.Join(", ", docs.Select(Path.GetFileName)));
        }
    }

    /// <summary>
    /// The course <see cref="PrepareAsync"/> wrote in an earlier run (a kept benchmark database), its lessons re-indexed
    /// where their chunks are missing or stale (delete the <c>lesson:</c> chunks to try another lesson chunking).
    /// </summary>
    public static async Task<EvaluationCourse> LoadAsync(IServiceProvider provider, Func<CoursePlatformDbContext> context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(context);
        await using (var scope = provider.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<LessonIndexer>().IndexStaleAsync(cancellationToken);
        await using var db = context();
        var courseId = await db.Courses.Where(c => c.Slug == DemoSeed.GatedCourseSlug).Select(c => c.Id).SingleAsync(cancellationToken);
        var topics = await db.Topics.Where(t => t.CourseId == courseId).ToDictionaryAsync(t => t.Name, t => t.Id, StringComparer.Ordinal, cancellationToken);
        var chunks = db.CourseChunks.Where(c => c.CourseId == courseId);
        var distractors = await chunks.CountAsync(c => c.Source.StartsWith(DistractorSourcePrefix), cancellationToken);
        return new EvaluationCourse(courseId, topics, await chunks.CountAsync(cancellationToken) - distractors, distractors, "kept from an earlier run");
    }

    /// <summary>Sources embedded with the current model (passages take no query prefix) and written as an ingestion writes them.</summary>
    private static async Task<int> WriteAsync(IServiceProvider provider, Guid courseId, List<(string Source, IReadOnlyList<ContentChunk> Chunks)> sources,
        CancellationToken cancellationToken)
    {
        var models = provider.GetRequiredService<EmbeddingModels>();
        var batch = provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<EmbeddingOptions>>().Value.BatchSize;
        var vectors = new List<Vector>();
        foreach (var texts in sources.SelectMany(s => s.Chunks).Select(c => c.Content).Chunk(batch))
            vectors.AddRange((await models.CurrentGenerator.GenerateAsync(texts, cancellationToken: cancellationToken)).Select(e => new Vector(e.Vector)));
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CoursePlatformDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<ChunkWriter>();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var offset = 0;
        foreach (var (source, chunks) in sources)
        {
            await writer.ReplaceAsync(new ContentPath(courseId, null, source), null, source, chunks, vectors.GetRange(offset, chunks.Count), models.Current, cancellationToken);
            offset += chunks.Count;
        }
        await transaction.CommitAsync(cancellationToken);
        return offset;
    }

    /// <summary>Every question (a follow-up searched as the tutor searches it, with its previous question) and every off-topic one.</summary>
    public static async Task<List<QuestionOutcome>> AskAsync(IServiceProvider provider, EvaluationCourse course, IEnumerable<TutorQuestion> onTopic,
        IEnumerable<string> offTopic, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(course);
        var outcomes = new List<QuestionOutcome>();
        foreach (var question in onTopic)
        {
            var retrieval = await SearchAsync(provider, course.CourseId, AiTutorService.SearchText(question.Previous, question.Text), cancellationToken);
            outcomes.Add(new QuestionOutcome(question, question.Text, retrieval, 0));
        }
        foreach (var question in offTopic)
            outcomes.Add(new QuestionOutcome(null, question, await SearchAsync(provider, course.CourseId, question, cancellationToken), 0));
        return outcomes;
    }

    public static async Task<Retrieval> SearchAsync(IServiceProvider provider, Guid courseId, string text, CancellationToken cancellationToken)
    {
        await using var scope = provider.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AiTutorRetrieval>().SearchAsync(courseId, text, RetrievalMode.Hybrid, cancellationToken);
    }

    /// <summary>Re-fuses each retrieval's candidates with <paramref name="options"/> (no new query) and ranks the answering passage.</summary>
    public static List<QuestionOutcome> Rank(IEnumerable<QuestionOutcome> outcomes, EvaluationCourse course, AiTutorOptions options, RetrievalMode mode = RetrievalMode.Hybrid)
    {
        ArgumentNullException.ThrowIfNull(course);
        return [.. outcomes.Select(o =>
        {
            var fused = AiTutorRetrieval.Fuse(o.Retrieval, options, mode);
            return o with { Retrieval = fused, Rank = o.Question is null ? 0 : RankOf(fused.Top(K), o.Question, course) };
        })];
    }

    private static int RankOf(IReadOnlyList<RetrievedPassage> passages, TutorQuestion question, EvaluationCourse course)
    {
        for (var i = 0; i < passages.Count; i++)
            if (Answers(passages[i], question, course)) return i + 1;
        return 0;
    }

    public static bool Answers(RetrievedPassage passage, TutorQuestion question, EvaluationCourse course)
    {
        ArgumentNullException.ThrowIfNull(passage);
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(course);
        if (question.Topic is { } topic) return passage.TopicId == course.Topics[topic];
        return !passage.Source.StartsWith(DistractorSourcePrefix, StringComparison.Ordinal)
            && Normal(passage.Content).Contains(Normal(question.Evidence!), StringComparison.Ordinal);
    }

    private static string Normal(string text) => Space().Replace(text, " ").Trim().ToLowerInvariant();

    public static EvaluationScore Score(IReadOnlyList<QuestionOutcome> ranked, AiTutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(ranked);
        var on = ranked.Where(o => !o.OffTopic).ToList();
        var off = ranked.Where(o => o.OffTopic).ToList();
        var answeredOff = off.Where(o => AiTutorAnswerability.IsAnswerable(o.Retrieval, options, K)).Select(o => o.Text).ToList();
        return new EvaluationScore(on.Count, on.Count(o => o.Rank == 1), on.Count(o => o.Rank > 0),
            on.Count == 0 ? 0 : on.Sum(o => o.Rank > 0 ? 1.0 / o.Rank : 0) / on.Count,
            off.Count, off.Count - answeredOff.Count, on.Count(o => !AiTutorAnswerability.IsAnswerable(o.Retrieval, options, K)),
            on.Count(o => o.Rank > 0 && AiTutorAnswerability.IsAnswerable(o.Retrieval, options, K)), answeredOff);
    }

    /// <summary>
    /// The answerability thresholds that do best on <paramref name="tuning"/> (already ranked): the most off-topic questions
    /// refused while silencing as few answerable ones as possible (each silenced on-topic question costs as much as an
    /// answered off-topic one). Many settings tie; ties go to the one with the fewest tuning questions within
    /// <see cref="Fragile"/> of a threshold, so the thresholds sit in the gaps between questions rather than at their edge.
    /// </summary>
    public static AiTutorOptions Calibrate(IReadOnlyList<QuestionOutcome> tuning, AiTutorOptions start)
    {
        ArgumentNullException.ThrowIfNull(start);
        var best = start;
        var (bestCost, bestFragile) = (int.MaxValue, int.MaxValue);
        foreach (var coverage in new[] { 0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4 })
        foreach (var unknown in new[] { 0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8 })
        foreach (var evidence in Enumerable.Range(-10, 51).Select(i => i * 0.01))
        foreach (var margin in Enumerable.Range(-10, 14).Select(i => i * 0.005))
        {
            var candidate = Copy(start);
            candidate.CoverageWeight = coverage;
            candidate.UnknownPenalty = unknown;
            candidate.MinEvidence = evidence;
            candidate.MinBackgroundMargin = margin;
            var score = Score(tuning, candidate);
            var cost = (score.OffTopic - score.Refused) + score.Silenced;
            if (cost > bestCost) continue;
            var fragile = tuning.Count(o => Math.Abs(AiTutorAnswerability.Evidence(o.Retrieval, candidate, K) - evidence) < Fragile
                || AiTutorAnswerability.BackgroundMargin(o.Retrieval, K) is { } m && Math.Abs(m - margin) < Fragile);
            if (cost < bestCost || fragile < bestFragile) (best, bestCost, bestFragile) = (candidate, cost, fragile);
        }
        return best;
    }

    /// <summary>A tuning question this close to a threshold is decided by chance (<see cref="Calibrate"/>).</summary>
    private const double Fragile = 0.01;

    public static AiTutorOptions Copy(AiTutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new AiTutorOptions
        {
            PromptsPerWindow = options.PromptsPerWindow, QuotaWindow = options.QuotaWindow, RequestsPerMinute = options.RequestsPerMinute,
            LexicalWeight = options.LexicalWeight,
            MinEvidence = options.MinEvidence, CoverageWeight = options.CoverageWeight, UnknownPenalty = options.UnknownPenalty,
            MinBackgroundMargin = options.MinBackgroundMargin,
        };
    }

    public static string Describe(AiTutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Create(CultureInfo.InvariantCulture,
            $"LexicalWeight {options.LexicalWeight}, MinEvidence {options.MinEvidence:F2}, CoverageWeight {options.CoverageWeight}, UnknownPenalty {options.UnknownPenalty}, MinBackgroundMargin {options.MinBackgroundMargin:F3}");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();
}
