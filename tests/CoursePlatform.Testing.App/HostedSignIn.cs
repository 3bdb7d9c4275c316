using System.Security.Cryptography;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Auth;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Testing;

/// <summary>Callers of a <see cref="HostedApp"/> as sign-in leaves them: a live session and an access token for it.</summary>
public static class HostedSignIn
{
    /// <summary>Tokens as the hosted app issues and accepts them (its signing key), on <paramref name="clock"/>.</summary>
    public static AccessTokens Tokens(TimeProvider? clock = null) =>
        new(Options.Create(new AuthOptions { SigningKey = HostedApp.SigningKey }), clock ?? TimeProvider.System);

    public static async Task<(User User, string Token)> SignInAsync(this HostedApp app, UserRole role = UserRole.Learner, string? email = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        var now = DateTimeOffset.UtcNow;
        var user = Build.User(now, role, email);
        var session = new UserSession
        {
            User = user, FamilyId = Guid.NewGuid(), RefreshTokenHash = RandomNumberGenerator.GetBytes(32), CreatedAt = now, ExpiresAt = now.AddDays(1),
        };
        await using (var db = app.Database.CreateContext())
        {
            db.UserSessions.Add(session);
            await db.SaveChangesAsync();
        }
        return (user, Tokens().Issue(user.Id, session.FamilyId, role));
    }
}
