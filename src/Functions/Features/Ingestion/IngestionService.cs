using System.Diagnostics;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Ingestion.Extraction;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
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
/// Turns one uploaded blob into the course's searchable chunks: claim the version in the log, extract,
/// chunk, embed in batches, then replace the source's chunks (<see cref="ChunkWriter"/>) and mark the claim
/// succeeded in one transaction. A file that cannot be ingested ends <c>failed</c> with its reason and
/// leaves the previous chunks alone; infrastructure trouble is rethrown so the trigger retries, up to
/// <see cref="IngestionOptions.MaxAttempts"/>.
/// </summary>
public sealed class IngestionService(
    CoursePlatformDbContext db,
    IngestionLog log,
    ChunkWriter chunkWriter,
    IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IOptions<IngestionOptions> ingestionOptions,
    IOptions<EmbeddingOptions> embeddingOptions,
    TimeProvider time,
    ILogger<IngestionService> logger)
{
    private readonly IngestionOptions _options = ingestionOptions.Value;
    private readonly EmbeddingOptions _embedding = embeddingOptions.Value;

    /// <param name="blob">The blob in the content container, as the trigger hands it over.</param>
    public async Task<IngestionOutcome> IngestAsync(BlobClient blob, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blob);
        var source = blob.Name;
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["Source"] = source });
        if (!ContentPath.TryParse(source, out var path))
        {
            logger.LogWarning("Ingestion ignored {Source}: not a {{courseId}}/[{{topicId}}/]{{file}} path", source);
            return new IngestionOutcome(IngestionResult.Ignored, "The blob path is not {courseId}/[{topicId}/]{file}.");
        }

        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            logger.LogInformation("Ingestion ignored {Source}: the blob no longer exists", source);
            return new IngestionOutcome(IngestionResult.Ignored, "The blob no longer exists.");
        }
        var etag = properties.ETag.ToString().Trim('"'); // as stored in the log, without the HTTP quotes

        // The log row references the course, so a blob of an unknown (or deleted) course cannot be logged.
        if (!await db.Courses.AnyAsync(c => c.Id == path.CourseId, cancellationToken))
        {
            logger.LogWarning("Ingestion ignored {Source}: course {CourseId} does not exist", source, path.CourseId);
            return new IngestionOutcome(IngestionResult.Ignored, "The course does not exist.");
        }
        var topicInCourse = path.TopicId is { } topicId &&
            await db.Topics.AnyAsync(t => t.Id == topicId && t.CourseId == path.CourseId, cancellationToken);

        await using var claim = await log.ClaimAsync(path.CourseId, topicInCourse ? path.TopicId : null, source, etag, properties.ContentLength, cancellationToken);
        if (claim is null)
        {
            logger.LogInformation("Ingestion skipped {Source} {ETag}: this version is already ingested or in progress", source, etag);
            return new IngestionOutcome(IngestionResult.Skipped, "This version of the file is already ingested or in progress.");
        }
        var row = claim.Row;
        var started = time.GetTimestamp();

        try
        {
            if (path.TopicId is not null && !topicInCourse)
                throw new ContentRejectedException($"Topic {path.TopicId} is not a topic of course {path.CourseId}.");
            var outcome = await IngestClaimedAsync(blob, path, properties, row, started, cancellationToken);
            logger.LogInformation(
                "Ingested {Source} {ETag}: {ChunkCount} chunks with {EmbeddingModel} in {ElapsedMs} ms (extract {ExtractMs} ms, embed {EmbedMs} ms, write {WriteMs} ms)",
                source, etag, outcome.ChunkCount, _embedding.ModelName, (int)time.GetElapsedTime(started).TotalMilliseconds,
                (int)outcome.Extract.TotalMilliseconds, (int)outcome.Embed.TotalMilliseconds, (int)outcome.Write.TotalMilliseconds);
            return outcome;
        }
        catch (ContentRejectedException ex)
        {
            logger.LogWarning("Ingestion failed for {Source} {ETag}: {Reason}", source, etag, ex.Message);
            await log.FailAsync(row.Id, ex.Message, started);
            return new IngestionOutcome(IngestionResult.Failed, ex.Message);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = $"Attempt {row.Attempts} of {_options.MaxAttempts} failed: {ex.GetType().Name}: {IngestionLog.Trim(ex.Message, 300)}";
            if (row.Attempts >= _options.MaxAttempts)
            {
                logger.LogError(ex, "Ingestion of {Source} {ETag} gave up after {Attempts} attempts", source, etag, row.Attempts);
                await log.FailAsync(row.Id, reason, started);
                return new IngestionOutcome(IngestionResult.Failed, reason);
            }
            logger.LogWarning(ex, "Ingestion attempt {Attempt} of {Source} {ETag} failed; the trigger will retry", row.Attempts, source, etag);
            await log.RequeueAsync(row.Id, reason);
            throw;
        }
    }

    private async Task<IngestionOutcome> IngestClaimedAsync(BlobClient blob, ContentPath path,
        BlobProperties properties, ContentIngestion row, long started, CancellationToken cancellationToken)
    {
        if (!ContentExtractors.IsSupported(path.FileName))
            throw new ContentRejectedException(ContentExtractors.UnsupportedMessage(path.FileName));
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
            throw new ContentRejectedException($"The file could not be read ({ex.GetType().Name}: {IngestionLog.Trim(ex.Message, 200)}).", ex);
        }
        var chunks = Chunker.Chunk(segments);
        if (chunks.Count == 0)
            throw new ContentRejectedException("The file contains no text to ingest.");
        var extract = phase.Elapsed;

        phase.Restart();
        var vectors = await EmbedAsync(chunks, cancellationToken);
        var embed = phase.Elapsed;

        phase.Restart();
        var written = await ReplaceChunksAsync(blob, path, properties.ETag, row, chunks, vectors, started, cancellationToken);
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
    /// Replaces the source's chunks and marks the claim succeeded in one transaction. A per-source advisory
    /// lock serialises concurrent versions, and a version that is no longer the blob's current one does not
    /// overwrite a newer one (false).
    /// </summary>
    private async Task<bool> ReplaceChunksAsync(BlobClient blob, ContentPath path, ETag etag, ContentIngestion row,
        IReadOnlyList<ContentChunk> chunks, List<Vector> vectors, long started, CancellationToken cancellationToken)
    {
        var source = blob.Name;
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        await ChunkWriter.LockSourceAsync(db, source, cancellationToken);
        try
        {
            var current = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
            if (current.Value.ETag != etag) return false;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }

        await chunkWriter.ReplaceAsync(path, row.TopicId, source, chunks, vectors, _embedding.ModelName, cancellationToken);
        await log.SucceedAsync(row.Id, chunks.Count, _embedding.ModelName, started, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
