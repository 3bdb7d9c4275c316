using CoursePlatform.Functions.Infrastructure.Http;
using System.Security.Cryptography;
using System.Text;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Features.Auth;

public sealed record UserProfile(Guid Id, string Email, string? FullName, string? Picture, UserRole Role)
{
    public static UserProfile From(User user) => new(user.Id, user.Email, user.FullName, user.PictureUrl, user.Role);
}

public sealed record TokenResponse(string AccessToken, string RefreshToken, string TokenType, int ExpiresIn, UserProfile User);


/// <summary>
/// Refresh-token sessions. Each refresh token is a row holding only its SHA-256; a refresh rotates it
/// (the old row is marked rotated, a new row joins the same family). Presenting a rotated token again
/// within <see cref="AuthOptions.RefreshReuseGraceSeconds"/> of its rotation, by the client (address and
/// User-Agent) it was issued to, is a second tab that refreshed at the same moment: it gets a fresh pair of the
/// same family, once per rotated token (a further presentation within the grace is refused, nothing revoked).
/// Later it means the token was copied: the whole family is revoked. The family id is the session id in access tokens.
/// </summary>
public sealed class SessionService(
    CoursePlatformDbContext db, AccessTokens accessTokens, IOptions<AuthOptions> options, TimeProvider time, ILogger<SessionService> logger)
{
    private TimeSpan RefreshLifetime => TimeSpan.FromDays(options.Value.RefreshTokenDays);

    /// <summary>Starts a new session (token family) for a user who just signed in.</summary>
    public async Task<TokenResponse> StartAsync(User user, ClientInfo client, CancellationToken cancellationToken)
    {
        user.LastLoginAt = time.GetUtcNow();
        var (row, refreshToken) = NewToken(user.Id, Guid.CreateVersion7(), client);
        db.UserSessions.Add(row);
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Session {SessionId} started for user {UserId}", row.FamilyId, user.Id);
        return Respond(user, row.FamilyId, refreshToken);
    }

    public async Task<TokenResponse> RefreshAsync(string refreshToken, ClientInfo client, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var hash = Hash(refreshToken);
        var current = await db.UserSessions.Include(s => s.User).SingleOrDefaultAsync(s => s.RefreshTokenHash == hash, cancellationToken);
        if (current is null || current.RevokedAt is not null || current.ExpiresAt <= now)
            throw InvalidGrant();

        // Claim the token atomically: of two requests presenting it, only one rotates it.
        var claimed = await db.UserSessions
            .Where(s => s.Id == current.Id && s.RotatedAt == null && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RotatedAt, now), cancellationToken);
        if (claimed == 0)
        {
            var rotatedAt = await db.UserSessions.Where(s => s.Id == current.Id && s.RevokedAt == null)
                .Select(s => s.RotatedAt).SingleOrDefaultAsync(cancellationToken);
            // The grace is for another tab of the same browser: the client the token was issued to, within seconds.
            var sameClient = current.UserAgent == Truncate(client.UserAgent, 512) && current.IpAddress == Truncate(client.IpAddress, 64);
            if (rotatedAt is { } at && sameClient && now - at <= TimeSpan.FromSeconds(options.Value.RefreshReuseGraceSeconds))
            {
                // One replacement per rotated token (the second tab), claimed atomically: more would let one token mint pairs without end.
                var replaced = await db.UserSessions
                    .Where(s => s.Id == current.Id && s.GraceReplacedAt == null && s.RevokedAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.GraceReplacedAt, now), cancellationToken);
                if (replaced == 0)
                {
                    logger.LogWarning("Refresh of session {SessionId} within the reuse grace refused: its one replacement was already issued", current.FamilyId);
                    throw InvalidGrant();
                }
                logger.LogInformation("Refresh of session {SessionId} within the reuse grace: a concurrent refresh", current.FamilyId);
                return await IssueNextAsync(current, client, cancellationToken);
            }
            await RevokeFamilyAsync(current.FamilyId, "refresh-token-reuse", cancellationToken);
            logger.LogWarning("Refresh token reuse: session {SessionId} of user {UserId} revoked", current.FamilyId, current.UserId);
            throw InvalidGrant();
        }

        return await IssueNextAsync(current, client, cancellationToken);
    }

    private async Task<TokenResponse> IssueNextAsync(UserSession current, ClientInfo client, CancellationToken cancellationToken)
    {
        var (next, token) = NewToken(current.UserId, current.FamilyId, client);
        db.UserSessions.Add(next);
        await db.SaveChangesAsync(cancellationToken);
        return Respond(current.User, current.FamilyId, token);
    }

    /// <summary>Ends a session: every token of the family stops working, and so do its access tokens.</summary>
    public Task<int> RevokeFamilyAsync(Guid familyId, string reason, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.UserSessions
            .Where(s => s.FamilyId == familyId && s.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.RevokedAt, now).SetProperty(x => x.RevokedReason, reason), cancellationToken);
    }

    /// <summary>SHA-256 of the token text: what the database keeps instead of the token.</summary>
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>32 random bytes, base64url: the refresh token and one-time codes.</summary>
    public static string NewSecret() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private (UserSession Row, string Token) NewToken(Guid userId, Guid familyId, ClientInfo client)
    {
        var token = NewSecret();
        var now = time.GetUtcNow();
        return (new UserSession
        {
            UserId = userId,
            FamilyId = familyId,
            RefreshTokenHash = Hash(token),
            CreatedAt = now,
            ExpiresAt = now + RefreshLifetime,
            IpAddress = Truncate(client.IpAddress, 64),
            UserAgent = Truncate(client.UserAgent, 512),
        }, token);
    }

    private TokenResponse Respond(User user, Guid sessionId, string refreshToken) => new(
        accessTokens.Issue(user.Id, sessionId, user.Role),
        refreshToken,
        "Bearer",
        (int)accessTokens.Lifetime.TotalSeconds,
        UserProfile.From(user));

    private static ProblemException InvalidGrant() =>
        ProblemException.Unauthorized("The refresh token is invalid, expired or already used; sign in again.", "invalid_grant", ProblemCodes.InvalidGrant);

    private static string? Truncate(string? value, int max) => value is null || value.Length <= max ? value : value[..max];
}
