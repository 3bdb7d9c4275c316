using System.Diagnostics;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace CoursePlatform.Functions.Features.Ingestion;

public enum IngestionResult { Ignored, Skipped, Succeeded, Failed }

/// <summary>What one call did, with timings for the log and the benchmark.</summary>
public sealed record IngestionOutcome(IngestionResult Result, string? Reason = null, int ChunkCount = 0)
{
    public TimeSpan Extract { get; init; }
    public TimeSpan Embed { get; init; }
    public TimeSpan Write { get; init; }
}

/// <summary>
/// Turns one uploaded blob into the course's searchable chunks: log row, extract, chunk, embed in
/// batches, then replace the source's chunks in one transaction with binary COPY. A file that cannot
/// be ingested ends <c>failed</c> with its reason and leaves the previous chunks alone; infrastructure
/// trouble is rethrown so the trigger retries, up to <see cref="IngestionOptions.MaxAttempts"/>.
/// </summary>
public sealed class IngestionService(
    IServiceScopeFactory scopes,
    BlobServiceClient blobs,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IOptions<IngestionOptions> ingestionOptions,
    IOptions<EmbeddingOptions> embeddingOptions,
    TimeProvider time,
    ILogger<IngestionService> logger)
{
    private readonly IngestionOptions _options = ingestionOptions.Value;
    private readonly EmbeddingOptions _embedding = embeddingOptions.Value;

    public async Task<IngestionOutcome> IngestAsync(string blobName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Source"] = blobName });
        if (!ContentPath.TryParse(blobName, out var path))
        {
            logger.LogWarning("Ingestion ignored {Source}: not a {{courseId}}/[{{topicId}}/]{{file}} path", blobName);
            return new IngestionOutcome(IngestionResult.Ignored, "The blob path is not {courseId}/[{topicId}/]{file}.");
        }

        var blob = blobs.GetBlobContainerClient(IngestionOptions.Container).GetBlobClient(blobName);
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            logger.LogInformation("Ingestion ignored {Source}: the blob no longer exists", blobName);
            return new IngestionOutcome(IngestionResult.Ignored, "The blob no longer exists.");
        }
        var etag = properties.ETag.ToString().Trim('"'); // as stored in the log, without the HTTP quotes

        await using var scopeServices = scopes.CreateAsyncScope();
        var db = scopeServices.ServiceProvider.GetRequiredService<CoursePlatformDbContext>();

        // The log row references the course, so a blob of an unknown (or deleted) course cannot be logged.
        if (!await db.Courses.AnyAsync(c => c.Id == path.CourseId, cancellationToken))
        {
            logger.LogWarning("Ingestion ignored {Source}: course {CourseId} does not exist", blobName, path.CourseId);
            return new IngestionOutcome(IngestionResult.Ignored, "The course does not exist.");
        }
        var topicInCourse = path.TopicId is { } topicId &&
            await db.Topics.AnyAsync(t => t.Id == topicId && t.CourseId == path.CourseId, cancellationToken);

        var row = await ClaimAsync(db, path, blobName, etag, properties.ContentLength, topicInCourse, cancellationToken);
        if (row is null)
        {
            logger.LogInformation("Ingestion skipped {Source} {ETag}: this version is already ingested or in progress", blobName, etag);
            return new IngestionOutcome(IngestionResult.Skipped, "This version of the file is already ingested or in progress.");
        }
        var started = time.GetTimestamp();

        try
        {
            if (path.TopicId is not null && !topicInCourse)
                throw new ContentRejectedException($"Topic {path.TopicId} is not a topic of course {path.CourseId}.");
            var outcome = await IngestClaimedAsync(db, blob, path, blobName, properties, row, started, cancellationToken);
            logger.LogInformation(
                "Ingested {Source} {ETag}: {ChunkCount} chunks with {EmbeddingModel} in {ElapsedMs} ms (extract {ExtractMs} ms, embed {EmbedMs} ms, write {WriteMs} ms)",
                blobName, etag, outcome.ChunkCount, _embedding.ModelName, (int)time.GetElapsedTime(started).TotalMilliseconds,
                (int)outcome.Extract.TotalMilliseconds, (int)outcome.Embed.TotalMilliseconds, (int)outcome.Write.TotalMilliseconds);
            return outcome;
        }
        catch (ContentRejectedException ex)
        {
            logger.LogWarning("Ingestion failed for {Source} {ETag}: {Reason}", blobName, etag, ex.Message);
            await FinishFailedAsync(db, row.Id, ex.Message, started);
            return new IngestionOutcome(IngestionResult.Failed, ex.Message);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = $"Attempt {row.Attempts} of {_options.MaxAttempts} failed: {ex.GetType().Name}: {Trim(ex.Message, 300)}";
            if (row.Attempts >= _options.MaxAttempts)
            {
                logger.LogError(ex, "Ingestion of {Source} {ETag} gave up after {Attempts} attempts", blobName, etag, row.Attempts);
                await FinishFailedAsync(db, row.Id, reason, started);
                return new IngestionOutcome(IngestionResult.Failed, reason);
            }
            logger.LogWarning(ex, "Ingestion attempt {Attempt} of {Source} {ETag} failed; the trigger will retry", row.Attempts, blobName, etag);
            await RequeueAsync(db, row.Id, reason);
            throw;
        }
    }

    private async Task<IngestionOutcome> IngestClaimedAsync(CoursePlatformDbContext db, BlobClient blob, ContentPath path, string source,
        BlobProperties properties, ContentIngestion row, long started, CancellationToken cancellationToken)
    {
        if (!ContentExtractors.IsSupported(path.FileName))
            throw new ContentRejectedException(
                $"Unsupported file type '{Path.GetExtension(path.FileName)}'; supported: {string.Join(", ", ContentExtractors.SupportedExtensions.Order(StringComparer.Ordinal))}.");
        if (properties.ContentLength == 0)
            throw new ContentRejectedException("The file is empty.");
        if (properties.ContentLength > _options.MaxFileBytes)
            throw new ContentRejectedException(
                $"The file is {properties.ContentLength:N0} bytes; the configured limit is {_options.MaxFileBytes:N0} bytes (Ingestion:MaxFileBytes).");

        var phase = Stopwatch.StartNew();
        using var content = await DownloadAsync(blob, properties, cancellationToken);
        IReadOnlyList<ContentSegment> segments;
        try
        {
            segments = ContentExtractors.Extract(path.FileName, content, _options.Limits);
        }
        catch (Exception ex) when (ex is not ContentRejectedException and not OperationCanceledException)
        {
            // Whatever a malformed file makes a parser throw is a property of the file, not a reason to retry.
            throw new ContentRejectedException($"The file could not be read ({ex.GetType().Name}: {Trim(ex.Message, 200)}).", ex);
        }
        var chunks = Chunker.Chunk(segments);
        if (chunks.Count == 0)
            throw new ContentRejectedException("The file contains no text to ingest.");
        var extract = phase.Elapsed;

        phase.Restart();
        var vectors = await EmbedAsync(chunks, cancellationToken);
        var embed = phase.Elapsed;

        phase.Restart();
        var written = await ReplaceChunksAsync(db, blob, path, source, properties.ETag, row, chunks, vectors, started, cancellationToken);
        if (!written)
            throw new ContentRejectedException("A newer upload of the same file replaced this version before it was written; the newer one is ingested instead.");
        return new IngestionOutcome(IngestionResult.Succeeded, null, chunks.Count) { Extract = extract, Embed = embed, Write = phase.Elapsed };
    }

    /// <summary>Downloads exactly the logged version (If-Match), never more than the size limit.</summary>
    private async Task<MemoryStream> DownloadAsync(BlobClient blob, BlobProperties properties, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream(checked((int)properties.ContentLength));
        try
        {
            var response = await blob.DownloadStreamingAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } }, cancellationToken);
            await using var stream = response.Value.Content;
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > _options.MaxFileBytes)
                    throw new ContentRejectedException($"The file is larger than the configured limit of {_options.MaxFileBytes:N0} bytes (Ingestion:MaxFileBytes).");
                buffer.Write(chunk, 0, read);
            }
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 412)
        {
            await buffer.DisposeAsync();
            throw new ContentRejectedException("The file was replaced or deleted before it could be read; a newer upload is ingested instead.", ex);
        }
        buffer.Position = 0;
        return buffer;
    }

    private async Task<List<Vector>> EmbedAsync(IReadOnlyList<ContentChunk> chunks, CancellationToken cancellationToken)
    {
        var vectors = new List<Vector>(chunks.Count);
        foreach (var batch in chunks.Chunk(_embedding.BatchSize))
        {
            var generated = await embeddings.GenerateAsync(batch.Select(c => c.Content), cancellationToken: cancellationToken);
            if (generated.Count != batch.Length)
                throw new InvalidOperationException($"The embedding model returned {generated.Count} vectors for {batch.Length} texts.");
            foreach (var embedding in generated)
            {
                if (embedding.Vector.Length != EmbeddingOptions.Dimensions)
                    throw new InvalidOperationException($"The embedding model returned {embedding.Vector.Length} dimensions; the store holds {EmbeddingOptions.Dimensions}.");
                vectors.Add(new Vector(embedding.Vector));
            }
        }
        return vectors;
    }

    /// <summary>
    /// Deletes the source's chunks and COPYs the new ones in one transaction, and marks the log row
    /// succeeded in the same commit. A per-source advisory lock serialises concurrent versions, and a
    /// version that is no longer the blob's current one does not overwrite a newer one.
    /// </summary>
    private async Task<bool> ReplaceChunksAsync(CoursePlatformDbContext db, BlobClient blob, ContentPath path, string source, ETag etag,
        ContentIngestion row, IReadOnlyList<ContentChunk> chunks, List<Vector> vectors, long started, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({source}, 0))", cancellationToken);
        try
        {
            var current = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (current.Value.ETag != etag) return false;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }

        await db.CourseChunks.Where(c => c.CourseId == path.CourseId && c.Source == source).ExecuteDeleteAsync(cancellationToken);

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var now = time.GetUtcNow();
        var topicId = row.TopicId;
        await using (var writer = await connection.BeginBinaryImportAsync(
            "COPY course_chunks (id, course_id, topic_id, source, position, content, metadata, embedding_model, embedding, created_at) " +
            "FROM STDIN (FORMAT BINARY)", cancellationToken))
        {
            for (var i = 0; i < chunks.Count; i++)
            {
                await writer.StartRowAsync(cancellationToken);
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, cancellationToken);
                await writer.WriteAsync(path.CourseId, NpgsqlDbType.Uuid, cancellationToken);
                if (topicId is { } topic) await writer.WriteAsync(topic, NpgsqlDbType.Uuid, cancellationToken);
                else await writer.WriteNullAsync(cancellationToken);
                await writer.WriteAsync(source, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(chunks[i].Position, NpgsqlDbType.Integer, cancellationToken);
                await writer.WriteAsync(chunks[i].Content, NpgsqlDbType.Text, cancellationToken);
                await writer.WriteAsync(ChunkMetadata.ToJson(chunks[i], path.FileName), NpgsqlDbType.Jsonb, cancellationToken);
                await writer.WriteAsync(_embedding.ModelName, NpgsqlDbType.Varchar, cancellationToken);
                await writer.WriteAsync(vectors[i], cancellationToken);
                await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
            }
            await writer.CompleteAsync(cancellationToken);
        }

        await db.ContentIngestions.Where(x => x.Id == row.Id).ExecuteUpdateAsync(set => set
            .SetProperty(x => x.Status, IngestionStatus.Succeeded)
            .SetProperty(x => x.ChunkCount, chunks.Count)
            .SetProperty(x => x.EmbeddingModel, _embedding.ModelName)
            .SetProperty(x => x.Error, (string?)null)
            .SetProperty(x => x.FinishedAt, now)
            .SetProperty(x => x.DurationMs, (int)time.GetElapsedTime(started).TotalMilliseconds), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Logs the version as queued (once per source and ETag) and claims it as running. Returns null
    /// when it is finished already or another worker is on it, so the same ETag is ingested once.
    /// </summary>
    private async Task<ContentIngestion?> ClaimAsync(CoursePlatformDbContext db, ContentPath path, string source, string etag,
        long contentLength, bool topicInCourse, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        Guid? topicId = topicInCourse ? path.TopicId : null;
        await db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO content_ingestions (id, course_id, topic_id, source, etag, status, content_length, attempts, queued_at)
            VALUES ({Guid.CreateVersion7()}, {path.CourseId}, {topicId}, {source}, {etag}, 'queued', {contentLength}, 0, {now})
            ON CONFLICT (source, etag) DO NOTHING
            """, cancellationToken);

        var stale = now.AddMinutes(-_options.StaleRunningMinutes);
        var claimed = await db.ContentIngestions
            .Where(x => x.Source == source && x.ETag == etag &&
                        (x.Status == IngestionStatus.Queued || (x.Status == IngestionStatus.Running && x.StartedAt < stale)))
            .ExecuteUpdateAsync(set => set
                .SetProperty(x => x.Status, IngestionStatus.Running)
                .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                .SetProperty(x => x.StartedAt, now), cancellationToken);
        if (claimed == 0) return null;
        return await db.ContentIngestions.AsNoTracking().SingleAsync(x => x.Source == source && x.ETag == etag, cancellationToken);
    }

    private async Task FinishFailedAsync(CoursePlatformDbContext db, Guid id, string reason, long started)
    {
        try
        {
            await db.ContentIngestions.Where(x => x.Id == id).ExecuteUpdateAsync(set => set
                .SetProperty(x => x.Status, IngestionStatus.Failed)
                .SetProperty(x => x.Error, Trim(reason, 2000))
                .SetProperty(x => x.ChunkCount, (int?)null)
                .SetProperty(x => x.FinishedAt, time.GetUtcNow())
                .SetProperty(x => x.DurationMs, (int)time.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            logger.LogError(ex, "Could not record the failed ingestion {IngestionId}", id);
        }
    }

    private async Task RequeueAsync(CoursePlatformDbContext db, Guid id, string reason)
    {
        try
        {
            await db.ContentIngestions.Where(x => x.Id == id).ExecuteUpdateAsync(set => set
                .SetProperty(x => x.Status, IngestionStatus.Queued)
                .SetProperty(x => x.Error, Trim(reason, 2000)));
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            // The row stays "running" and becomes claimable again once stale.
            logger.LogError(ex, "Could not requeue ingestion {IngestionId}", id);
        }
    }

    private static string Trim(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>The jsonb metadata of a chunk: where in the file it came from.</summary>
public static class ChunkMetadata
{
    public static string ToJson(ContentChunk chunk, string fileName)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var metadata = new Dictionary<string, object?> { ["file"] = fileName, ["kind"] = chunk.Kind.ToString().ToLowerInvariant() };
        if (chunk.SlideFrom is { } from)
        {
            metadata["slide"] = from;
            if (chunk.SlideTo is { } to && to != from) metadata["slideEnd"] = to;
            if (chunk.Title is not null) metadata["title"] = chunk.Title;
        }
        if (chunk.Start is { } start && chunk.End is { } end)
        {
            metadata["start"] = Format(start);
            metadata["end"] = Format(end);
            metadata["startSeconds"] = Math.Round(start.TotalSeconds, 3);
            metadata["endSeconds"] = Math.Round(end.TotalSeconds, 3);
        }
        return JsonSerializer.Serialize(metadata);
    }

    private static string Format(TimeSpan time) =>
        $"{(int)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}.{time.Milliseconds:000}";
}
