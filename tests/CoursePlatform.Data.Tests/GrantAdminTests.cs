using CoursePlatform.Data.Model;
using CoursePlatform.DevTool;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Data.Tests;

/// <summary><c>DevTool grant-admin</c>: the first admin without hand-written SQL.</summary>
public class GrantAdminTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static string Email() => $"owner-{Guid.NewGuid():N}@example.com";

    [Fact]
    public async Task A_new_email_becomes_an_admin_with_a_one_time_password_setup_token()
    {
        await using var db = database.CreateContext();
        var email = Email();
        var result = await GrantAdmin.ApplyAsync(db, "  " + email.ToUpperInvariant(), TimeProvider.System, default);

        Assert.True(result.Created);
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Email == email);
        Assert.Equal((UserRole.Admin, result.UserId), (user.Role, user.Id));
        var stored = await db.PasswordSetupTokens.AsNoTracking().SingleAsync(t => t.UserId == user.Id);
        Assert.Equal(PasswordSetupToken.HashOf(result.SetupToken!), stored.TokenHash);
        Assert.Null(stored.UsedAt);

        // Granting again replaces the token: the first stops working.
        var again = await GrantAdmin.ApplyAsync(db, email, TimeProvider.System, default);
        Assert.False(again.Created);
        Assert.Equal(PasswordSetupToken.HashOf(again.SetupToken!), (await db.PasswordSetupTokens.AsNoTracking().SingleAsync(t => t.UserId == user.Id)).TokenHash);
    }

    [Fact]
    public async Task An_existing_account_is_promoted_and_one_that_can_sign_in_gets_no_token()
    {
        await using var db = database.CreateContext();
        var learner = Build.User(DateTimeOffset.UtcNow, UserRole.Learner, Email());
        (learner.AuthProvider, learner.ProviderSubject) = ("google", Guid.NewGuid().ToString());
        var tutor = Build.User(DateTimeOffset.UtcNow, UserRole.Tutor, Email());
        tutor.PasswordHash = "hash";
        db.Users.AddRange(learner, tutor);
        await db.SaveChangesAsync();

        var promoted = await GrantAdmin.ApplyAsync(db, learner.Email, TimeProvider.System, default);
        var staff = await GrantAdmin.ApplyAsync(db, tutor.Email, TimeProvider.System, default);

        Assert.Equal((UserRole.Learner, false, (string?)null), (promoted.PreviousRole, promoted.Created, promoted.SetupToken));
        Assert.Equal((UserRole.Tutor, (string?)null), (staff.PreviousRole, staff.SetupToken));
        Assert.Equal(2, await db.Users.CountAsync(u => (u.Id == learner.Id || u.Id == tutor.Id) && u.Role == UserRole.Admin));
        await Assert.ThrowsAsync<DevToolException>(() => GrantAdmin.ApplyAsync(db, "not-an-email", TimeProvider.System, default));
    }
}
