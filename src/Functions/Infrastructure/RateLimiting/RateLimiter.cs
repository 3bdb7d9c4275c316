using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Infrastructure.RateLimiting;

/// <summary>
/// <paramref name="Count"/> is the weighted number of hits in the sliding window (this one included, rounded up).
/// </summary>
public sealed record RateLimitDecision(bool Allowed, int Count, TimeSpan RetryAfter);

/// <summary>A hit prepared by <see cref="RateLimiter.PrepareHit"/> for a caller's own statement.</summary>
/// <param name="Ctes">The CTEs, without <c>WITH</c>; <c>rate</c> holds one row <c>(current, previous)</c>.</param>
/// <param name="Allowed">The decision as a SQL condition over <c>rate</c>.</param>
/// <param name="Decide">The decision from the row's two counts.</param>
public sealed record RateHit(string Ctes, NpgsqlParameter[] Parameters, string Allowed, Func<int, int, RateLimitDecision> Decide);

/// <summary>
/// Sliding-window counters in PostgreSQL (<c>rate_limit_counters</c>), so a limit holds across restarts and
/// scaled-out instances. Hits go into fixed buckets one window long; a hit is judged on the weighted count
/// <c>current + previous × (share of the previous bucket still inside the window ending now)</c>, so a burst
/// across a bucket boundary gets no second allowance (a fixed window let 2 × limit through in moments). Each
/// hit is one atomic statement (upsert of the current bucket, read of the previous one). Every hit counts,
/// refused ones too, so a client that keeps hammering stays refused. Keys name what is counted, e.g.
/// <c>login-pair:203.0.113.9|ana@example.com</c>.
/// </summary>
public sealed class RateLimiter(CoursePlatformDbContext db, TimeProvider time)
{
    /// <summary>Counts one hit against <paramref name="key"/>; not allowed once the sliding window holds more than <paramref name="limit"/>.</summary>
    public async Task<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var hit = PrepareHit(key, limit, window);
        return await db.ReadAsync($"WITH {hit.Ctes} SELECT rate.current, rate.previous FROM rate", hit.Parameters,
            async (reader, ct) =>
            {
                await reader.ReadAsync(ct);
                return hit.Decide(reader.GetInt32(0), reader.GetInt32(1));
            }, cancellationToken);
    }

    /// <summary>
    /// One hit as two CTEs (<c>rate_hit</c>, then <c>rate</c>: one row <c>(current, previous)</c>) for a caller to run in a
    /// statement of its own, so the limit and what it guards cost one round trip. <see cref="RateHit.Allowed"/> is the
    /// decision in SQL, the same arithmetic as <see cref="RateHit.Decide"/>, which gives the answer (and Retry-After)
    /// from the row. Parameters are named <c>@rate_*</c>.
    /// </summary>
    public RateHit PrepareHit(string key, int limit, TimeSpan window)
    {
        var (start, now) = Bucket(time.GetUtcNow(), window);
        // An INSERT ... RETURNING cannot be composed over, hence the second CTE rather than a subquery.
        return new RateHit("""
            rate_hit AS (
                INSERT INTO rate_limit_counters (id, key, window_start, window_end, count)
                VALUES (@rate_id, @rate_key, @rate_start, @rate_end, 1)
                ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
                RETURNING count),
            rate AS (
                SELECT rate_hit.count AS current,
                       COALESCE((SELECT p.count FROM rate_limit_counters p WHERE p.key = @rate_key AND p.window_start = @rate_previous), 0) AS previous
                FROM rate_hit)
            """,
            [
                new("rate_id", Guid.CreateVersion7()), new("rate_key", key), new("rate_start", start), new("rate_end", start + window),
                new("rate_previous", start - window), new("rate_weight", 1 - (now - start) / window), new("rate_threshold", Threshold(limit)),
            ],
            "rate.current + rate.previous * @rate_weight <= @rate_threshold",
            (current, previous) => Decide(new BucketCounts(current, previous), limit, window, start, now, counted: true));
    }

    /// <summary>Whether one more hit on <paramref name="key"/> would be allowed, without counting it.</summary>
    public async Task<RateLimitDecision> PeekAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var (start, now) = Bucket(time.GetUtcNow(), window);
        var previousStart = start - window;
        var buckets = await db.RateLimitCounters.AsNoTracking()
            .Where(c => c.Key == key && (c.WindowStart == start || c.WindowStart == previousStart))
            .Select(c => new { c.WindowStart, c.Count }).ToListAsync(cancellationToken);
        var counts = new BucketCounts(
            buckets.Where(b => b.WindowStart == start).Sum(b => b.Count), buckets.Where(b => b.WindowStart == previousStart).Sum(b => b.Count));
        return Decide(counts, limit, window, start, now, counted: false);
    }

    /// <summary>
    /// Gives back one hit of <paramref name="key"/> (an attempt that turned out fine), from the bucket it was counted
    /// in: the one holding <paramref name="hitAt"/>, by default now.
    /// </summary>
    public Task ReleaseAsync(string key, TimeSpan window, CancellationToken cancellationToken, DateTimeOffset? hitAt = null)
    {
        var (start, _) = Bucket(hitAt ?? time.GetUtcNow(), window);
        return db.RateLimitCounters.Where(c => c.Key == key && c.WindowStart == start && c.Count > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count - 1), cancellationToken);
    }

    /// <summary>Forgets every hit of <paramref name="key"/> still inside the sliding window (e.g. failed logins after a success).</summary>
    public Task ResetAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var (start, _) = Bucket(time.GetUtcNow(), window);
        var previousStart = start - window;
        return db.RateLimitCounters.Where(c => c.Key == key && (c.WindowStart == start || c.WindowStart == previousStart))
            .ExecuteDeleteAsync(cancellationToken);
    }

    private static (DateTimeOffset Start, DateTimeOffset Now) Bucket(DateTimeOffset now, TimeSpan window) =>
        (new DateTimeOffset(now.UtcTicks - now.UtcTicks % window.Ticks, TimeSpan.Zero), now);

    /// <summary>
    /// The weighted count decides; Retry-After is when one more hit would be allowed if none came in between:
    /// later in this bucket as the previous one's share fades, or in the next bucket as this one's does.
    /// </summary>
    private static RateLimitDecision Decide(BucketCounts counts, int limit, TimeSpan window, DateTimeOffset start, DateTimeOffset now, bool counted)
    {
        var elapsed = (now - start) / window; // 0 ≤ elapsed < 1
        var weighted = counts.Current + counts.Previous * (1 - elapsed);
        var allowed = counted ? weighted <= Threshold(limit) : weighted + 1 <= Threshold(limit);
        var next = NextAllowed(counts, limit, window, start);
        var retryAfter = next > now ? next - now : TimeSpan.Zero;
        return new RateLimitDecision(allowed, (int)Math.Ceiling(weighted - 1e-9), retryAfter);
    }

    /// <summary>A hair of tolerance: 3 × (1 − 2/3) must not come out a rounding error above 1 exactly at Retry-After.</summary>
    private static double Threshold(int limit) => limit + 1e-9;

    private static DateTimeOffset NextAllowed(BucketCounts counts, int limit, TimeSpan window, DateTimeOffset start)
    {
        // In this bucket: Current + 1 + Previous × (1 − x) ≤ limit.
        var room = limit - counts.Current - 1;
        if (room >= 0)
            return counts.Previous <= room ? start : start + window * (1 - (double)room / counts.Previous);
        // In the next bucket this one is the previous: 1 + Current × (1 − x) ≤ limit.
        var next = start + window;
        return counts.Current <= limit - 1 ? next : next + window * (1 - (double)(limit - 1) / counts.Current);
    }

    /// <summary>The row shape of the hit statement (EF maps SqlQuery columns to settable properties).</summary>
    private sealed class BucketCounts
    {
        public BucketCounts() { }
        public BucketCounts(int current, int previous) => (Current, Previous) = (current, previous);
        public int Current { get; set; }
        public int Previous { get; set; }
    }
}
