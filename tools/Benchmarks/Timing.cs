using System.Diagnostics;

namespace CoursePlatform.Benchmarks;

public static class Timing
{
    /// <summary>Runs <paramref name="call"/> <paramref name="warmup"/> times untimed, then <paramref name="iterations"/> times; p50 and p95 in ms.</summary>
    public static async Task<(double P50, double P95)> MeasureAsync(int iterations, Func<Task> call, int warmup = 20)
    {
        ArgumentNullException.ThrowIfNull(call);
        for (var i = 0; i < warmup; i++) await call();
        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await call();
            samples[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
        Array.Sort(samples);
        return (samples[iterations / 2], samples[(int)(iterations * 0.95)]);
    }
}
