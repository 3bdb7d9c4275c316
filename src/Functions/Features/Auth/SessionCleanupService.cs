using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Features.Auth;

public sealed record SessionCleanupResult(int ExpiredSessions, int RevokedSessions, int LoginStates, int LoginCodes, int RateLimitWindows);

/// <summary>
/// Housekeeping for the ExpireRefreshSessions timer: set-based deletes of what can no longer be used.
/// Idempotent; each statement is one indexed DELETE, so a million rows take seconds.
/// </summary>
public sealed class SessionCleanupService(
    CoursePlatformDbContext db, IOptions<AuthOptions> options, TimeProvider time, ILogger<SessionCleanupService> logger)
{
    /// <summary>
    /// Counters are kept a day past their window so recent abuse stays visible; a sliding window also reads the
    /// previous bucket, so this must outlast the longest window a limit uses (an hour).
    /// </summary>
    private static readonly TimeSpan RateLimitRetention = TimeSpan.FromDays(1);

    public async Task<SessionCleanupResult> RunAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var revokedBefore = now - TimeSpan.FromDays(options.Value.RevokedSessionRetentionDays);
        var counterBefore = now - RateLimitRetention;

        var result = new SessionCleanupResult(
            await db.UserSessions.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken),
            await db.UserSessions.Where(s => s.RevokedAt != null && s.RevokedAt <= revokedBefore).ExecuteDeleteAsync(cancellationToken),
            await db.AuthLoginStates.Where(s => s.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken),
            await db.AuthLoginCodes.Where(c => c.ExpiresAt <= now).ExecuteDeleteAsync(cancellationToken),
            await db.RateLimitCounters.Where(c => c.WindowEnd <= counterBefore).ExecuteDeleteAsync(cancellationToken));

        logger.LogInformation(
            "Session cleanup: {ExpiredSessions} expired and {RevokedSessions} revoked sessions, {LoginStates} login states, {LoginCodes} login codes, {RateLimitWindows} rate-limit windows deleted",
            result.ExpiredSessions, result.RevokedSessions, result.LoginStates, result.LoginCodes, result.RateLimitWindows);
        return result;
    }
}
