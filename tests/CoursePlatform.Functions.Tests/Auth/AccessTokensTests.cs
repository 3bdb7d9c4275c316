using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Auth;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoursePlatform.Functions.Tests.Auth;

public class AccessTokensTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    private static AccessTokens Tokens(string key = TestApp.SigningKey, string issuer = "https://issuer", string audience = "api") =>
        new(Options.Create(new AuthOptions { SigningKey = key, Issuer = issuer, Audience = audience }), Clock);

    [Fact]
    public async Task A_token_carries_user_session_and_role_and_lives_15_minutes()
    {
        var tokens = Tokens();
        var (user, session) = (Guid.NewGuid(), Guid.NewGuid());
        var token = tokens.Issue(user, session, UserRole.Tutor);

        Assert.Equal(TimeSpan.FromMinutes(15), tokens.Lifetime);
        Assert.Equal(new Caller(user, session, UserRole.Tutor), await tokens.ValidateAsync(token));
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var clock = new FakeTimeProvider(Clock.GetUtcNow());
        var tokens = new AccessTokens(Options.Create(new AuthOptions { SigningKey = TestApp.SigningKey }), clock);
        var token = tokens.Issue(Guid.NewGuid(), Guid.NewGuid(), UserRole.Learner);

        clock.Advance(TimeSpan.FromMinutes(14));
        Assert.NotNull(await tokens.ValidateAsync(token));
        clock.Advance(TimeSpan.FromMinutes(2)); // past 15 min + 30 s skew
        Assert.Null(await tokens.ValidateAsync(token));
    }

    [Fact]
    public async Task Tokens_of_another_key_issuer_or_audience_and_tampered_tokens_are_refused()
    {
        var token = Tokens().Issue(Guid.NewGuid(), Guid.NewGuid(), UserRole.Learner);
        var otherKey = Convert.ToBase64String(new byte[48]);

        Assert.Null(await Tokens(key: otherKey).ValidateAsync(token));
        Assert.Null(await Tokens(issuer: "https://other").ValidateAsync(token));
        Assert.Null(await Tokens(audience: "other").ValidateAsync(token));
        var parts = token.Split('.');
        var forgedPayload = parts[1][..^2] + (parts[1][^2] == 'A' ? "B" : "A") + parts[1][^1];
        Assert.Null(await Tokens().ValidateAsync($"{parts[0]}.{forgedPayload}.{parts[2]}"));
        Assert.Null(await Tokens().ValidateAsync("not-a-jwt"));
    }

    [Fact]
    public async Task An_unsigned_token_is_refused()
    {
        var token = Tokens().Issue(Guid.NewGuid(), Guid.NewGuid(), UserRole.Admin);
        var parts = token.Split('.');
        var none = Convert.ToBase64String("""{"alg":"none","typ":"JWT"}"""u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        Assert.Null(await Tokens().ValidateAsync($"{none}.{parts[1]}."));
    }

    [Theory]
    [InlineData("sub")]
    [InlineData("sid")]
    [InlineData("role")]
    public async Task A_correctly_signed_token_missing_a_claim_is_refused(string missing)
    {
        var claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString(), ["sid"] = Guid.NewGuid().ToString(), ["role"] = "admin" };
        claims.Remove(missing);
        var now = Clock.GetUtcNow().UtcDateTime;
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "https://issuer", Audience = "api", IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(5), Claims = claims,
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String(TestApp.SigningKey)), "HS256"),
        });

        Assert.Null(await Tokens().ValidateAsync(token));
    }

    [Fact]
    public async Task A_token_with_an_unknown_role_is_refused()
    {
        var now = Clock.GetUtcNow().UtcDateTime;
        var token = new Microsoft.IdentityModel.JsonWebTokens.JsonWebTokenHandler().CreateToken(new Microsoft.IdentityModel.Tokens.SecurityTokenDescriptor
        {
            Issuer = "https://issuer", Audience = "api", IssuedAt = now, NotBefore = now, Expires = now.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["sub"] = Guid.NewGuid().ToString(), ["sid"] = Guid.NewGuid().ToString(), ["role"] = "superuser" },
            SigningCredentials = new Microsoft.IdentityModel.Tokens.SigningCredentials(
                new Microsoft.IdentityModel.Tokens.SymmetricSecurityKey(Convert.FromBase64String(TestApp.SigningKey)), "HS256"),
        });

        Assert.Null(await Tokens().ValidateAsync(token));
    }

    [Theory]
    [InlineData("")]
    [InlineData("c2hvcnQ=")] // 5 bytes
    [InlineData("not base64!")]
    public void A_signing_key_shorter_than_32_bytes_fails_validation(string key)
    {
        var results = new AuthOptions { SigningKey = key }.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(new object()));
        Assert.NotEmpty(results);
    }
}
