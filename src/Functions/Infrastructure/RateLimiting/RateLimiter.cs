using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Infrastructure.RateLimiting;

public sealed record RateLimitDecision(bool Allowed, int Count, TimeSpan RetryAfter);

/// <summary>
/// Fixed-window counters in PostgreSQL (<c>rate_limit_counters</c>): one atomic upsert per hit, so a
/// limit holds across restarts and scaled-out instances. Keys name what is counted, e.g.
/// <c>login-email:ana@example.com</c>.
/// </summary>
public sealed class RateLimiter(CoursePlatformDbContext db, TimeProvider time)
{
    /// <summary>Counts one hit against <paramref name="key"/>; not allowed once the window holds more than <paramref name="limit"/>.</summary>
    public async Task<RateLimitDecision> HitAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var (start, end, now) = Window(window);
        // An INSERT ... RETURNING cannot be composed over, hence ToListAsync rather than SingleAsync.
        var counts = await db.Database.SqlQuery<int>($"""
            INSERT INTO rate_limit_counters (id, key, window_start, window_end, count)
            VALUES ({Guid.CreateVersion7()}, {key}, {start}, {end}, 1)
            ON CONFLICT (key, window_start) DO UPDATE SET count = rate_limit_counters.count + 1
            RETURNING count AS "Value"
            """).ToListAsync(cancellationToken);
        return new RateLimitDecision(counts[0] <= limit, counts[0], end - now);
    }

    /// <summary>Whether <paramref name="key"/> already reached <paramref name="limit"/> in the current window, without counting.</summary>
    public async Task<RateLimitDecision> PeekAsync(string key, int limit, TimeSpan window, CancellationToken cancellationToken)
    {
        var (start, end, now) = Window(window);
        var count = await db.RateLimitCounters.Where(c => c.Key == key && c.WindowStart == start).Select(c => c.Count).SingleOrDefaultAsync(cancellationToken);
        return new RateLimitDecision(count < limit, count, end - now);
    }

    /// <summary>Gives back one hit of the current window of <paramref name="key"/> (an attempt that turned out fine).</summary>
    public Task ReleaseAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var (start, _, _) = Window(window);
        return db.RateLimitCounters.Where(c => c.Key == key && c.WindowStart == start && c.Count > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Count, c => c.Count - 1), cancellationToken);
    }

    /// <summary>Forgets the current window of <paramref name="key"/> (e.g. failed logins after a success).</summary>
    public Task ResetAsync(string key, TimeSpan window, CancellationToken cancellationToken)
    {
        var (start, _, _) = Window(window);
        return db.RateLimitCounters.Where(c => c.Key == key && c.WindowStart == start).ExecuteDeleteAsync(cancellationToken);
    }

    private (DateTimeOffset Start, DateTimeOffset End, DateTimeOffset Now) Window(TimeSpan window)
    {
        var now = time.GetUtcNow();
        var start = new DateTimeOffset(now.UtcTicks - now.UtcTicks % window.Ticks, TimeSpan.Zero);
        return (start, start + window, now);
    }
}
