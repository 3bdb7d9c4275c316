using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Auth;

public sealed class StaffLoginTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    private const string Password = "correct horse battery staple";
    private readonly TestApp app = new(database);

    public void Dispose() => app.Dispose();

    private async Task<User> Staff(UserRole role = UserRole.Admin, string? password = Password) =>
        await app.CreateUserAsync(role, configure: u => u.PasswordHash = password is null ? null : new PasswordHasher<User>().HashPassword(u, password));

    private Task<TokenResponse> Login(string email, string password, string ip = "198.51.100.1") =>
        app.Run<StaffLoginService, TokenResponse>(s => s.LoginAsync(email, password, new ClientInfo(ip, "tests"), default));

    [Fact]
    public async Task Staff_sign_in_with_email_and_password_whatever_the_email_case()
    {
        var admin = await Staff();

        var tokens = await Login("  " + admin.Email.ToUpperInvariant(), Password);

        Assert.Equal(admin.Id, tokens.User.Id);
        Assert.Equal(UserRole.Admin, tokens.User.Role);
    }

    [Fact]
    public async Task Unknown_email_wrong_password_and_learners_get_the_same_answer()
    {
        var tutor = await Staff(UserRole.Tutor);
        var learnerWithPassword = await Staff(UserRole.Learner);

        var wrong = await Assert.ThrowsAsync<ProblemException>(() => Login(tutor.Email, "wrong"));
        var unknown = await Assert.ThrowsAsync<ProblemException>(() => Login("nobody@example.com", Password));
        var learner = await Assert.ThrowsAsync<ProblemException>(() => Login(learnerWithPassword.Email, Password));

        Assert.All([wrong, unknown, learner], p =>
        {
            Assert.Equal(HttpStatusCode.Unauthorized, p.Status);
            Assert.Equal("The email or password is incorrect.", p.Detail);
        });
    }

    [Fact]
    public async Task Failures_lock_out_the_address_that_made_them_not_the_account_then_the_window_passes()
    {
        var admin = await Staff();
        const string attacker = "198.51.100.66";
        for (var i = 0; i < StaffLoginService.MaxFailuresPerEmailAndAddress; i++)
            await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, "wrong", attacker));

        // The address that failed is locked out of this account, even with the right password...
        var limited = await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, Password, attacker));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.True(int.Parse(limited.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) > 0);
        // ...while the admin, from an address that has not failed, signs in: the lockout cannot be aimed.
        Assert.Equal(admin.Id, (await Login(admin.Email, Password, ip: "198.51.100.7")).User.Id);

        // Once Retry-After has passed, the sliding window lets the right password in again.
        app.Clock.Advance(TimeSpan.FromSeconds(int.Parse(limited.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(admin.Id, (await Login(admin.Email, Password, attacker)).User.Id);
    }

    /// <summary>Moves the test clock to <paramref name="before"/> ahead of the next boundary of the failure window's buckets.</summary>
    private void JustBeforeABoundary(TimeSpan before)
    {
        var window = StaffLoginService.FailureWindow;
        app.Clock.Advance(window - TimeSpan.FromTicks(app.Clock.GetUtcNow().UtcTicks % window.Ticks) - before);
    }

    [Fact]
    public async Task Failures_of_one_email_straddling_a_window_boundary_get_no_second_allowance()
    {
        var admin = await Staff();
        const string attacker = "198.51.100.67";
        JustBeforeABoundary(TimeSpan.FromSeconds(1));
        for (var i = 0; i < StaffLoginService.MaxFailuresPerEmailAndAddress; i++)
            await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, "wrong", attacker));

        app.Clock.Advance(TimeSpan.FromSeconds(2)); // a fixed window started counting from zero here
        var limited = await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, "wrong", attacker));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.True(int.Parse(limited.Headers["Retry-After"], System.Globalization.CultureInfo.InvariantCulture) > 60);
    }

    [Fact]
    public async Task Failures_of_one_address_straddling_a_window_boundary_get_no_second_allowance()
    {
        var admin = await Staff();
        const string ip = "192.0.2.60";
        JustBeforeABoundary(TimeSpan.FromSeconds(1));
        for (var i = 0; i < StaffLoginService.MaxFailuresPerAddress; i++)
            await Assert.ThrowsAsync<ProblemException>(() => Login($"guess{i}-{Guid.NewGuid():N}@example.com", "wrong", ip));

        app.Clock.Advance(TimeSpan.FromSeconds(2));
        var limited = await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, Password, ip));

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(admin.Id, (await Login(admin.Email, Password, ip: "192.0.2.61")).User.Id);
    }

    [Fact]
    public async Task A_success_clears_the_failures_that_still_weigh_from_the_previous_bucket()
    {
        var admin = await Staff();
        const string ip = "203.0.113.70";
        JustBeforeABoundary(TimeSpan.FromSeconds(1));
        for (var i = 0; i < StaffLoginService.MaxFailuresPerEmailAndAddress - 1; i++)
            await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, "wrong", ip));
        app.Clock.Advance(TimeSpan.FromSeconds(2));
        await Login(admin.Email, Password, ip);

        // Four failures just before the boundary would still weigh almost four; the success forgot them.
        for (var i = 0; i < StaffLoginService.MaxFailuresPerEmailAndAddress - 1; i++)
            await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, "wrong", ip));
        Assert.Equal(admin.Id, (await Login(admin.Email, Password, ip)).User.Id);
    }

    [Fact]
    public async Task Failures_spread_over_many_addresses_never_lock_the_account()
    {
        var admin = await Staff();
        for (var i = 0; i < 3 * StaffLoginService.MaxFailuresPerEmailAndAddress; i++)
            await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, "wrong", ip: $"198.51.100.{10 + i}"));
        Assert.Equal(admin.Id, (await Login(admin.Email, Password, ip: "198.51.100.99")).User.Id);
    }

    [Fact]
    public async Task Failed_attempts_are_limited_per_ip_across_emails()
    {
        var admin = await Staff();
        const string ip = "192.0.2.50";
        for (var i = 0; i < StaffLoginService.MaxFailuresPerAddress; i++)
            await Assert.ThrowsAsync<ProblemException>(() => Login($"guess{i}@example.com", "wrong", ip));

        var limited = await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, Password, ip));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.Status);
        Assert.Equal(admin.Id, (await Login(admin.Email, Password, ip: "192.0.2.51")).User.Id);
    }

    [Fact]
    public async Task A_success_clears_the_failures_of_that_email()
    {
        var admin = await Staff();
        for (var i = 0; i < StaffLoginService.MaxFailuresPerEmailAndAddress - 1; i++)
            await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, "wrong"));
        await Login(admin.Email, Password);

        for (var i = 0; i < StaffLoginService.MaxFailuresPerEmailAndAddress - 1; i++)
            await Assert.ThrowsAsync<ProblemException>(() => Login(admin.Email, "wrong", ip: "203.0.113.1"));
        Assert.Equal(admin.Id, (await Login(admin.Email, Password, ip: "203.0.113.1")).User.Id);
    }

    [Fact]
    public async Task Sign_in_records_the_last_login_and_stores_no_password()
    {
        var admin = await Staff();
        await Login(admin.Email, Password);

        var stored = await app.Run<CoursePlatformDbContext, User>(db => db.Users.AsNoTracking().SingleAsync(u => u.Id == admin.Id));
        Assert.Equal(app.Clock.GetUtcNow(), stored.LastLoginAt);
        Assert.DoesNotContain(Password, stored.PasswordHash!, StringComparison.Ordinal);
        Assert.StartsWith("AQAAAA", stored.PasswordHash!, StringComparison.Ordinal); // Identity v3 format: PBKDF2 with salt
    }
}
