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

    [Fact]
    public async Task A_new_window_starts_from_zero_and_retry_after_points_at_it()
    {
        var key = $"k:{Guid.NewGuid()}";
        app.Clock.Advance(Minute - TimeSpan.FromTicks(app.Clock.GetUtcNow().UtcTicks % Minute.Ticks)); // align to a window start
        app.Clock.Advance(TimeSpan.FromSeconds(15));
        for (var i = 0; i < 2; i++) await Hit(key, limit: 2);

        var refused = await Hit(key, limit: 2);
        Assert.False(refused.Allowed);
        Assert.Equal(TimeSpan.FromSeconds(45), refused.RetryAfter);

        app.Clock.Advance(TimeSpan.FromSeconds(45));
        var next = await Hit(key, limit: 2);
        Assert.True(next.Allowed);
        Assert.Equal(1, next.Count);
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
    }
}
