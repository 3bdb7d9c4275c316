using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Auth;

/// <summary>
/// Email + password sign-in for tutors and admins. Unknown email and wrong password look the same
/// (message and timing). Failed attempts are counted in the database per (email, client address) and per
/// client address, never per email alone: five wrong guesses from one address lock that address out of that
/// account, twenty from one address lock it out of every account, and a correct password from an address
/// that has not failed still signs in while somebody else floods the same email. The address is the one the
/// platform recorded (<see cref="ClientAddress"/>); when none is known only the pair counter applies.
/// </summary>
public sealed class StaffLoginService(
    CoursePlatformDbContext db, SessionService sessions, RateLimiter limiter, IPasswordHasher<User> hasher, ILogger<StaffLoginService> logger)
{
    public const int MaxFailuresPerEmailAndAddress = 5;
    public const int MaxFailuresPerAddress = 20;
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);

    /// <summary>Verified against when the email is unknown, so both paths cost one slow hash.</summary>
    private static readonly string DummyHash = new PasswordHasher<User>().HashPassword(new User { Email = "nobody@example.com" }, "not a password");

    public async Task<TokenResponse> LoginAsync(string email, string password, ClientInfo client, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        email = email.Trim().ToLowerInvariant();
        var address = ClientAddress.LimitKey(client.IpAddress);
        var pairKey = $"login-pair:{address ?? "unknown"}|{email}";
        var limits = new List<(string Key, int Limit)> { (pairKey, MaxFailuresPerEmailAndAddress) };
        if (address is not null) limits.Add(($"login-ip:{address}", MaxFailuresPerAddress));
        // Every attempt is counted before the password is checked, atomically, so parallel guesses cannot all
        // slip past one check; a success gives its count back.
        var decisions = new List<RateLimitDecision>();
        foreach (var (key, limit) in limits) decisions.Add(await limiter.HitAsync(key, limit, FailureWindow, cancellationToken));
        if (decisions.FirstOrDefault(d => !d.Allowed) is { } over)
            throw ProblemException.TooManyRequests(over.RetryAfter, "Too many failed sign-in attempts; try again later.");

        var user = await db.Users.SingleOrDefaultAsync(
            u => u.Email == email && u.PasswordHash != null && (u.Role == UserRole.Tutor || u.Role == UserRole.Admin), cancellationToken);
        var result = hasher.VerifyHashedPassword(user ?? new User { Email = email }, user?.PasswordHash ?? DummyHash, password);
        if (user is null || result == PasswordVerificationResult.Failed)
        {
            logger.LogInformation("Staff sign-in failed");
            throw ProblemException.Unauthorized("The email or password is incorrect.", code: ProblemCodes.InvalidCredentials);
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        await limiter.ResetAsync(pairKey, FailureWindow, cancellationToken);
        if (address is not null) await limiter.ReleaseAsync($"login-ip:{address}", FailureWindow, cancellationToken);
        return await sessions.StartAsync(user, client, cancellationToken);
    }
}
