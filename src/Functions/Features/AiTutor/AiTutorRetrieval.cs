using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Search;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;

namespace CoursePlatform.Functions.Features.AiTutor;

public enum RetrievalMode { Hybrid, VectorOnly }

/// <summary>A chunk the retrieval found, with how it was found.</summary>
public sealed record RetrievedPassage(
    Guid ChunkId, string Source, Guid? TopicId, string Content, double Similarity, bool TextMatch,
    int? Slide, string? Title, string? Start, string? End, string? File, bool InstructionLike = false);

/// <summary>
/// The tutor's retrieval over one course's chunks: the nearest chunks by cosine similarity (HNSW with
/// pgvector's iterative scan, as search) and the best full-text matches (the generated English tsvector,
/// any word of the question), fused by reciprocal rank (k = 60), so an exact term (a port, an error code,
/// a setting) is found as well as a paraphrase. Only vectors of the configured embedding model are compared.
/// </summary>
public sealed class AiTutorRetrieval(
    CoursePlatformDbContext db, IEmbeddingGenerator<string, Embedding<float>> embeddings, IOptions<EmbeddingOptions> embeddingOptions)
{
    /// <summary>Candidates each list contributes before fusion.</summary>
    public const int Candidates = 30;
    private const int RrfK = 60;

    public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(Guid courseId, string question, int k, RetrievalMode mode,
        CancellationToken cancellationToken)
    {
        var embedding = (await embeddings.GenerateAsync([question], cancellationToken: cancellationToken)).Single();
        return await RetrieveAsync(courseId, question, new Vector(embedding.Vector), k, mode, cancellationToken);
    }

    public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(Guid courseId, string question, Vector vector, int k, RetrievalMode mode,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(vector);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlRawAsync(SearchService.IterativeScan, cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        // The full-text query ORs the question's lexemes (plainto_tsquery ANDs them, which finds too little).
        await using var command = new NpgsqlCommand($$"""
            WITH vec AS MATERIALIZED (
                SELECT id, row_number() OVER (ORDER BY embedding <=> $1, id) AS r
                FROM (SELECT id, embedding FROM course_chunks
                      WHERE course_id = $2 AND embedding_model = $3
                      ORDER BY embedding <=> $1 LIMIT {{Candidates}}) nearest),
            q AS (SELECT replace(plainto_tsquery('english', $4)::text, '&', '|')::tsquery AS query),
            fts AS MATERIALIZED (
                SELECT id, row_number() OVER (ORDER BY rank DESC, id) AS r
                FROM (SELECT c.id, ts_rank_cd(c.content_search, q.query) AS rank
                      FROM course_chunks c, q
                      WHERE $6 AND c.course_id = $2 AND c.embedding_model = $3 AND c.content_search @@ q.query
                      ORDER BY rank DESC, c.id LIMIT {{Candidates}}) matches),
            fused AS (
                SELECT coalesce(v.id, f.id) AS id, f.id IS NOT NULL AS text_match,
                       coalesce(1.0 / ({{RrfK}} + v.r), 0) + coalesce(1.0 / ({{RrfK}} + f.r), 0) AS score
                FROM vec v FULL OUTER JOIN fts f ON f.id = v.id)
            SELECT c.id, c.source, c.topic_id, c.content, 1 - (c.embedding <=> $1) AS similarity, fused.text_match, c.metadata::text
            FROM fused JOIN course_chunks c ON c.id = fused.id
            ORDER BY fused.score DESC, c.source, c.position
            LIMIT $5
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = vector });
        command.Parameters.Add(new NpgsqlParameter { Value = courseId });
        command.Parameters.Add(new NpgsqlParameter { Value = embeddingOptions.Value.ModelName });
        command.Parameters.Add(new NpgsqlParameter { Value = question });
        command.Parameters.Add(new NpgsqlParameter { Value = k });
        command.Parameters.Add(new NpgsqlParameter { Value = mode == RetrievalMode.Hybrid });

        var passages = new List<RetrievedPassage>(k);
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                var at = ChunkMetadata.Read(reader.IsDBNull(6) ? null : reader.GetString(6));
                passages.Add(new RetrievedPassage(reader.GetGuid(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetGuid(2),
                    reader.GetString(3), Math.Round(reader.GetDouble(4), 4), reader.GetBoolean(5), at.Slide, at.Title, at.Start, at.End, at.File, at.InstructionLike));
            }
        }
        await transaction.CommitAsync(cancellationToken);
        return passages;
    }
}
