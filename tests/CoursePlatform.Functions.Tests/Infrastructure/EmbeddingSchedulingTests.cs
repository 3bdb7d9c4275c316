using System.Diagnostics.Metrics;
using CoursePlatform.Functions.Infrastructure.AI;

namespace CoursePlatform.Functions.Tests.Infrastructure;

/// <summary>The query-vector cache and the encoder's turn-taking, which keep searches fast beside ingestion.</summary>
public sealed class EmbeddingSchedulingTests
{
    [Fact]
    public async Task A_query_asked_again_in_other_white_space_is_served_from_the_cache_per_model()
    {
        using var cache = new QueryEmbeddingCache();
        var embedded = new List<string>();
        Task<float[]> Embed(string text)
        {
            embedded.Add(text);
            return Task.FromResult(new[] { (float)embedded.Count });
        }
        long hits = 0, misses = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) => { if (instrument.Meter.Name == QueryEmbeddingCache.MeterName) l.EnableMeasurementEvents(instrument); };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name.EndsWith(".hits", StringComparison.Ordinal)) Interlocked.Add(ref hits, value);
            else Interlocked.Add(ref misses, value);
        });
        listener.Start();

        var first = await cache.GetOrAddAsync("model-a", "which subnet is public?", Embed);
        var again = await cache.GetOrAddAsync("model-a", "  which   subnet\tis public? ", Embed);
        var otherModel = await cache.GetOrAddAsync("model-b", "which subnet is public?", Embed);

        Assert.Same(first, again);
        Assert.NotEqual(first[0], otherModel[0]);
        Assert.Equal(["which subnet is public?", "which subnet is public?"], embedded); // normalised text, once per model
        Assert.Equal((1, 2), (Interlocked.Read(ref hits), Interlocked.Read(ref misses)));
    }

    [Fact]
    public async Task A_question_waiting_for_the_encoder_goes_before_the_next_slice_of_a_batch()
    {
        using var gate = new EncoderGate();
        var order = new List<string>();
        var slice = await gate.EnterAsync(question: false, CancellationToken.None); // a batch slice is encoding

        var nextSlice = Task.Run(async () =>
        {
            await Task.Delay(50);
            using (await gate.EnterAsync(question: false, CancellationToken.None)) lock (order) order.Add("slice");
        });
        var question = Task.Run(async () =>
        {
            await Task.Delay(100); // arrives after the next slice queued
            using (await gate.EnterAsync(question: true, CancellationToken.None)) lock (order) order.Add("question");
        });
        // The slice's turn ends once the question is waiting (not after a fixed sleep: a starved thread pool may be slower).
        Assert.True(SpinWait.SpinUntil(() => gate.QuestionsWaiting == 1, TimeSpan.FromSeconds(10)));
        slice.Dispose();
        await Task.WhenAll(nextSlice, question).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(["question", "slice"], order);
    }
}
