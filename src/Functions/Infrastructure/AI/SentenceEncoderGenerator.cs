using Microsoft.Extensions.AI;
using SentenceTransformers;

namespace CoursePlatform.Functions.Infrastructure.AI;

/// <summary>
/// An offline embedding model of the SentenceTransformers packages behind <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
/// Each model's ONNX session is loaded once per process on first use (about a second) and shared; calls are serialised
/// because on a small instance parallel inference only fights for the same cores.
/// </summary>
public abstract class SentenceEncoderGenerator(string provider, string modelName, Lazy<ISentenceEncoder> encoder, SemaphoreSlim gate)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata metadata = new(provider, null, modelName, EmbeddingOptions.Dimensions);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        if (texts.Length == 0) return result;

        await gate.WaitAsync(cancellationToken);
        try
        {
            // Inference is CPU-bound and synchronous; keep it off the caller's thread.
            var vectors = await Task.Run(() => encoder.Value.Encode(texts, cancellationToken), cancellationToken);
            var now = DateTimeOffset.UtcNow;
            foreach (var vector in vectors)
                result.Add(new Embedding<float>(vector) { ModelId = modelName, CreatedAt = now });
        }
        finally
        {
            gate.Release();
        }
        return result;
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return metadata;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>The shared encoder lives for the process; nothing to release per instance.</summary>
    public void Dispose() => GC.SuppressFinalize(this);
}
