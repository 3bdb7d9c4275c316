using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Search;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace CoursePlatform.Functions.Features.AiTutor;

public enum RetrievalMode { Hybrid, VectorOnly }

/// <summary>A chunk the retrieval found, with how it was found.</summary>
/// <param name="Similarity">Cosine similarity to the question under the chunk's own model.</param>
/// <param name="TextMatch">Whether the chunk is among the lexical candidates (it holds a distinctive word of the question).</param>
public sealed record RetrievedPassage(
    Guid ChunkId, string Source, Guid? TopicId, string Content, double Similarity, bool TextMatch,
    int? Slide, string? Title, string? Start, string? End, string? File, bool InstructionLike = false)
{
    /// <summary>1-based rank among the nearest vectors of its model; null when not among them.</summary>
    public int? VectorRank { get; init; }
    /// <summary>1-based rank among the lexical candidates; null when not among them.</summary>
    public int? TextRank { get; init; }
    /// <summary>The share of the question's words, weighted by their rarity in the course (IDF), that the chunk contains: 0 to 1.</summary>
    public double Coverage { get; init; }
    /// <summary>The fused score the passages are ordered by.</summary>
    public double Score { get; init; }
}

/// <summary>What one retrieval saw: its fused candidates (best first) and the figures answerability is decided from.</summary>
/// <param name="Candidates">Every candidate of either list, fused and ordered; the tutor cites the first k.</param>
/// <param name="MeanSimilarity">The mean similarity of the nearest-vector candidates: how close the course is to the question in general.</param>
/// <param name="UnknownWeight">The IDF-weighted share of the question's words that no chunk of the course contains.</param>
public sealed record Retrieval(IReadOnlyList<RetrievedPassage> Candidates, double MeanSimilarity, double UnknownWeight)
{
    /// <summary>The question's highest similarity to the app's everyday background questions (<see cref="AiTutor.BackgroundSimilarity"/>); null when not measured.</summary>
    public double? BackgroundSimilarity { get; init; }

    public IReadOnlyList<RetrievedPassage> Top(int k) => [.. Candidates.Take(k)];
}

/// <summary>
/// The tutor's retrieval over one course's chunks: the candidates of two lists, ranked together by their cosine similarity
/// plus <see cref="AiTutorOptions.LexicalWeight"/> times the share of the question's IDF-weighted words they hold
/// (<see cref="Fuse"/>):
/// <list type="bullet">
/// <item>the nearest chunks by cosine similarity (HNSW with pgvector's iterative scan, as search), once per embedding
/// model the course's chunks hold, each with the question embedded by that model: vectors of two models are never
/// compared, and a source not yet re-embedded after a model switch stays findable (<see cref="Ingestion.ReembeddingService"/>);</item>
/// <item>lexical candidates: chunks holding any word of the question, ranked by the sum of the IDF (rarity in this course)
/// of the words they hold. ts_rank counts every word alike, so "port" outweighed "443"; by IDF a number, a short
/// protocol name ("SYN") or an error code that few chunks hold decides.</item>
/// </list>
/// Every candidate's similarity is to the question embedded by its own model, whichever list found it.
/// </summary>
public sealed class AiTutorRetrieval(CoursePlatformDbContext db, EmbeddingModels models, BackgroundSimilarity background, IOptions<AiTutorOptions> options)
{
    /// <summary>Candidates each list contributes before fusion.</summary>
    public const int Candidates = 30;

    /// <summary>A word in more than this share of the course's chunks does not select lexical candidates (it still counts in the score).</summary>
    private const double CommonShare = 0.2;

    /// <summary>A word in at most this many chunks always selects (in a small course every word is "common" by share).</summary>
    private const int RareCount = 5;

    public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(Guid courseId, string question, int k, RetrievalMode mode,
        CancellationToken cancellationToken) =>
        (await SearchAsync(courseId, question, mode, cancellationToken)).Top(k);

    /// <summary>
    /// Embeds the question with the current model and retrieves; when the course still holds chunks of an older model
    /// (during a re-embedding, which the retrieval statement reports) or nothing was found, embeds it with those models
    /// too and retrieves again. So a course of one model, nearly every ask, costs one statement, not a model query first.
    /// </summary>
    public async Task<Retrieval> SearchAsync(Guid courseId, string question, RetrievalMode mode, CancellationToken cancellationToken)
    {
        var vectors = new Dictionary<string, Vector>(StringComparer.Ordinal);
        var current = await models.EmbedQueryAsync(models.Current, question, cancellationToken);
        vectors[models.Current] = current!;
        var (found, others) = await SearchCoreAsync(courseId, question, vectors, mode, cancellationToken);
        if (others != false)
        {
            foreach (var model in await OtherModelsAsync(courseId, cancellationToken))
                if (await models.EmbedQueryAsync(model, question, cancellationToken) is { } vector) vectors[model] = vector;
            if (vectors.Count > 1) (found, _) = await SearchCoreAsync(courseId, question, vectors, mode, cancellationToken);
        }
        return found with { BackgroundSimilarity = await background.MaxAsync(models.Current, current!.Memory, cancellationToken) };
    }

    /// <summary>Models other than the current one that chunks of the course still hold (during a re-embedding).</summary>
    private async Task<List<string>> OtherModelsAsync(Guid courseId, CancellationToken cancellationToken) =>
        await db.CourseChunks.Where(c => c.CourseId == courseId && c.EmbeddingModel != models.Current)
            .Select(c => c.EmbeddingModel).Distinct().ToListAsync(cancellationToken);

    /// <summary>Retrieval with the question's vectors given, one per model (the current model's required).</summary>
    public async Task<Retrieval> SearchAsync(Guid courseId, string question, IReadOnlyDictionary<string, Vector> vectors, RetrievalMode mode,
        CancellationToken cancellationToken) =>
        (await SearchCoreAsync(courseId, question, vectors, mode, cancellationToken)).Found;

    /// <summary>
    /// One round trip: the scan settings and the retrieval statement in one batch. <c>Others</c>: whether the course holds
    /// chunks of a model not in <paramref name="vectors"/>; null when no row came back to say.
    /// </summary>
    private async Task<(Retrieval Found, bool? Others)> SearchCoreAsync(Guid courseId, string question, IReadOnlyDictionary<string, Vector> vectors,
        RetrievalMode mode, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vectors);

        var models = vectors.Keys.Order(StringComparer.Ordinal).ToList();
        // One nearest-vector list per model, each ranked on its own; the HNSW scans filter by course and model.
        // Candidates come in the halfvec index's order (only its exact expression lets the planner walk it), ranked by the full vector.
        var vec = string.Join("\nUNION ALL\n", models.Select((_, i) => $$"""
            SELECT id, row_number() OVER (ORDER BY distance, id) AS r FROM (
                SELECT id, embedding <=> ${{i + 4}} AS distance FROM course_chunks
                WHERE course_id = $1 AND embedding_model = ${{i + 4 + models.Count}}
                ORDER BY embedding::halfvec(384) <=> ${{i + 4}}::halfvec(384) LIMIT {{Candidates}}) m{{i}}
            """));
        // A passage's similarity is always to the question embedded by the passage's own model.
        var distance = "CASE c.embedding_model " + string.Join(" ", models.Select((_, i) => $"WHEN ${i + 4 + models.Count} THEN c.embedding <=> ${i + 4}")) + " END";
        // The question's lexemes (English stemming, stop words dropped, numbers and short words kept) with their
        // document frequency in the course, each counted through the GIN index, and BM25's IDF. The lexical candidates
        // are the chunks holding a selective lexeme, weighed by the IDF of every lexeme they hold: one GIN lookup per
        // lexeme (hits), not every word tested against each matching chunk's tsvector (8 ms -> 1.5 ms, 400 matches).
        var command = new NpgsqlBatchCommand($$"""
            WITH n AS (SELECT greatest(count(*), 1)::float8 AS n, coalesce(bool_or(embedding_model <> ALL(${{4 + 2 * models.Count}})), false) AS others
                       FROM course_chunks WHERE course_id = $1),
            t AS MATERIALIZED (
                SELECT l.lexeme, to_tsquery('simple', quote_literal(l.lexeme)) AS q,
                       (SELECT count(*) FROM course_chunks c WHERE c.course_id = $1 AND c.content_search @@ to_tsquery('simple', quote_literal(l.lexeme)))::float8 AS df
                FROM unnest(tsvector_to_array(to_tsvector('english', $2))) AS l(lexeme)),
            w AS MATERIALIZED (SELECT t.lexeme, t.q, t.df, ln(1 + (n.n - t.df + 0.5) / (t.df + 0.5)) AS idf, t.df / n.n AS share FROM t, n),
            vec AS MATERIALIZED ({{vec}}),
            hits AS MATERIALIZED (
                SELECT c.id, w.idf, (w.share <= {{CommonShare.ToString(System.Globalization.CultureInfo.InvariantCulture)}} OR w.df <= {{RareCount}}) AS selects
                FROM w JOIN course_chunks c ON c.content_search @@ w.q
                WHERE $3 AND c.course_id = $1 AND w.df > 0),
            fts AS MATERIALIZED (
                SELECT id, row_number() OVER (ORDER BY weight DESC, id) AS r FROM (
                    SELECT id, sum(idf) AS weight FROM hits GROUP BY id HAVING bool_or(selects)
                    ORDER BY weight DESC, id LIMIT {{Candidates}}) matches),
            ids AS (SELECT id FROM vec UNION SELECT id FROM fts)
            SELECT c.id, c.source, c.topic_id, c.content, c.metadata::text, {{distance}}, v.r, f.r,
                   (SELECT coalesce(sum(w.idf), 0) FROM w WHERE c.content_search @@ w.q) AS covered,
                   (SELECT coalesce(sum(w.idf), 0) FROM w) AS total,
                   (SELECT coalesce(sum(w.idf), 0) FROM w WHERE w.df = 0) AS unknown,
                   (SELECT others FROM n)
            FROM ids JOIN course_chunks c ON c.id = ids.id
            LEFT JOIN vec v ON v.id = ids.id LEFT JOIN fts f ON f.id = ids.id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = courseId });
        command.Parameters.Add(new NpgsqlParameter { Value = question });
        command.Parameters.Add(new NpgsqlParameter { Value = mode == RetrievalMode.Hybrid });
        foreach (var model in models) command.Parameters.Add(new NpgsqlParameter { Value = vectors[model] });
        foreach (var model in models) command.Parameters.Add(new NpgsqlParameter { Value = model });
        command.Parameters.Add(new NpgsqlParameter { Value = models.ToArray() });

        return await db.ReadBatchAsync([new NpgsqlBatchCommand(SearchService.IterativeScan), command], async (reader, ct) =>
        {
            var candidates = new List<RetrievedPassage>();
            var (total, unknown) = (0.0, 0.0);
            bool? others = null;
            var similarities = new List<double>();
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                others = reader.GetBoolean(11);
                var at = ChunkMetadata.Read(reader.IsDBNull(4) ? null : reader.GetString(4));
                int? vectorRank = reader.IsDBNull(6) ? null : (int)reader.GetInt64(6);
                int? textRank = reader.IsDBNull(7) ? null : (int)reader.GetInt64(7);
                var similarity = reader.IsDBNull(5) ? 0 : 1 - reader.GetDouble(5);
                (total, unknown) = (reader.GetDouble(9), reader.GetDouble(10));
                if (vectorRank is not null) similarities.Add(similarity);
                candidates.Add(new RetrievedPassage(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2),
                    reader.GetString(3), Math.Round(similarity, 4), textRank is not null, at.Slide, at.Title, at.Start, at.End, at.File, at.InstructionLike)
                {
                    VectorRank = vectorRank, TextRank = textRank,
                    Coverage = total > 0 ? reader.GetDouble(8) / total : 0,
                });
            }
            return (Fuse(new Retrieval(candidates, similarities.Count > 0 ? similarities.Average() : 0,
                total > 0 ? unknown / total : 0), options.Value, mode), others);
        }, cancellationToken);
    }

    /// <summary>
    /// Ranks the candidates, best first (ties: the more similar): similarity plus <see cref="AiTutorOptions.LexicalWeight"/>
    /// times the passage's share of the question's IDF-weighted words. Weighted reciprocal-rank fusion of the two lists'
    /// ranks found fewer answers on the evaluation's tuning half (78/81 against 80/81 at k = 5): a rank throws away how
    /// much closer the first passage is than the second. Vector-only keeps the nearest-vector candidates, by similarity.
    /// Public so the evaluation can try other weights on the same candidates.
    /// </summary>
    public static Retrieval Fuse(Retrieval retrieval, AiTutorOptions options, RetrievalMode mode)
    {
        ArgumentNullException.ThrowIfNull(retrieval);
        ArgumentNullException.ThrowIfNull(options);
        var scored = retrieval.Candidates
            .Where(p => mode == RetrievalMode.Hybrid || p.VectorRank is not null)
            .Select(p => p with { Score = p.Similarity + (mode == RetrievalMode.Hybrid ? options.LexicalWeight * p.Coverage : 0) })
            .OrderByDescending(p => p.Score).ThenByDescending(p => p.Similarity).ThenBy(p => p.ChunkId).ToList();
        return retrieval with { Candidates = scored };
    }
}
