using Microsoft.Extensions.AI;
using SentenceTransformers;

namespace CoursePlatform.Functions.Infrastructure.AI;

/// <summary>
/// An offline embedding model of the SentenceTransformers packages behind <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
/// Each model's ONNX session is loaded once per process on first use (about a second) and shared; calls are serialised
/// because on a small instance parallel inference only fights for the same cores. A question (one text, on a request's
/// path) goes before documents (batches of ingestion and of the background sweeps), which are encoded in slices of
/// <see cref="SliceSize"/> so that a waiting question waits for one slice at most, not for a whole transcript.
/// </summary>
public abstract class SentenceEncoderGenerator(string provider, string modelName, Lazy<ISentenceEncoder> encoder, EncoderGate gate)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    public const int SliceSize = 8;

    private readonly EmbeddingGeneratorMetadata metadata = new(provider, null, modelName, EmbeddingOptions.Dimensions);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values,
        EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var texts = values.ToArray();
        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Length);
        var question = texts.Length == 1;
        foreach (var slice in texts.Chunk(SliceSize))
        {
            using (await gate.EnterAsync(question, cancellationToken))
            {
                // Inference is CPU-bound and synchronous; keep it off the caller's thread.
                var vectors = await Task.Run(() => encoder.Value.Encode(slice, cancellationToken), cancellationToken);
                var now = DateTimeOffset.UtcNow;
                foreach (var vector in vectors)
                    result.Add(new Embedding<float>(vector) { ModelId = modelName, CreatedAt = now });
            }
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

/// <summary>
/// One model's turn at the CPU, questions first: a batch slice takes the gate only while no question waits for it,
/// and a question that arrives while a slice runs is next.
/// </summary>
public sealed class EncoderGate : IDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private int questionsWaiting;

    /// <summary>Questions waiting for the encoder now (each goes before the next slice of a batch).</summary>
    public int QuestionsWaiting => Volatile.Read(ref questionsWaiting);

    public async Task<IDisposable> EnterAsync(bool question, CancellationToken cancellationToken)
    {
        if (question)
        {
            Interlocked.Increment(ref questionsWaiting);
            try
            {
                await gate.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref questionsWaiting);
            }
            return new Turn(gate);
        }
        while (true)
        {
            await gate.WaitAsync(cancellationToken);
            if (QuestionsWaiting == 0) return new Turn(gate);
            gate.Release(); // a question is queued behind us: let it go first
            await Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken);
        }
    }

    public void Dispose() => gate.Dispose();

    private sealed class Turn(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0) gate.Release();
        }
    }
}
