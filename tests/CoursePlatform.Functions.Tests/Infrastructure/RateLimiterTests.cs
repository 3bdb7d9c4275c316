using CoursePlatform.Functions.Infrastructure.RateLimiting;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Infrastructure;

public sealed class RateLimiterTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly TestApp app = new(database);

    public void Dispose() => app.Dispose();

    private Task<RateLimitDecision> Hit(string key, int limit = 8) => app.Run<RateLimiter, RateLimitDecision>(l => l.HitAsync(key, limit, Minute, default));

    [Fact]
    public async Task Parallel_hits_are_each_counted_once_and_the_limit_holds()
    {
        var key = $"tutor-ask:{Guid.NewGuid()}";

        var decisions = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Hit(key)));

        Assert.Equal(Enumerable.Range(1, 20), decisions.Select(d => d.Count).Order());
        Assert.Equal(8, decisions.Count(d => d.Allowed));
    }

    /// <summary>Moves the test clock to <paramref name="offset"/> past the start of the next one-minute bucket.</summary>
    private void AlignTo(TimeSpan offset) =>
        app.Clock.Advance(Minute - TimeSpan.FromTicks(app.Clock.GetUtcNow().UtcTicks % Minute.Ticks) + offset);

    [Fact]
    public async Task Retry_after_points_at_when_the_sliding_window_lets_one_more_in()
    {
        var key = $"k:{Guid.NewGuid()}";
        AlignTo(TimeSpan.FromSeconds(15));
        for (var i = 0; i < 2; i++) await Hit(key, limit: 2);

        var refused = await Hit(key, limit: 2);
        Assert.False(refused.Allowed);
        // Three hits in this bucket: in the next one they weigh 3 × (1 − x), and 1 + 3 × (1 − x) ≤ 2 from x = 2/3,
        // 40 s into the next minute, 45 + 40 s from now. (A fixed window said 45 s, and let 2 more in at once.)
        Assert.Equal(TimeSpan.FromSeconds(85), refused.RetryAfter);

        app.Clock.Advance(TimeSpan.FromSeconds(84));
        Assert.False((await app.Run<RateLimiter, RateLimitDecision>(l => l.PeekAsync(key, 2, Minute, default))).Allowed);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        var next = await Hit(key, limit: 2);
        Assert.True(next.Allowed);
        Assert.Equal(2, next.Count); // this hit and a third of the previous bucket's three
    }

    [Fact]
    public async Task A_burst_across_a_window_boundary_gets_no_second_allowance()
    {
        var key = $"k:{Guid.NewGuid()}";
        AlignTo(TimeSpan.FromSeconds(59));
        Assert.All(await Sequential(key, 10), d => Assert.True(d.Allowed));

        app.Clock.Advance(TimeSpan.FromSeconds(2)); // a new bucket, but the same minute as far as the limit is concerned
        var across = await Sequential(key, 10);

        Assert.All(across, d => Assert.False(d.Allowed));
        // One hit here and 10 × (1 − x) of the last bucket fit in 10 once x ≥ 0.2: 12 s into this bucket, 11 s from now.
        Assert.Equal(TimeSpan.FromSeconds(11), across[0].RetryAfter);
    }

    [Fact]
    public async Task A_released_hit_is_given_back_to_the_bucket_it_was_counted_in()
    {
        var key = $"k:{Guid.NewGuid()}";
        AlignTo(TimeSpan.FromSeconds(59));
        var hitAt = app.Clock.GetUtcNow();
        Assert.True((await Hit(key, limit: 1)).Allowed);

        app.Clock.Advance(TimeSpan.FromSeconds(2));
        await app.Run<RateLimiter>(l => l.ReleaseAsync(key, Minute, default, hitAt));

        Assert.True((await Hit(key, limit: 1)).Allowed);
    }

    private async Task<List<RateLimitDecision>> Sequential(string key, int hits)
    {
        var decisions = new List<RateLimitDecision>();
        for (var i = 0; i < hits; i++) decisions.Add(await Hit(key, limit: 10));
        return decisions;
    }

    [Fact]
    public async Task Peek_does_not_count_and_reset_forgets_the_window()
    {
        var key = $"k:{Guid.NewGuid()}";
        await Hit(key, limit: 1);
        var peek = await app.Run<RateLimiter, RateLimitDecision>(l => l.PeekAsync(key, 1, Minute, default));
        Assert.Equal((false, 1), (peek.Allowed, peek.Count));

        await app.Run<RateLimiter>(l => l.ResetAsync(key, Minute, default));
        Assert.Equal(1, (await Hit(key, limit: 1)).Count);

        // Reset forgets the previous bucket too, whose hits would still weigh on the sliding window.
        app.Clock.Advance(Minute);
        await app.Run<RateLimiter>(l => l.ResetAsync(key, Minute, default));
        Assert.Equal(1, (await Hit(key, limit: 1)).Count);
    }
}
