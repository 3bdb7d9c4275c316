using System.Collections.Concurrent;
using CoursePlatform.Functions.Infrastructure.AI;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// How close a question is to <see cref="BackgroundQuestions"/>, the app's picture of everyday topics, under the same model
/// and in the same way as to the course's passages (the question with its query prefix, the background as passages), so
/// the two similarities compare. The background is embedded once per model and process, in the background at the
/// worker's start-up (<see cref="WarmAsync"/>, a few seconds), else on first use.
/// </summary>
public sealed class BackgroundSimilarity(EmbeddingModels models)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<float[][]>>> vectors = new(StringComparer.Ordinal);

    /// <summary>The highest cosine similarity of <paramref name="question"/> (embedded by <paramref name="model"/>) to a background question; null when the model cannot be run here.</summary>
    public async Task<double?> MaxAsync(string model, ReadOnlyMemory<float> question, CancellationToken cancellationToken)
    {
        if (models.For(model) is null) return null;
        var embedding = vectors.GetOrAdd(model, m => new Lazy<Task<float[][]>>(() => EmbedAsync(m)));
        float[][] background;
        try
        {
            background = await embedding.Value.WaitAsync(cancellationToken);
        }
        catch when (embedding.Value.IsFaulted)
        {
            // A remote model's failure must not stick for the life of the process: the next question tries again.
            vectors.TryRemove(new KeyValuePair<string, Lazy<Task<float[][]>>>(model, embedding));
            throw;
        }
        var best = double.NegativeInfinity;
        foreach (var vector in background) best = Math.Max(best, Cosine(question.Span, vector));
        return best;
    }

    /// <summary>Embeds the background for <paramref name="model"/> now (the worker's start-up does), so no learner's first question waits for it.</summary>
    public Task WarmAsync(string model) =>
        models.For(model) is null ? Task.CompletedTask : vectors.GetOrAdd(model, m => new Lazy<Task<float[][]>>(() => EmbedAsync(m))).Value;

    private static double Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++) (dot, na, nb) = (dot + a[i] * b[i], na + a[i] * a[i], nb + b[i] * b[i]);
        return na == 0 || nb == 0 ? 0 : dot / Math.Sqrt(na * nb);
    }

    private async Task<float[][]> EmbedAsync(string model)
    {
        // Not the caller's token: the shared result must not be cancelled by one request.
        var embeddings = await models.For(model)!.GenerateAsync(BackgroundQuestions.All, cancellationToken: CancellationToken.None);
        return [.. embeddings.Select(e => e.Vector.ToArray())];
    }
}
