using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion.Extraction;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using Pgvector;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>Replaces one source's chunks with binary COPY, inside the caller's transaction.</summary>
public sealed class ChunkWriter(CoursePlatformDbContext db, TimeProvider time)
{
    /// <summary>
    /// The source's lock for the rest of the caller's transaction: chunk swaps and deletions of one source run one at
    /// a time, so none writes chunks back over another's change.
    /// </summary>
    public static Task LockSourceAsync(CoursePlatformDbContext db, string source, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT pg_advisory_xact_lock(hashtextextended({source}, 0))", cancellationToken);

    private const string Copy =
        "COPY course_chunks (id, course_id, topic_id, source, position, content, metadata, embedding_model, embedding, created_at) " +
        "FROM STDIN (FORMAT BINARY)";

    public async Task ReplaceAsync(ContentPath path, Guid? topicId, string source, IReadOnlyList<ContentChunk> chunks,
        IReadOnlyList<Vector> vectors, string embeddingModel, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(chunks);
        ArgumentNullException.ThrowIfNull(vectors);
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Chunks are replaced inside a transaction.");
        await db.CourseChunks.Where(c => c.CourseId == path.CourseId && c.Source == source).ExecuteDeleteAsync(cancellationToken);

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var now = time.GetUtcNow();
        await using var writer = await connection.BeginBinaryImportAsync(Copy, cancellationToken);
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
            await writer.WriteAsync(embeddingModel, NpgsqlDbType.Varchar, cancellationToken);
            await writer.WriteAsync(vectors[i], cancellationToken);
            await writer.WriteAsync(now, NpgsqlDbType.TimestampTz, cancellationToken);
        }
        await writer.CompleteAsync(cancellationToken);
    }
}

/// <summary>Where a chunk came from, as its metadata records it (each part only where the source has it).</summary>
/// <param name="InstructionLike">The chunk holds text that reads as instructions to a model (<see cref="InstructionText"/>).</param>
public sealed record ChunkLocation(int? Slide, int? SlideEnd, string? Title, string? Start, string? End, string? File, bool InstructionLike = false);

/// <summary>The jsonb metadata of a chunk: where in the file it came from. Written at ingestion, read by search and the tutor.</summary>
public static class ChunkMetadata
{
    public static ChunkLocation Read(string? json)
    {
        if (json is null) return new ChunkLocation(null, null, null, null, null, null);
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new ChunkLocation(Int(root, "slide"), Int(root, "slideEnd"), Str(root, "title"), Str(root, "start"), Str(root, "end"), Str(root, "file"),
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty("instructionLike", out var flag) && flag.ValueKind == JsonValueKind.True);

        static int? Int(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : null;

        static string? Str(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }

    public static string ToJson(ContentChunk chunk, string fileName)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var metadata = new Dictionary<string, object?> { ["file"] = fileName, ["kind"] = chunk.Kind.ToString().ToLowerInvariant() };
        // Flagged at ingestion so the tutor (and an admin reading the chunks) knows the passage carries an injection.
        if (InstructionText.IsInstructionLike(chunk.Content)) metadata["instructionLike"] = true;
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
