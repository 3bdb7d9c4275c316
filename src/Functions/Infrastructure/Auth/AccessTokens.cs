using System.Security.Claims;
using CoursePlatform.Data;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace CoursePlatform.Functions.Infrastructure.Auth;

/// <summary>Issues and validates the short-lived access JWT (HS256): user id, session id, role.</summary>
public sealed class AccessTokens
{
    private const string SessionClaim = "sid";
    private const string RoleClaim = "role";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private readonly AuthOptions options;
    private readonly TimeProvider time;
    private readonly SymmetricSecurityKey key;
    private readonly JsonWebTokenHandler handler = new() { MapInboundClaims = false };

    public AccessTokens(IOptions<AuthOptions> options, TimeProvider time)
    {
        this.options = options.Value;
        this.time = time;
        key = new SymmetricSecurityKey(this.options.SigningKeyBytes());
    }

    public TimeSpan Lifetime => TimeSpan.FromMinutes(options.AccessTokenMinutes);

    public string Issue(Guid userId, Guid sessionId, UserRole role)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = options.Issuer,
            Audience = options.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + Lifetime,
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = userId.ToString(),
                [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
                [SessionClaim] = sessionId.ToString(),
                [RoleClaim] = Json.Label(role),
            },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });
    }

    /// <summary>The caller the token names, or null when it is not a valid, current token of ours.</summary>
    public async Task<Caller?> ValidateAsync(string token)
    {
        var result = await handler.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = options.Issuer,
            ValidAudience = options.Audience,
            IssuerSigningKey = key,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
            RequireExpirationTime = true,
            RequireSignedTokens = true,
            // Lifetime against our TimeProvider, so tests can move the clock.
            LifetimeValidator = (notBefore, expires, _, _) =>
            {
                var now = time.GetUtcNow().UtcDateTime;
                return expires is { } exp && now <= exp + ClockSkew && (notBefore is not { } nbf || now >= nbf - ClockSkew);
            },
        });
        if (!result.IsValid) return null;

        var claims = result.ClaimsIdentity;
        return Guid.TryParse(claims.FindFirst(JwtRegisteredClaimNames.Sub)?.Value, out var userId)
            && Guid.TryParse(claims.FindFirst(SessionClaim)?.Value, out var sessionId)
            && Json.TryParseLabel<UserRole>(claims.FindFirst(RoleClaim)?.Value, out var role)
            ? new Caller(userId, sessionId, role)
            : null;
    }
}
