using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

/// <summary>
/// A sign-in in progress at the identity provider (OpenID Connect state, PKCE verifier, nonce). Kept in
/// the database so whichever instance receives the callback can finish it; single use, short-lived.
/// </summary>
public class AuthLoginState
{
    public Guid Id { get; set; }
    /// <summary>SHA-256 of the <c>state</c> parameter.</summary>
    public required byte[] StateHash { get; set; }
    public required string CodeVerifier { get; set; }
    public required string Nonce { get; set; }
    /// <summary>The allowed frontend URL to return to.</summary>
    public required string RedirectUri { get; set; }
    /// <summary>The frontend's S256 challenge (base64url SHA-256 of a verifier it keeps); the code exchange must present the verifier.</summary>
    public string? CodeChallenge { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }
}

public class AuthLoginStateConfiguration : IEntityTypeConfiguration<AuthLoginState>
{
    public void Configure(EntityTypeBuilder<AuthLoginState> builder)
    {
        builder.HasIndex(x => x.StateHash).IsUnique();
        builder.HasIndex(x => x.ExpiresAt);
        builder.Property(x => x.CodeVerifier).HasMaxLength(128);
        builder.Property(x => x.Nonce).HasMaxLength(128);
        builder.Property(x => x.RedirectUri).HasMaxLength(2048);
        builder.Property(x => x.CodeChallenge).HasMaxLength(64);
        builder.ToTable(t => t.HasCheckConstraint("ck_auth_login_states_hash_length", "octet_length(state_hash) = 32"));
    }
}

/// <summary>
/// The one-time code the backend hands the frontend after a sign-in (never tokens in a URL); the
/// frontend trades it for tokens once, within a minute.
/// </summary>
public class AuthLoginCode
{
    public Guid Id { get; set; }
    /// <summary>SHA-256 of the code.</summary>
    public required byte[] CodeHash { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    /// <summary>The challenge of the sign-in that minted the code, carried over from its login state.</summary>
    public string? CodeChallenge { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? ConsumedAt { get; set; }
}

public class AuthLoginCodeConfiguration : IEntityTypeConfiguration<AuthLoginCode>
{
    public void Configure(EntityTypeBuilder<AuthLoginCode> builder)
    {
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => x.CodeHash).IsUnique();
        builder.HasIndex(x => x.UserId);
        builder.HasIndex(x => x.ExpiresAt);
        builder.Property(x => x.CodeChallenge).HasMaxLength(64);
        builder.ToTable(t => t.HasCheckConstraint("ck_auth_login_codes_hash_length", "octet_length(code_hash) = 32"));
    }
}

/// <summary>
/// Fixed-window counters shared by every rate limit (failed staff logins per email and per IP, tutor
/// requests per user, public applications per IP). In the database, so limits hold across restarts
/// and scaled-out instances.
/// </summary>
public class RateLimitCounter
{
    public Guid Id { get; set; }
    /// <summary>What is counted, e.g. <c>login-email:ana@example.com</c> or <c>tutor-ask:{userId}</c>.</summary>
    public required string Key { get; set; }
    public DateTimeOffset WindowStart { get; set; }
    public DateTimeOffset WindowEnd { get; set; }
    public int Count { get; set; }
}

public class RateLimitCounterConfiguration : IEntityTypeConfiguration<RateLimitCounter>
{
    public void Configure(EntityTypeBuilder<RateLimitCounter> builder)
    {
        builder.Property(x => x.Key).HasMaxLength(400);
        builder.HasIndex(x => new { x.Key, x.WindowStart }).IsUnique();
        builder.HasIndex(x => x.WindowEnd); // sweeping ended windows
        builder.ToTable(t => t.HasCheckConstraint("ck_rate_limit_counters_count", "count >= 0"));
    }
}
