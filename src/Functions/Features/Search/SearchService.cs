using System.Globalization;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;

namespace CoursePlatform.Functions.Features.Search;

/// <summary>
/// A matching chunk. <c>Source</c> is the source's one name (the path inside the course as the upload ticket and the
/// sources list give it, or <c>lesson:{topicId}</c>); <c>SourceName</c> what to show for it (the file name, or the topic's name).
/// </summary>
public sealed record SearchHit(
    Guid Id, string Source, string SourceName, Guid? TopicId, int Position, string Content, double Score,
    int? Slide, int? SlideEnd, string? Title, string? Start, string? End);

public sealed record SearchResults(string Query, string EmbeddingModel, IReadOnlyList<SearchHit> Items);

/// <summary>
/// Top-k chunks of one course by cosine similarity to the question, among vectors of the configured
/// embedding model only. A course of up to <see cref="ExactSearchMaxChunks"/> chunks is searched exactly
/// (its rows through the course_id index, every distance computed): recall 1.0 and, at that size, less
/// database CPU than walking the shared HNSW index past other courses' chunks (issue 26's figures in
/// tools/Benchmarks/README.md). A larger course walks the HNSW index (built on the vectors' halfvec cast) with
/// the course filter inside the scan (pgvector 0.8's iterative scans), so it still gets its k nearest chunks (a
/// plain filtered HNSW query would stop after ef_search candidates and return too few).
/// </summary>
public sealed class SearchService(
    CoursePlatformDbContext db,
    CourseResolver courses,
    CourseAccess access,
    EmbeddingModels models,
    SearchThrottle throttle,
    IOptions<EmbeddingOptions> embeddingOptions)
{
    public const int MaxQueryLength = 500;
    public const int DefaultK = 5;
    public const int MaxK = 20;

    /// <summary>
    /// Largest course searched exactly. Measured on this 2-core machine: 2,000 chunks of one course among 100,000 take
    /// 10-20 ms exactly against about 45 ms through HNSW (which the planner picked at that share); 1,000 among 1,000,000
    /// take 8 ms exactly (recall 1.0) against 6 ms through HNSW (recall 0.88). Exact cost grows with the course.
    /// </summary>
    public const int ExactSearchMaxChunks = 10_000;

    /// <summary>
    /// For the HNSW scans of a transaction that filter by course: keep scanning until enough rows pass (pgvector 0.8).
    /// A query, so it can be the first command of a batch: a batch is one implicit transaction, in which <c>SET LOCAL</c>
    /// has no effect but a local <c>set_config</c> lasts until its end, so no BEGIN/COMMIT round trips.
    /// </summary>
    public const string IterativeScan = "SELECT set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.ef_search', '100', true)";

    /// <summary>
    /// The statement of <see cref="NearestAsync"/> (public so tests and tools can EXPLAIN it): $1 the query vector, $2 the
    /// course, $3 the model, $4 k, $5 <see cref="ExactSearchMaxChunks"/>. The size check counts at most $5 + 1 chunks (a
    /// large course is not counted whole on every search), and each row says whether the course holds chunks of another
    /// model (two probes of the (course_id, embedding_model) index, on either side of $3).
    /// </summary>
    /// <remarks>
    /// One statement, two branches, one of which runs (a one-time filter on the course's size): "+ 0" makes the exact
    /// branch's order an expression no index can serve. The walked branch orders by exactly the expression of the halfvec
    /// HNSW index (<see cref="CoursePlatform.Data.Model.CourseChunkConfiguration.EmbeddingIndex"/>), or the planner cannot walk it; both
    /// report the full vector's distance, which the outer query sorts by.
    /// </remarks>
    public const string NearestSql = """
        WITH size AS MATERIALIZED (
            SELECT (SELECT count(*) FROM (SELECT FROM course_chunks WHERE course_id = $2 LIMIT $5 + 1) upto) AS chunks,
                   EXISTS (SELECT FROM course_chunks WHERE course_id = $2 AND embedding_model < $3)
                   OR EXISTS (SELECT FROM course_chunks WHERE course_id = $2 AND embedding_model > $3) AS others),
        exact AS MATERIALIZED (
            SELECT id, source, topic_id, position, content, metadata::text AS metadata, embedding <=> $1 AS distance
            FROM course_chunks
            WHERE course_id = $2 AND embedding_model = $3 AND (SELECT chunks FROM size) <= $5
            ORDER BY (embedding <=> $1) + 0
            LIMIT $4),
        walked AS MATERIALIZED (
            SELECT id, source, topic_id, position, content, metadata::text AS metadata, embedding <=> $1 AS distance
            FROM course_chunks
            WHERE course_id = $2 AND embedding_model = $3 AND (SELECT chunks FROM size) > $5
            ORDER BY embedding::halfvec(384) <=> $1::halfvec(384)
            LIMIT $4)
        SELECT id, source, topic_id, position, content, metadata, distance, (SELECT others FROM size)
        FROM (SELECT * FROM exact UNION ALL SELECT * FROM walked) nearest ORDER BY distance, id
        """;

    /// <summary>Search for a member of the course (enrolled, its tutors, admins); an unpublished course is staff-only.</summary>
    public async Task<SearchResults> SearchAsync(Caller caller, string courseKey, string? query, string? k, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        await access.RequireMemberAsync(caller, course.Id, course.IsPublished, "course", cancellationToken);
        var (text, limit) = Validate(query, k);
        throttle.Require(caller.UserId); // after validation: a refused request costs no search
        return await SearchCoreAsync(course.Id, text, limit, cancellationToken);
    }

    public Task<SearchResults> SearchAsync(Guid courseId, string? query, string? k, CancellationToken cancellationToken)
    {
        var (text, limit) = Validate(query, k);
        return SearchCoreAsync(courseId, text, limit, cancellationToken);
    }

    private async Task<SearchResults> SearchCoreAsync(Guid courseId, string text, int limit, CancellationToken cancellationToken)
    {
        var (found, others) = await NearestCoreAsync(courseId, (await models.EmbedQueryAsync(models.Current, text, cancellationToken))!, limit, null, cancellationToken);
        var hits = found.ToList();
        // During a re-embedding after a model switch, sources still holding an older model's vectors are searched with the
        // question embedded by that model, and its hits are interleaved by rank: scores of two models are never compared.
        // The search says whether there are any (nearly always not); when it found nothing, it could not say.
        var older = others == false ? [] : await db.CourseChunks.Where(c => c.CourseId == courseId && c.EmbeddingModel != models.Current)
            .Select(c => c.EmbeddingModel).Distinct().ToListAsync(cancellationToken);
        foreach (var model in older)
        {
            if (await models.EmbedQueryAsync(model, text, cancellationToken) is not { } vector) continue;
            var theirs = await NearestAsync(courseId, vector, limit, cancellationToken, model);
            hits = [.. hits.Select((h, i) => (h, i)).Concat(theirs.Select((h, i) => (h, i))).OrderBy(x => x.i).Select(x => x.h).Take(limit)];
        }
        return new SearchResults(text, embeddingOptions.Value.ModelName, hits);
    }

    /// <summary>The k nearest chunks of the course among vectors of <paramref name="model"/> (default: the current model).</summary>
    public async Task<IReadOnlyList<SearchHit>> NearestAsync(Guid courseId, Vector query, int k, CancellationToken cancellationToken, string? model = null) =>
        (await NearestCoreAsync(courseId, query, k, model, cancellationToken)).Hits;

    /// <summary>
    /// One round trip: the scan settings and <see cref="NearestSql"/> in one batch (the settings end with its implicit
    /// transaction, so pooled connections are not affected). relaxed_order keeps scanning the graph until k rows pass the
    /// filter; the outer ORDER BY restores exact order among them. <c>Others</c>: whether the course holds chunks of
    /// another model; null when no row came back to say.
    /// </summary>
    private async Task<(IReadOnlyList<SearchHit> Hits, bool? Others)> NearestCoreAsync(Guid courseId, Vector query, int k, string? model,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var command = new NpgsqlBatchCommand(NearestSql)
        {
            Parameters =
            {
                new() { Value = query }, new() { Value = courseId }, new() { Value = model ?? embeddingOptions.Value.ModelName },
                new() { Value = k }, new() { Value = ExactSearchMaxChunks },
            },
        };
        return await db.ReadBatchAsync([new NpgsqlBatchCommand(IterativeScan), command], async (reader, ct) =>
        {
            var hits = new List<SearchHit>(k);
            bool? others = null;
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var at = ChunkMetadata.Read(reader.IsDBNull(5) ? null : reader.GetString(5));
                var source = reader.GetString(1);
                hits.Add(new SearchHit(
                    reader.GetGuid(0), SourceNames.Public(source), SourceNames.Display(source, at.File), reader.IsDBNull(2) ? null : reader.GetGuid(2), reader.GetInt32(3),
                    reader.GetString(4), Math.Round(1 - reader.GetDouble(6), 4), at.Slide, at.SlideEnd, at.Title, at.Start, at.End));
                others = reader.GetBoolean(7);
            }
            return ((IReadOnlyList<SearchHit>)hits, others);
        }, cancellationToken);
    }

    private static (string Query, int K) Validate(string? query, string? k)
    {
        var errors = new Dictionary<string, string[]>();
        var text = (query ?? "").Trim();
        if (text.Length == 0) errors["q"] = ["Give a question or search text."];
        else if (text.Length > MaxQueryLength) errors["q"] = [$"At most {MaxQueryLength} characters."];
        var limit = DefaultK;
        if (!string.IsNullOrWhiteSpace(k) &&
            (!int.TryParse(k, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxK))
            errors["k"] = [$"Must be a whole number from 1 to {MaxK}."];
        return errors.Count > 0 ? throw ProblemException.Validation(errors) : (text, limit);
    }
}
