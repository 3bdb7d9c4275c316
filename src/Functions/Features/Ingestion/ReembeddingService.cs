using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>
/// After the embedding model is switched (<c>Embeddings__Provider</c>), re-embeds the chunks that hold another model's
/// vectors, one source (a course's file or lesson) at a time: its chunks' texts are embedded with the current model and
/// their vectors and model written in one transaction, so a source is searched with its old vectors (and a question
/// embedded by the old model: see AiTutorRetrieval) until the moment all its new ones are in. The work left is the data
/// itself (chunks whose model is not the current one), so a restart resumes where the last run stopped, and a source
/// replaced by a new upload meanwhile is simply left to that upload. Progress goes to the log and to the ingestion log
/// (the model recorded on the source's entries).
/// </summary>
public sealed class ReembeddingService(
    CoursePlatformDbContext db, EmbeddingModels models, IOptions<EmbeddingOptions> options, ILogger<ReembeddingService> logger)
{
    /// <summary>Re-embeds every stale source, or at most <paramref name="maxSources"/>; returns how many were re-embedded.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken, int maxSources = int.MaxValue)
    {
        var current = models.Current;
        var stale = await db.CourseChunks.AsNoTracking().Where(c => c.EmbeddingModel != current)
            .Select(c => new { c.CourseId, c.Source }).Distinct()
            .OrderBy(s => s.CourseId).ThenBy(s => s.Source).ToListAsync(cancellationToken);
        if (stale.Count == 0) return 0;
        logger.LogInformation("Re-embedding {Sources} sources with {Model}", stale.Count, current);
        var done = 0;
        foreach (var source in stale.Take(maxSources))
        {
            var chunks = await ReembedSourceAsync(source.CourseId, source.Source, cancellationToken);
            done++;
            logger.LogInformation("Re-embedded {Source} of course {CourseId} ({Chunks} chunks): {Done} of {Total} sources with {Model}",
                source.Source, source.CourseId, chunks, done, stale.Count, current);
        }
        return done;
    }

    /// <summary>One source: embed its stale chunks, then swap all their vectors in one transaction.</summary>
    public async Task<int> ReembedSourceAsync(Guid courseId, string source, CancellationToken cancellationToken)
    {
        var current = models.Current;
        var chunks = await db.CourseChunks.AsNoTracking()
            .Where(c => c.CourseId == courseId && c.Source == source && c.EmbeddingModel != current)
            .OrderBy(c => c.Position).Select(c => new { c.Id, c.Content }).ToListAsync(cancellationToken);
        if (chunks.Count == 0) return 0;
        var vectors = new List<Vector>(chunks.Count);
        foreach (var batch in chunks.Chunk(options.Value.BatchSize))
            vectors.AddRange((await models.CurrentGenerator.GenerateAsync(batch.Select(c => c.Content), cancellationToken: cancellationToken))
                .Select(e => new Vector(e.Vector)));

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        // Only rows still holding another model: a chunk rewritten by a new upload meanwhile has a new id and is not touched.
        await using (var command = new NpgsqlCommand("""
            UPDATE course_chunks c SET embedding = v.embedding, embedding_model = $3
            FROM unnest($1::uuid[], $2::vector[]) AS v(id, embedding)
            WHERE c.id = v.id AND c.embedding_model <> $3
            """, connection))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = chunks.Select(c => c.Id).ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = vectors.ToArray() });
            command.Parameters.Add(new NpgsqlParameter { Value = current });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await db.ContentIngestions.Where(x => x.CourseId == courseId && x.Source == source && x.Status == IngestionStatus.Succeeded)
            .ExecuteUpdateAsync(set => set.SetProperty(x => x.EmbeddingModel, current), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return chunks.Count;
    }
}

/// <summary>At worker start-up, re-embeds in the background whatever an earlier model embedded; a failure is logged and resumed at the next start.</summary>
public sealed class ReembeddingSweep(IServiceScopeFactory scopes, ILogger<ReembeddingSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ReembeddingService>().RunAsync(stoppingToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Re-embedding chunks with the current model failed; it resumes at the next start");
        }
    }
}
