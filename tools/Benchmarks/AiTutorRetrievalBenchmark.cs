using System.Diagnostics;
using System.Globalization;
using CoursePlatform.Benchmarks.TutorEvaluation;
using CoursePlatform.Functions.Features.AiTutor;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// Issue 28's tutor evaluation in full (<see cref="TutorQuestions"/>, <see cref="TutorEvaluationRunner"/>), once per embedding
/// model, each in a throw-away database through the app's own container:
/// 1. the course: demo lessons, a lecture transcript, a deck with notes, a lesson text file and up to
///    <see cref="MaxDistractorChunks"/> distractor chunks of packaged reference documentation;
/// 2. every question retrieved once; the ranking weight and answerability thresholds are then chosen on the tuning half only
///    (by re-ranking the same candidates) and reported for both halves, next to the configured ones;
/// 3. latency: the embedding call alone against the whole retrieval with answerability (what a typed ask adds to it).
/// </summary>
public static class AiTutorRetrievalBenchmark
{
    public const int MaxDistractorChunks = 1200;
    private const int LatencyQuestions = 60;

    private static readonly double[] LexicalWeights = [0.0, 0.1, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.8, 1.0];

    public static async Task RunAsync(IReadOnlyList<string> models)
    {
        foreach (var model in models.Count > 0 ? models : ["MiniLM", "ArcticXs"])
            await RunModelAsync(model);
    }

    private static async Task RunModelAsync(string provider)
    {
        // TUTOR_EVAL_KEEP=1 keeps the prepared course in cp_bench_tutor_<model> and reuses it on the next run (drop that
        // database after changing what is indexed: chunking, the materials, the distractors).
        var keep = Environment.GetEnvironmentVariable("TUTOR_EVAL_KEEP") is "1";
        await using var database = keep
            ? await BenchmarkDatabase.OpenOrCreateAsync($"cp_bench_tutor_{provider.ToLowerInvariant()}")
            : await BenchmarkDatabase.CreateAsync();
        await using var app = database.CreateApp(new Dictionary<string, string?> { ["Embeddings:Provider"] = provider });
        var modelName = app.GetRequiredService<IOptions<EmbeddingOptions>>().Value.ModelName;

        var started = Stopwatch.GetTimestamp();
        var course = database.Existed
            ? await TutorEvaluationRunner.LoadAsync(app, database.CreateContext)
            : await TutorEvaluationRunner.PrepareAsync(app, database.CreateContext, MaxDistractorChunks);
        var prepare = Stopwatch.GetElapsedTime(started);
        var outcomes = await TutorEvaluationRunner.AskAsync(app, course, TutorQuestions.OnTopic, TutorQuestions.OffTopic);

        var configured = app.GetRequiredService<IOptions<AiTutorOptions>>().Value;
        var tuning = outcomes.Where(o => !(o.Question is { } q ? TutorQuestions.HeldOut(q) : TutorQuestions.HeldOut(o.Text))).ToList();
        var heldOut = outcomes.Except(tuning).ToList();

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"tutor-retrieval, embeddings {modelName}: {course.MaterialChunks} material chunks + {course.DistractorChunks} distractor chunks ({course.DistractorFiles}), prepared in {prepare.TotalSeconds:F0} s; k={TutorEvaluationRunner.K}"));
        Console.WriteLine($"  questions: tuning {tuning.Count(o => !o.OffTopic)} on-topic + {tuning.Count(o => o.OffTopic)} off-topic, held-out {heldOut.Count(o => !o.OffTopic)} + {heldOut.Count(o => o.OffTopic)}");

        // Ranking: the tuning half picks the lexical weight (recall@5, then MRR).
        var fusion = TutorEvaluationRunner.Copy(configured);
        var bestFusion = (-1.0, -1.0);
        foreach (var weight in LexicalWeights)
        {
            var candidate = TutorEvaluationRunner.Copy(configured);
            candidate.LexicalWeight = weight;
            var score = TutorEvaluationRunner.Score(TutorEvaluationRunner.Rank(tuning, course, candidate), candidate);
            if ((score.Recall5, score.Mrr).CompareTo(bestFusion) > 0) (fusion, bestFusion) = (candidate, (score.Recall5, score.Mrr));
        }
        var calibrated = TutorEvaluationRunner.Calibrate(TutorEvaluationRunner.Rank(tuning, course, fusion), fusion);

        foreach (var (label, options, mode) in new[]
        {
            ("vector-only, configured answerability", configured, RetrievalMode.VectorOnly),
            ("hybrid, configured", configured, RetrievalMode.Hybrid),
            ("hybrid, calibrated on tuning", calibrated, RetrievalMode.Hybrid),
        })
        {
            Console.WriteLine($"  {label}: {TutorEvaluationRunner.Describe(options)}");
            foreach (var (half, set) in new[] { ("tuning  ", tuning), ("held-out", heldOut) })
                Console.WriteLine($"    {half} {TutorEvaluationRunner.Score(TutorEvaluationRunner.Rank(set, course, options, mode), options)}");
        }

        var ranked = TutorEvaluationRunner.Rank(heldOut, course, calibrated);
        Console.WriteLine("  held-out recall@5 by material and kind (calibrated):");
        foreach (var group in ranked.Where(o => !o.OffTopic).GroupBy(o => $"{o.Question!.Material}/{o.Question.Kind}").OrderBy(g => g.Key, StringComparer.Ordinal))
            Console.WriteLine($"    {group.Key,-24} {group.Count(o => o.Rank > 0)}/{group.Count()}");
        var score5 = TutorEvaluationRunner.Score(ranked, calibrated);
        Console.WriteLine($"  held-out answered off-topic ({score5.AnsweredOffTopic.Count}): {string.Join(" | ", score5.AnsweredOffTopic)}");
        var all = TutorEvaluationRunner.Rank(outcomes, course, calibrated);
        Console.WriteLine($"  tuning answered off-topic: {string.Join(" | ", TutorEvaluationRunner.Score(all.Where(o => tuning.Any(t => t.Text == o.Text)).ToList(), calibrated).AnsweredOffTopic)}");
        Console.WriteLine("  misses (both halves; H = held-out), first 3 passages:");
        foreach (var miss in all.Where(o => !o.OffTopic && o.Rank == 0))
        {
            Console.WriteLine($"    {(TutorQuestions.HeldOut(miss.Question!) ? "H" : " ")} [{miss.Question!.Material}/{miss.Question.Kind}] {miss.Text}");
            foreach (var p in miss.Retrieval.Top(3))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"        {p.Source[..Math.Min(40, p.Source.Length)],-40} sim {p.Similarity:F2} v{p.VectorRank} t{p.TextRank} cov {p.Coverage:F2} {Preview(p.Content)}"));
        }
        Console.WriteLine("  answered off-topic (both halves; H = held-out), evidence and first 3 passages:");
        foreach (var o in all.Where(o => o.OffTopic && AiTutorAnswerability.IsAnswerable(o.Retrieval, calibrated, TutorEvaluationRunner.K)))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {(TutorQuestions.HeldOut(o.Text) ? "H" : " ")} {o.Text} (evidence {AiTutorAnswerability.Evidence(o.Retrieval, calibrated, TutorEvaluationRunner.K):F3}, mean {o.Retrieval.MeanSimilarity:F2}, unknown {o.Retrieval.UnknownWeight:F2})"));
            foreach (var p in o.Retrieval.Top(3))
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"        {p.Source[..Math.Min(40, p.Source.Length)],-40} sim {p.Similarity:F2} v{p.VectorRank} t{p.TextRank} cov {p.Coverage:F2} {Preview(p.Content)}"));
        }
        Console.WriteLine("  silenced on-topic (calibrated):");
        foreach (var o in all.Where(o => !o.OffTopic && !AiTutorAnswerability.IsAnswerable(o.Retrieval, calibrated, TutorEvaluationRunner.K)))
            Console.WriteLine($"    {(TutorQuestions.HeldOut(o.Question!) ? "H" : " ")} {o.Text}");

        if (Environment.GetEnvironmentVariable("TUTOR_EVAL_CSV") is { Length: > 0 } csv)
        {
            WriteFeatures($"{csv}.{provider}.csv", all);
            WriteCandidates($"{csv}.{provider}.jsonl", all, course);
        }
        await MeasureLatencyAsync(app, course, calibrated);
        Console.WriteLine();
    }

    /// <summary>The figures answerability can use, one row per question, for exploring rules outside the benchmark.</summary>
    private static void WriteFeatures(string path, List<QuestionOutcome> outcomes)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("heldout,offtopic,material,kind,rank,sim1,simmax,mean,unknown,cov1,covmax,v1,t1,agree,bg,text");
        foreach (var o in outcomes)
        {
            var top = o.Retrieval.Top(TutorEvaluationRunner.K);
            var first = top.Count > 0 ? top[0] : null;
            var held = o.Question is { } q ? TutorQuestions.HeldOut(q) : TutorQuestions.HeldOut(o.Text);
            var agree = top.Any(p => p.VectorRank <= 3 && p.TextRank <= 3) ? top.Where(p => p.VectorRank <= 3 && p.TextRank <= 3).Max(p => p.Coverage) : 0;
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(held ? 1 : 0)},{(o.OffTopic ? 1 : 0)},{o.Question?.Material},{o.Question?.Kind},{o.Rank},{first?.Similarity ?? 0:F4},{(top.Count > 0 ? top.Max(p => p.Similarity) : 0):F4},{o.Retrieval.MeanSimilarity:F4},{o.Retrieval.UnknownWeight:F4},{first?.Coverage ?? 0:F4},{(top.Count > 0 ? top.Max(p => p.Coverage) : 0):F4},{first?.VectorRank ?? 0},{first?.TextRank ?? 0},{agree:F4},{o.Retrieval.BackgroundSimilarity ?? 0:F4},\"{o.Text.Replace("\"", "'", StringComparison.Ordinal)}\""));
        }
    }

    /// <summary>Every question's candidates with their signals and whether each answers it, one JSON line per question, for trying fusions outside the benchmark.</summary>
    private static void WriteCandidates(string path, List<QuestionOutcome> outcomes, EvaluationCourse course)
    {
        using var writer = new StreamWriter(path);
        foreach (var o in outcomes)
            writer.WriteLine(System.Text.Json.JsonSerializer.Serialize(new
            {
                heldOut = o.Question is { } q ? TutorQuestions.HeldOut(q) : TutorQuestions.HeldOut(o.Text),
                offTopic = o.OffTopic, text = o.Text, kind = o.Question?.Kind.ToString(), material = o.Question?.Material.ToString(),
                mean = o.Retrieval.MeanSimilarity, unknown = o.Retrieval.UnknownWeight, background = o.Retrieval.BackgroundSimilarity,
                candidates = o.Retrieval.Candidates.Select(p => new
                {
                    source = p.Source, sim = p.Similarity, vr = p.VectorRank, tr = p.TextRank, cov = p.Coverage,
                    answers = o.Question is not null && TutorEvaluationRunner.Answers(p, o.Question, course), len = p.Content.Length,
                }),
            }));
    }

    private static string Preview(string text) => text.ReplaceLineEndings(" ")[..Math.Min(70, text.Length)];

    /// <summary>The embedding call alone against a whole retrieval with the answerability decision, per question (p50, p95).</summary>
    private static async Task MeasureLatencyAsync(ServiceProvider app, EvaluationCourse course, AiTutorOptions options)
    {
        var models = app.GetRequiredService<EmbeddingModels>();
        var questions = TutorQuestions.OnTopic.Select(q => q.Text).Concat(TutorQuestions.OffTopic).Take(LatencyQuestions).ToList();
        foreach (var q in questions.Take(5)) await TutorEvaluationRunner.SearchAsync(app, course.CourseId, q, default);
        var embed = new List<double>();
        var ask = new List<double>();
        foreach (var question in questions)
        {
            // Both sides pay the embedding: the generator is called directly (no query-vector cache), and the retrieval
            // gets the question with its first letter's case flipped, a text the evaluation never asked (the model is uncased).
            var started = Stopwatch.GetTimestamp();
            await models.CurrentGenerator.GenerateAsync([EmbeddingModels.QueryText(models.Current, question)], cancellationToken: default);
            embed.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            var unseen = (char.IsUpper(question[0]) ? char.ToLowerInvariant(question[0]) : char.ToUpperInvariant(question[0])) + question[1..];
            started = Stopwatch.GetTimestamp();
            var retrieval = await TutorEvaluationRunner.SearchAsync(app, course.CourseId, unseen, default);
            AiTutorAnswerability.IsAnswerable(retrieval, options, TutorEvaluationRunner.K);
            ask.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var (e50, e95) = Timing.Percentiles([.. embed]);
        var (a50, a95) = Timing.Percentiles([.. ask]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  latency ({questions.Count} questions): embedding p50 {e50:F1} ms p95 {e95:F1} ms; " +
            $"retrieval + answerability end to end p50 {a50:F1} ms p95 {a95:F1} ms " +
            $"({a50 / e50:F2}x the embedding at p50)"));
    }
}
