using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Infrastructure.RateLimiting;

/// <summary>
/// <paramref name="Count"/> is the weighted number of hits in the sliding window (this one included, rounded up).
/// </summary>
public sealed record RateLimitDecision(bool Allowed, int Count, TimeSpan RetryAfter);

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
        var (start, now) = Bucket(time.GetUtcNow(), window);
        var previousStart = start - window;
        // An INSERT ... RETURNING cannot be composed over, hence ToListAsync rather than SingleAsync.
        var rows = await db.Database.SqlQuery<BucketCounts>($"""
            WITH hit AS (
                INSERT INTO rate_limit_counters (id, key, window_start, window_end, count)
                VALUES ({Guid.CreateVersion7()}, {key}, {start}, {start + window}, 1)
                ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
                RETURNING count)
            SELECT hit.count AS "Current",
                   COALESCE((SELECT p.count FROM rate_limit_counters p WHERE p.key = {key} AND p.window_start = {previousStart}), 0) AS "Previous"
            FROM hit
            """).ToListAsync(cancellationToken);
        return Decide(rows[0], limit, window, start, now, counted: true);
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
        // A hair of tolerance: 3 × (1 − 2/3) must not come out a rounding error above 1 exactly at Retry-After.
        var allowed = counted ? weighted <= limit + 1e-9 : weighted + 1 <= limit + 1e-9;
        var next = NextAllowed(counts, limit, window, start);
        var retryAfter = next > now ? next - now : TimeSpan.Zero;
        return new RateLimitDecision(allowed, (int)Math.Ceiling(weighted - 1e-9), retryAfter);
    }

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
