using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Auth;

/// <summary>
/// Email + password sign-in for tutors and admins. Unknown email and wrong password look the same
/// (message and timing); failed attempts are limited per email and per IP address in the database.
/// </summary>
public sealed class StaffLoginService(
    CoursePlatformDbContext db, SessionService sessions, RateLimiter limiter, IPasswordHasher<User> hasher, ILogger<StaffLoginService> logger)
{
    public const int MaxFailuresPerEmail = 5;
    public const int MaxFailuresPerIp = 20;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);

    /// <summary>Verified against when the email is unknown, so both paths cost one slow hash.</summary>
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(new User { Email = "nobody@example.com" }, "not a password");

    public async Task<TokenResponse> LoginAsync(string email, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        email = email.Trim().ToLowerInvariant();
        var emailKey = $"login-email:{email}";
        var ipKey = $"login-ip:{client.IpAddress ?? "unknown"}";
        foreach (var (key, limit) in new[] { (emailKey, MaxFailuresPerEmail), (ipKey, MaxFailuresPerIp) })
        {
            var state = await limiter.PeekAsync(key, limit, FailureWindow, cancellationToken);
            if (!state.Allowed) throw ProblemException.TooManyRequests(state.RetryAfter, "Too many failed sign-in attempts; try again later.");
        }

        var user = await db.Users.SingleOrDefaultAsync(
            u => u.Email == email && u.PasswordHash != null && (u.Role == UserRole.Tutor || u.Role == UserRole.Admin), cancellationToken);
        var result = hasher.VerifyHashedPassword(user ?? new User { Email = email }, user?.PasswordHash ?? DummyHash, password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            await limiter.HitAsync(emailKey, MaxFailuresPerEmail, FailureWindow, cancellationToken);
            await limiter.HitAsync(ipKey, MaxFailuresPerIp, FailureWindow, cancellationToken);
            logger.LogInformation("Staff sign-in failed");
            throw ProblemException.Unauthorized("The email or password is incorrect.");
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        await limiter.ResetAsync(emailKey, FailureWindow, cancellationToken);
        return await sessions.StartAsync(user, client, cancellationToken);
    }
}
