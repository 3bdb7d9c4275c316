using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Infrastructure.AI;

/// <summary>
/// The embedding models the app can run: the configured one (<see cref="Current"/>, what ingestion writes and
/// questions are embedded with) and the offline ones whose weights ship in packages, so that chunks still holding
/// an older model's vectors stay searchable (a question is embedded once per model present, and vectors are only
/// ever compared with a question vector of their own model) until the re-embedding has replaced them.
/// </summary>
public sealed class EmbeddingModels(IEmbeddingGenerator<string, Embedding<float>> configured, IOptions<EmbeddingOptions> options, QueryEmbeddingCache cache)
{
    private static readonly Lazy<MiniLmEmbeddingGenerator> MiniLm = new(() => new MiniLmEmbeddingGenerator());
    private static readonly Lazy<ArcticXsEmbeddingGenerator> ArcticXs = new(() => new ArcticXsEmbeddingGenerator());

    /// <summary>The model new chunks are embedded with.</summary>
    public string Current => options.Value.ModelName;

    public IEmbeddingGenerator<string, Embedding<float>> CurrentGenerator => configured;

    /// <summary>
    /// The generator of <paramref name="modelName"/>, or null when this app cannot run that model: an unconfigured remote
    /// one, or an offline one whose weights this package does not carry (a publish carries the configured model's only).
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? For(string modelName) => modelName switch
    {
        _ when modelName == Current => configured,
        MiniLmEmbeddingGenerator.ModelName when IsShipped(MiniLmEmbeddingGenerator.Package) => MiniLm.Value,
        ArcticXsEmbeddingGenerator.ModelName when IsShipped(ArcticXsEmbeddingGenerator.Package) => ArcticXs.Value,
        _ => null,
    };

    /// <summary>Whether the model package's assembly (which holds its weights) is beside the app's.</summary>
    public static bool IsShipped(string package) => File.Exists(Path.Combine(AppContext.BaseDirectory, package + ".dll"));

    /// <summary>What a model is given for a question: arctic-embed was trained with a query prefix (passages take none).</summary>
    public static string QueryText(string modelName, string question) =>
        modelName == ArcticXsEmbeddingGenerator.ModelName ? ArcticXsEmbeddingGenerator.QueryPrefix + question : question;

    /// <summary>A question's vector for one model (from <see cref="QueryEmbeddingCache"/> when asked recently).</summary>
    public async Task<Pgvector.Vector?> EmbedQueryAsync(string modelName, string question, CancellationToken cancellationToken)
    {
        if (For(modelName) is not { } generator) return null;
        var vector = await cache.GetOrAddAsync(modelName, question, async text =>
            (await generator.GenerateAsync([QueryText(modelName, text)], cancellationToken: cancellationToken)).Single().Vector.ToArray());
        return new Pgvector.Vector(vector);
    }
}
