using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Caching.Memory;

namespace CoursePlatform.Functions.Infrastructure.AI;

/// <summary>
/// The vectors of recent questions and search queries, per model, keyed on the normalised text (trimmed, runs of
/// white space as one space): learners of a course ask the same things, and an embedding costs milliseconds of
/// CPU that a dictionary lookup does not. Bounded by <see cref="Capacity"/> entries (about 1.6 KB each, so a few
/// MB); the least recently used go first. Hits and misses are counted on the <c>CoursePlatform.AI</c> meter
/// (<c>courseplatform.query_embeddings.hits</c> / <c>.misses</c>), which dotnet-counters and OpenTelemetry read.
/// </summary>
public sealed partial class QueryEmbeddingCache : IDisposable
{
    public const string MeterName = "CoursePlatform.AI";
    public const int Capacity = 10_000;

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Hits = Meter.CreateCounter<long>("courseplatform.query_embeddings.hits", description: "Query embeddings served from the cache");
    private static readonly Counter<long> Misses = Meter.CreateCounter<long>("courseplatform.query_embeddings.misses", description: "Query embeddings computed by the model");

    private readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.1 });

    /// <summary>The cached vector of <paramref name="text"/> for <paramref name="model"/>, or the one <paramref name="embed"/> computes (then kept).</summary>
    public async Task<float[]> GetOrAddAsync(string model, string text, Func<string, Task<float[]>> embed)
    {
        var key = (model, Normalise(text));
        if (cache.TryGetValue(key, out float[]? vector) && vector is not null)
        {
            Hits.Add(1);
            return vector;
        }
        Misses.Add(1);
        vector = await embed(key.Item2);
        cache.Set(key, vector, new MemoryCacheEntryOptions { Size = 1, SlidingExpiration = TimeSpan.FromHours(6) });
        return vector;
    }

    public static string Normalise(string text) => WhiteSpace().Replace(text.Trim(), " ");

    public void Dispose() => cache.Dispose();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
