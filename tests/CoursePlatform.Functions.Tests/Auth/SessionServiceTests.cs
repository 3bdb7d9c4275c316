using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Auth;

public sealed class SessionServiceTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    private static readonly ClientInfo Client = new("203.0.113.7", "tests");
    private readonly TestApp app = new(database);

    public void Dispose() => app.Dispose();

    private Task<TokenResponse> Start(Data.Model.User user) =>
        app.Run<SessionService, TokenResponse>(s => s.StartAsync(user, Client, default));

    private Task<TokenResponse> Refresh(string token) =>
        app.Run<SessionService, TokenResponse>(s => s.RefreshAsync(token, Client, default));

    [Fact]
    public async Task Only_the_sha256_of_a_refresh_token_is_stored_and_it_lives_30_days()
    {
        var user = await app.CreateUserAsync();
        var tokens = await Start(user);

        Assert.Equal(43, tokens.RefreshToken.Length); // 32 bytes, base64url
        var row = await app.Run<CoursePlatformDbContext, Data.Model.UserSession>(db => db.UserSessions.SingleAsync(s => s.UserId == user.Id));
        Assert.Equal(SessionService.Hash(tokens.RefreshToken), row.RefreshTokenHash);
        Assert.Equal(app.Clock.GetUtcNow().AddDays(30), row.ExpiresAt);
        Assert.Equal(900, tokens.ExpiresIn);
        var caller = await app.Get<AccessTokens>().ValidateAsync(tokens.AccessToken);
        Assert.Equal(new Caller(user.Id, row.FamilyId, UserRole.Learner), caller);
    }

    [Fact]
    public async Task No_refresh_token_is_ever_stored_in_any_form_but_its_hash()
    {
        var user = await app.CreateUserAsync();
        var issued = new List<string> { (await Start(user)).RefreshToken };
        for (var i = 0; i < 3; i++) issued.Add((await Refresh(issued[^1])).RefreshToken);

        // Every column of every session row, as text (bytea as hex and as escaped text too).
        var dump = await app.Run<CoursePlatformDbContext, List<string>>(db => db.Database.SqlQueryRaw<string>(
            "SELECT row_to_json(s)::text || encode(s.refresh_token_hash, 'escape') AS \"Value\" FROM user_sessions s WHERE user_id = {0}", user.Id).ToListAsync());
        Assert.Equal(4, dump.Count);
        Assert.All(issued, token => Assert.DoesNotContain(dump, row => row.Contains(token, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Refresh_rotates_the_token_within_the_same_session()
    {
        var user = await app.CreateUserAsync(UserRole.Admin);
        var first = await Start(user);
        var tokens = app.Get<AccessTokens>();
        var session = (await tokens.ValidateAsync(first.AccessToken))!.SessionId;
        app.Clock.Advance(TimeSpan.FromMinutes(20)); // the access token has expired

        var second = await Refresh(first.RefreshToken);

        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(session, (await tokens.ValidateAsync(second.AccessToken))?.SessionId);
        Assert.Equal(UserRole.Admin, second.User.Role);
        var third = await Refresh(second.RefreshToken);
        Assert.NotEqual(second.RefreshToken, third.RefreshToken);
    }

    [Fact]
    public async Task Presenting_a_rotated_token_after_the_grace_revokes_the_whole_family()
    {
        var user = await app.CreateUserAsync();
        var first = await Start(user);
        var second = await Refresh(first.RefreshToken);
        app.Clock.Advance(TimeSpan.FromSeconds(new AuthOptions().RefreshReuseGraceSeconds + 1));

        var reuse = await Assert.ThrowsAsync<ProblemException>(() => Refresh(first.RefreshToken));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, reuse.Status);
        Assert.Equal(ProblemCodes.InvalidGrant, reuse.Code);
        // The thief's copy and the legitimate latest token are both dead now.
        await Assert.ThrowsAsync<ProblemException>(() => Refresh(second.RefreshToken));
        var rows = await app.Run<CoursePlatformDbContext, List<Data.Model.UserSession>>(db => db.UserSessions.Where(s => s.UserId == user.Id).ToListAsync());
        Assert.All(rows, r => Assert.NotNull(r.RevokedAt));
        Assert.Contains(rows, r => r.RevokedReason == "refresh-token-reuse");
    }

    [Fact]
    public async Task Two_tabs_refreshing_one_token_at_once_both_get_a_pair_of_the_same_session()
    {
        var user = await app.CreateUserAsync();
        var first = await Start(user);

        var tabs = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Refresh(first.RefreshToken)));

        // Both tabs stay signed in: one rotated the token, the other got the one replacement the grace allows.
        Assert.Equal(2, tabs.Select(a => a.RefreshToken).Distinct().Count());
        var rows = await app.Run<CoursePlatformDbContext, List<Data.Model.UserSession>>(db => db.UserSessions.Where(s => s.UserId == user.Id).ToListAsync());
        Assert.Single(rows.Select(r => r.FamilyId).Distinct());
        Assert.All(rows, r => Assert.Null(r.RevokedAt));
        Assert.Equal(2, rows.Count(r => r.RotatedAt == null));
        // Each of the new tokens refreshes normally.
        foreach (var tab in tabs) await Refresh(tab.RefreshToken);
    }

    [Fact]
    public async Task A_rotated_token_mints_one_replacement_within_the_grace_not_more()
    {
        var user = await app.CreateUserAsync();
        var first = await Start(user);
        var rotated = await Refresh(first.RefreshToken);
        var replacement = await Refresh(first.RefreshToken); // the second tab, within the grace

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            try { await Refresh(first.RefreshToken); return null; }
            catch (ProblemException ex) { return ex.Code; }
        }));

        Assert.All(outcomes, code => Assert.Equal(ProblemCodes.InvalidGrant, code));
        var rows = await app.Run<CoursePlatformDbContext, List<Data.Model.UserSession>>(db => db.UserSessions.Where(s => s.UserId == user.Id).ToListAsync());
        Assert.Equal(3, rows.Count); // the first token, its rotation and the one replacement: no more pairs were minted
        // Refused, not revoked: the two tabs' tokens still work.
        await Refresh(rotated.RefreshToken);
        await Refresh(replacement.RefreshToken);
    }

    [Fact]
    public async Task Without_a_grace_a_concurrent_refresh_is_reuse()
    {
        using var strict = new TestApp(database, new Dictionary<string, string?> { ["Auth:RefreshReuseGraceSeconds"] = "0" });
        var user = await strict.CreateUserAsync();
        var first = await strict.Run<SessionService, TokenResponse>(s => s.StartAsync(user, Client, default));
        await strict.Run<SessionService, TokenResponse>(s => s.RefreshAsync(first.RefreshToken, Client, default));
        strict.Clock.Advance(TimeSpan.FromMilliseconds(1));
        await Assert.ThrowsAsync<ProblemException>(() => strict.Run<SessionService, TokenResponse>(s => s.RefreshAsync(first.RefreshToken, Client, default)));
    }

    [Fact]
    public async Task An_expired_or_unknown_refresh_token_is_refused()
    {
        var user = await app.CreateUserAsync();
        var tokens = await Start(user);
        app.Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromSeconds(1));

        await Assert.ThrowsAsync<ProblemException>(() => Refresh(tokens.RefreshToken));
        await Assert.ThrowsAsync<ProblemException>(() => Refresh(SessionService.NewSecret()));
    }

    [Fact]
    public async Task Revoking_a_session_stops_its_refresh_tokens()
    {
        var user = await app.CreateUserAsync();
        var tokens = await Start(user);
        var sessionId = (await app.Get<AccessTokens>().ValidateAsync(tokens.AccessToken))!.SessionId;

        Assert.Equal(1, await app.Run<SessionService, int>(s => s.RevokeFamilyAsync(sessionId, "logout", default)));

        await Assert.ThrowsAsync<ProblemException>(() => Refresh(tokens.RefreshToken));
    }
}
