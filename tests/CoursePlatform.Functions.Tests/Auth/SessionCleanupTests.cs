using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Auth;

public sealed class SessionCleanupTests(DatabaseFixture database) : AppTest(database)
{
    [Fact]
    public async Task Deletes_what_can_no_longer_be_used_and_nothing_else_and_is_idempotent()
    {
        var user = await app.CreateUserAsync();
        var now = app.Clock.GetUtcNow();
        UserSession Session(DateTimeOffset expires, DateTimeOffset? revoked = null) => new()
        {
            UserId = user.Id, FamilyId = Guid.NewGuid(), RefreshTokenHash = SessionService.Hash(Guid.NewGuid().ToString()),
            CreatedAt = now.AddDays(-40), ExpiresAt = expires, RevokedAt = revoked,
        };
        var live = Session(now.AddDays(10));
        var recentlyRevoked = Session(now.AddDays(10), revoked: now.AddDays(-1));
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.UserSessions.AddRange(live, recentlyRevoked, Session(now.AddMinutes(-1)), Session(now.AddDays(10), revoked: now.AddDays(-8)));
            db.AuthLoginStates.AddRange(
                new AuthLoginState { StateHash = SessionService.Hash("a"), CodeVerifier = "v", Nonce = "n", RedirectUri = "http://x", CreatedAt = now, ExpiresAt = now.AddMinutes(-1) },
                new AuthLoginState { StateHash = SessionService.Hash("b"), CodeVerifier = "v", Nonce = "n", RedirectUri = "http://x", CreatedAt = now, ExpiresAt = now.AddMinutes(5) });
            db.AuthLoginCodes.AddRange(
                new AuthLoginCode { CodeHash = SessionService.Hash("c"), UserId = user.Id, CreatedAt = now, ExpiresAt = now.AddSeconds(-1) },
                new AuthLoginCode { CodeHash = SessionService.Hash("d"), UserId = user.Id, CreatedAt = now, ExpiresAt = now.AddSeconds(30) });
            db.RateLimitCounters.AddRange(
                new RateLimitCounter { Key = "old", WindowStart = now.AddDays(-3), WindowEnd = now.AddDays(-2), Count = 3 },
                new RateLimitCounter { Key = "recent", WindowStart = now.AddHours(-1), WindowEnd = now.AddMinutes(-45), Count = 3 });
            await db.SaveChangesAsync();
        });

        var first = await app.Run<SessionCleanupService, SessionCleanupResult>(s => s.RunAsync(default));
        var second = await app.Run<SessionCleanupService, SessionCleanupResult>(s => s.RunAsync(default));

        Assert.Equal(new SessionCleanupResult(1, 1, 1, 1, 1), first);
        Assert.Equal(new SessionCleanupResult(0, 0, 0, 0, 0), second);
        var sessions = await app.Run<CoursePlatformDbContext, List<Guid>>(db => db.UserSessions.Select(s => s.Id).ToListAsync());
        Assert.Equal(new[] { live.Id, recentlyRevoked.Id }.Order(), sessions.Order());
        Assert.Equal(["recent"], await app.Run<CoursePlatformDbContext, List<string>>(db => db.RateLimitCounters.Select(c => c.Key).ToListAsync()));
    }
}
