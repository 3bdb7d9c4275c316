using System.Diagnostics;
using System.Globalization;

namespace CoursePlatform.Benchmarks;

/// <summary>A service call against its floor (the same data in one hand-written SQL round trip), in ms.</summary>
public sealed record FloorComparison(string Name, string Shape, (double P50, double P95) Service, (double P50, double P95) Floor)
{
    public double RatioP50 => Service.P50 / Floor.P50;
    public double RatioP95 => Service.P95 / Floor.P95;
}

public static class Timing
{
    /// <summary>Runs <paramref name="call"/> <paramref name="warmup"/> times untimed, then <paramref name="iterations"/> times; p50 and p95 in ms.</summary>
    public static async Task<(double P50, double P95)> MeasureAsync(int iterations, Func<Task> call, int warmup = 20)
    {
        ArgumentNullException.ThrowIfNull(call);
        for (var i = 0; i < warmup; i++) await call();
        var samples = new double[iterations];
        for (var i = 0; i < iterations; i++) samples[i] = await TimeAsync(call);
        return Percentiles(samples);
    }

    /// <summary>
    /// Times <paramref name="service"/> against <paramref name="floor"/>, one call of each in turn, so both see the same
    /// load on a shared machine and the ratio of one run can be trusted more than either figure.
    /// </summary>
    public static async Task<FloorComparison> AgainstFloorAsync(
        string name, string shape, int iterations, Func<Task> service, Func<Task> floor, int warmup = 50)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(floor);
        for (var i = 0; i < warmup; i++)
        {
            await service();
            await floor();
        }
        var services = new double[iterations];
        var floors = new double[iterations];
        for (var i = 0; i < iterations; i++)
        {
            services[i] = await TimeAsync(service);
            floors[i] = await TimeAsync(floor);
        }
        return new FloorComparison(name, shape, Percentiles(services), Percentiles(floors));
    }

    /// <summary>One line per comparison: what was measured, then service, floor and ratio at p50 and p95.</summary>
    public static void Print(IReadOnlyList<FloorComparison> comparisons, int iterations)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        Console.WriteLine($"{iterations} calls of each, service and floor in turn; ms; floor = one hand-written SQL round trip of the same data on an open connection");
        Console.WriteLine($"{"",-14} {"service p50",11} {"p95",7} {"floor p50",10} {"p95",7} {"ratio p50",10} {"p95",6}");
        foreach (var c in comparisons)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{c.Name,-14} {c.Service.P50,11:F2} {c.Service.P95,7:F2} {c.Floor.P50,10:F2} {c.Floor.P95,7:F2} {c.RatioP50,9:F1}x {c.RatioP95,5:F1}x"));
        foreach (var c in comparisons) Console.WriteLine($"  {c.Name}: {c.Shape}");
    }

    private static async Task<double> TimeAsync(Func<Task> call)
    {
        var started = Stopwatch.GetTimestamp();
        await call();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    public static (double P50, double P95) Percentiles(double[] samples)
    {
        Array.Sort(samples);
        return (samples[samples.Length / 2], samples[(int)(samples.Length * 0.95)]);
    }
}
