using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Auth;

/// <summary>A one-time password-setup token as the admin receives it: shown once, stored only as a hash.</summary>
public sealed record PasswordSetupDto(string Token, DateTimeOffset ExpiresAt);

/// <summary>
/// The first password of a staff account that has no way to sign in yet (a tutor created by an approved
/// application: no password, no Google identity, and Google sign-in never links a staff account by email).
/// An admin hands the one-time token to the person; using it sets the password and signs them in.
/// </summary>
public sealed class PasswordSetupService(
    CoursePlatformDbContext db, SessionService sessions, IPasswordHasher<User> hasher, TimeProvider time, ILogger<PasswordSetupService> logger)
{
    public const int MinPasswordLength = 12;

    /// <summary>A fresh token for the user; earlier unused tokens of the user stop working.</summary>
    public async Task<PasswordSetupDto> IssueAsync(Guid userId, CancellationToken cancellationToken)
    {
        var (token, expiresAt) = await PasswordSetupToken.IssueAsync(db, userId, time.GetUtcNow(), cancellationToken);
        return new PasswordSetupDto(token, expiresAt);
    }

    /// <summary>Uses the token (once: a conditional update) to set the password, and starts a session.</summary>
    public async Task<TokenResponse> CompleteAsync(string token, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        if (password.Length < MinPasswordLength)
            throw ProblemException.Validation("password", $"Use at least {MinPasswordLength} characters.");
        var now = time.GetUtcNow();
        var hash = PasswordSetupToken.HashOf(token);
        // The token is spent only together with the password it set.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var userIds = await db.Database.SqlQuery<Guid>($"""
            UPDATE password_setup_tokens SET used_at = {now}
            WHERE token_hash = {hash} AND used_at IS NULL AND expires_at > {now}
            RETURNING user_id AS "Value"
            """).ToListAsync(cancellationToken);
        if (userIds.Count == 0)
            throw ProblemException.BadRequest("This password-setup link is unknown, used or expired; ask an admin for a new one.", ProblemCodes.SetupTokenInvalid);

        var user = await db.Users.SingleAsync(u => u.Id == userIds[0], cancellationToken);
        user.PasswordHash = hasher.HashPassword(user, password);
        user.UpdatedAt = now;
        var tokens = await sessions.StartAsync(user, client, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Password set up for user {UserId}", user.Id);
        return tokens;
    }
}
