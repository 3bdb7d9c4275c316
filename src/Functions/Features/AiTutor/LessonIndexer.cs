using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Ingestion.Extraction;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pgvector;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// The course's lessons are course material too: each topic's text (its layout's text blocks, the default
/// text assets they name, or legacy plain text) is chunked, embedded and stored as the source
/// <c>lesson:{topicId}</c>, replacing the previous version in one transaction, so the tutor answers from the
/// lessons with no upload. <see cref="IndexStaleAsync"/> finds topics changed since they were indexed
/// (or indexed with another embedding model); the worker runs it at start-up, and a topic edit calls
/// <see cref="IndexTopicAsync"/>.
/// </summary>
public sealed partial class LessonIndexer(
    CoursePlatformDbContext db, ChunkWriter writer, IEmbeddingGenerator<string, Embedding<float>> embeddings,
    IOptions<EmbeddingOptions> embeddingOptions, TimeProvider time, ILogger<LessonIndexer> logger)
{
    public static string SourceOf(Guid topicId) => $"lesson:{topicId}";

    /// <summary>Indexes every topic whose text changed after its lesson chunks were written; returns how many.</summary>
    public async Task<int> IndexStaleAsync(CancellationToken cancellationToken)
    {
        // A deleted topic's lesson chunks lost their topic (SET NULL): they are no course material any more.
        await db.CourseChunks.Where(c => c.TopicId == null && c.Source.StartsWith("lesson:")).ExecuteDeleteAsync(cancellationToken);
        var model = embeddingOptions.Value.ModelName;
        var stale = await db.Topics.AsNoTracking()
            .Select(t => new
            {
                t.Id,
                Changed = db.TopicContentAssets.Where(a => a.TopicId == t.Id).Max(a => (DateTimeOffset?)a.UpdatedAt) > t.UpdatedAt
                    ? db.TopicContentAssets.Where(a => a.TopicId == t.Id).Max(a => (DateTimeOffset?)a.UpdatedAt) : t.UpdatedAt,
                Indexed = db.CourseChunks.Where(c => c.TopicId == t.Id && c.Source == "lesson:" + t.Id.ToString() && c.EmbeddingModel == model)
                    .Max(c => (DateTimeOffset?)c.CreatedAt),
                OtherModel = db.CourseChunks.Any(c => c.TopicId == t.Id && c.Source == "lesson:" + t.Id.ToString() && c.EmbeddingModel != model),
            })
            .Where(t => t.Indexed == null || t.Indexed < t.Changed || t.OtherModel)
            .Select(t => t.Id)
            .ToListAsync(cancellationToken);
        foreach (var topicId in stale) await IndexTopicAsync(topicId, cancellationToken);
        if (stale.Count > 0) logger.LogInformation("Indexed the lesson text of {Topics} topics for the tutor", stale.Count);
        return stale.Count;
    }

    /// <summary>
    /// (Re)writes the lesson chunks of one topic; a topic without text keeps none. Returns the chunk count. An edit
    /// that lands while the text is being embedded is indexed by another pass, so the index never keeps an old text
    /// stamped newer than the edit.
    /// </summary>
    public async Task<int> IndexTopicAsync(Guid topicId, CancellationToken cancellationToken)
    {
        const int Passes = 3;
        var count = 0;
        for (var pass = 0; pass < Passes; pass++)
        {
            var readAt = time.GetUtcNow();
            count = await IndexOnceAsync(topicId, cancellationToken);
            var changedSince = await db.Topics.AnyAsync(t => t.Id == topicId && t.UpdatedAt > readAt, cancellationToken)
                || await db.TopicContentAssets.AnyAsync(a => a.TopicId == topicId && a.UpdatedAt > readAt, cancellationToken);
            if (!changedSince) break;
        }
        return count;
    }

    private async Task<int> IndexOnceAsync(Guid topicId, CancellationToken cancellationToken)
    {
        var topic = await db.Topics.AsNoTracking().Where(t => t.Id == topicId)
            .Select(t => new { t.Id, t.CourseId, t.Name, t.TextContent })
            .SingleOrDefaultAsync(cancellationToken);
        if (topic is null)
        {
            // A deleted topic's lesson is no course material any more.
            var gone = SourceOf(topicId);
            await db.CourseChunks.Where(c => c.Source == gone).ExecuteDeleteAsync(cancellationToken);
            return 0;
        }
        var assets = await db.TopicContentAssets.AsNoTracking()
            .Where(a => a.TopicId == topicId && a.PersonaKey == null && a.ContentType == ContentType.Text)
            .Select(a => new { a.ContentKey, a.Payload })
            .ToListAsync(cancellationToken);
        var texts = LessonTexts(topic.TextContent, assets.ToDictionary(a => a.ContentKey, a => Markdown(a.Payload.RootElement)));
        var chunks = Chunker.Chunk([.. texts.Select(t => new ContentSegment(t, SegmentKind.Text))]);

        var vectors = new List<Vector>(chunks.Count);
        foreach (var batch in chunks.Chunk(embeddingOptions.Value.BatchSize))
            vectors.AddRange((await embeddings.GenerateAsync(batch.Select(c => c.Content), cancellationToken: cancellationToken)).Select(e => new Vector(e.Vector)));

        var source = SourceOf(topicId);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await ChunkWriter.LockSourceAsync(db, source, cancellationToken);
        await writer.ReplaceAsync(new ContentPath(topic.CourseId, topicId, topic.Name), topicId, source, chunks, vectors, embeddingOptions.Value.ModelName, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return chunks.Count;
    }

    /// <summary>The texts of a lesson in layout order: inline text blocks and the default text assets they name.</summary>
    public static IReadOnlyList<string> LessonTexts(string? textContent, IReadOnlyDictionary<string, string?> defaultTextAssets)
    {
        ArgumentNullException.ThrowIfNull(defaultTextAssets);
        var layout = LessonLayout.Parse(textContent);
        if (layout is null) return string.IsNullOrWhiteSpace(textContent) ? [] : [Plain(textContent)];
        var texts = new List<string>();
        foreach (var block in layout.Where(b => b.Type == ContentType.Text))
        {
            var text = block.ContentKey is { } key ? defaultTextAssets.GetValueOrDefault(key) : block.Data is JsonObject data ? Markdown(data) : null;
            if (!string.IsNullOrWhiteSpace(text)) texts.Add(Plain(text));
        }
        return texts;
    }

    private static string? Markdown(JsonElement payload) =>
        payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("markdown", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()
        : payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()
        : null;

    private static string? Markdown(JsonObject data) =>
        data["markdown"] is JsonValue m && m.TryGetValue<string>(out var markdown) ? markdown
        : data["text"] is JsonValue t && t.TryGetValue<string>(out var text) ? text : null;

    /// <summary>Markdown reduced to its words: no heading marks, emphasis, code fences or link targets.</summary>
    private static string Plain(string markdown) =>
        MarkdownNoise().Replace(LinkTarget().Replace(markdown, "$1"), "").Trim();

    [GeneratedRegex(@"```\w*|[#*_`>]+")]
    private static partial Regex MarkdownNoise();

    [GeneratedRegex(@"\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex LinkTarget();
}
