using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.DevTool;

/// <summary>
/// Makes an account an admin (creating it when no account has the email), so the first admin of a fresh
/// database (local or Azure) needs no hand-written SQL. An account with no way to sign in yet (no password, no
/// Google identity) gets a one-time password-setup token, used with <c>POST /api/auth/password-setup</c>.
/// </summary>
public static class GrantAdmin
{
    public sealed record Result(Guid UserId, UserRole PreviousRole, bool Created, string? SetupToken, DateTimeOffset? SetupExpiresAt);

    public static async Task<Result> ApplyAsync(CoursePlatformDbContext db, string email, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var normalized = (email ?? "").Trim().ToLowerInvariant();
        if (normalized.Length is 0 or > 320 || !normalized.Contains('@', StringComparison.Ordinal) || normalized.StartsWith('@') || normalized.EndsWith('@'))
            throw new DevToolException($"'{email}' is not an email address.", exitCode: 64);

        var now = time.GetUtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.Email == normalized, cancellationToken);
        var created = user is null;
        var previous = user?.Role ?? UserRole.Learner;
        if (user is null)
        {
            user = new User { Id = Guid.CreateVersion7(), Email = normalized, Role = UserRole.Admin, CreatedAt = now, UpdatedAt = now };
            db.Users.Add(user);
        }
        user.Role = UserRole.Admin;
        user.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);

        if (user.PasswordHash is not null || user.AuthProvider is not null) return new Result(user.Id, previous, created, null, null);
        var (token, expiresAt) = await PasswordSetupToken.IssueAsync(db, user.Id, now, cancellationToken);
        return new Result(user.Id, previous, created, token, expiresAt);
    }
}
