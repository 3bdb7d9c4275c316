using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

public class User
{
    public Guid Id { get; set; }
    /// <summary>Always stored trimmed and lower-case (a check constraint holds it), so uniqueness is case-insensitive.</summary>
    public required string Email { get; set; }
    public string? FullName { get; set; }
    public string? PictureUrl { get; set; }
    public UserRole Role { get; set; } = UserRole.Learner;
    /// <summary>OAuth provider ("google") and its subject; both null for staff created with a password only.</summary>
    public string? AuthProvider { get; set; }
    public string? ProviderSubject { get; set; }
    /// <summary>ASP.NET Core Identity PasswordHasher output; staff only.</summary>
    public string? PasswordHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public DateTimeOffset? LastLoginAt { get; set; }
}

public class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.Property(x => x.Email).HasMaxLength(320);
        builder.HasIndex(x => x.Email).IsUnique();
        builder.ToTable(t => t.HasCheckConstraint("ck_users_email_normalized", "email = lower(btrim(email)) AND email <> ''"));
        builder.Property(x => x.FullName).HasMaxLength(200);
        builder.Property(x => x.PictureUrl).HasMaxLength(2048);
        builder.Property(x => x.AuthProvider).HasMaxLength(50);
        builder.Property(x => x.ProviderSubject).HasMaxLength(255);
        builder.HasIndex(x => new { x.AuthProvider, x.ProviderSubject }).IsUnique()
            .HasFilter("auth_provider IS NOT NULL AND provider_subject IS NOT NULL");
        builder.ToTable(t => t.HasCheckConstraint("ck_users_provider_pair", "(auth_provider IS NULL) = (provider_subject IS NULL)"));
    }
}

/// <summary>
/// One row per refresh token. Rotation marks the row rotated and adds the next row of the same family;
/// presenting a rotated token revokes the family. The family id is the session id carried in access tokens.
/// </summary>
public class UserSession
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid FamilyId { get; set; }
    /// <summary>SHA-256 of the refresh token; the token itself is never stored.</summary>
    public required byte[] RefreshTokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? RotatedAt { get; set; }
    /// <summary>When this rotated token minted its one replacement within the reuse grace (a second tab); null until then.</summary>
    public DateTimeOffset? GraceReplacedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public string? RevokedReason { get; set; }
    public string? UserAgent { get; set; }
    public string? IpAddress { get; set; }
}

public class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => x.RefreshTokenHash).IsUnique();
        builder.HasIndex(x => x.FamilyId);
        builder.HasIndex(x => x.UserId);
        builder.HasIndex(x => x.ExpiresAt); // expiry timer
        builder.HasIndex(x => x.RevokedAt).HasFilter("revoked_at IS NOT NULL"); // retention sweep
        builder.Property(x => x.RevokedReason).HasMaxLength(100);
        builder.Property(x => x.UserAgent).HasMaxLength(512);
        builder.Property(x => x.IpAddress).HasMaxLength(64);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_user_sessions_hash_length", "octet_length(refresh_token_hash) = 32");
            t.HasCheckConstraint("ck_user_sessions_expiry", "expires_at > created_at");
        });
    }
}

public class Tutor
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public string? Headline { get; set; }
    public string? Bio { get; set; }
    public string[] Expertise { get; set; } = [];
    public string? LinkedInUrl { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class TutorConfiguration : IEntityTypeConfiguration<Tutor>
{
    public void Configure(EntityTypeBuilder<Tutor> builder)
    {
        builder.HasOne(x => x.User).WithOne().HasForeignKey<Tutor>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => x.UserId).IsUnique();
        builder.Property(x => x.Headline).HasMaxLength(200);
        builder.Property(x => x.Bio).HasMaxLength(4000);
        builder.Property(x => x.LinkedInUrl).HasMaxLength(2048);
    }
}

/// <summary>
/// A public application to tutor. At most one per email is pending (a partial unique index holds it); a
/// rejected applicant may apply again. Approval links the user account (created when none had the email).
/// </summary>
public class TutorApplication
{
    public Guid Id { get; set; }
    public required string FullName { get; set; }
    public required string Email { get; set; }
    public string[] Expertise { get; set; } = [];
    public required string Motivation { get; set; }
    /// <summary>Absolute http(s) URLs the applicant offers (profile, portfolio, talks).</summary>
    public string[] Links { get; set; } = [];
    public TutorApplicationStatus Status { get; set; } = TutorApplicationStatus.Pending;
    public string? ReviewReason { get; set; }
    /// <summary>The user account created or linked on approval.</summary>
    public Guid? UserId { get; set; }
    public User? User { get; set; }
    /// <summary>
    /// The account the applicant was signed in to when submitting (its email is the application's): the only
    /// proof of ownership that lets approval make an existing account a tutor.
    /// </summary>
    public Guid? ApplicantUserId { get; set; }
    public User? ApplicantUser { get; set; }
    public Guid? ReviewedById { get; set; }
    public User? ReviewedBy { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public class TutorApplicationConfiguration : IEntityTypeConfiguration<TutorApplication>
{
    public void Configure(EntityTypeBuilder<TutorApplication> builder)
    {
        builder.Property(x => x.FullName).HasMaxLength(200);
        builder.Property(x => x.Email).HasMaxLength(320);
        builder.Property(x => x.Motivation).HasMaxLength(4000);
        builder.Property(x => x.ReviewReason).HasMaxLength(2000);
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.ReviewedBy).WithMany().HasForeignKey(x => x.ReviewedById).OnDelete(DeleteBehavior.SetNull);
        builder.HasOne(x => x.ApplicantUser).WithMany().HasForeignKey(x => x.ApplicantUserId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(x => new { x.Status, x.CreatedAt }); // admin list by status, newest first
        builder.HasIndex(x => x.Email).IsUnique().HasFilter("status = 'pending'").HasDatabaseName("ux_tutor_applications_pending_email");
        builder.ToTable(t => t.HasCheckConstraint("ck_tutor_applications_email_normalized", "email = lower(btrim(email)) AND email <> ''"));
    }
}

/// <summary>
/// A one-time link to set the password of an account that has no way to sign in yet (a tutor created by an
/// approved application). Only the SHA-256 of the token is stored; using it once marks it used.
/// </summary>
public class PasswordSetupToken
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public required byte[] TokenHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset ExpiresAt { get; set; }
    public DateTimeOffset? UsedAt { get; set; }

    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(7);

    /// <summary>A fresh token (32 random bytes, base64url) and the hash that is stored of it.</summary>
    private static (string Token, byte[] Hash) NewToken()
    {
        var token = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, HashOf(token));
    }

    /// <summary>Issues a fresh token for the user (saved); the user's earlier unused tokens stop working.</summary>
    public static async Task<(string Token, DateTimeOffset ExpiresAt)> IssueAsync(
        CoursePlatformDbContext db, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var (token, hash) = NewToken();
        await db.PasswordSetupTokens.Where(t => t.UserId == userId && t.UsedAt == null).ExecuteDeleteAsync(cancellationToken);
        db.PasswordSetupTokens.Add(new PasswordSetupToken { Id = Guid.CreateVersion7(), UserId = userId, TokenHash = hash, CreatedAt = now, ExpiresAt = now + Lifetime });
        await db.SaveChangesAsync(cancellationToken);
        return (token, now + Lifetime);
    }

    public static byte[] HashOf(string token) => System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token));
}

public class PasswordSetupTokenConfiguration : IEntityTypeConfiguration<PasswordSetupToken>
{
    public void Configure(EntityTypeBuilder<PasswordSetupToken> builder)
    {
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => x.TokenHash).IsUnique();
        builder.HasIndex(x => x.UserId);
        builder.ToTable(t =>
        {
            t.HasCheckConstraint("ck_password_setup_tokens_hash_length", "octet_length(token_hash) = 32");
            t.HasCheckConstraint("ck_password_setup_tokens_expiry", "expires_at > created_at");
        });
    }
}

/// <summary>Staffing: a tutor assigned to a course.</summary>
public class CourseTutor
{
    public Guid Id { get; set; }
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public Guid TutorId { get; set; }
    public Tutor Tutor { get; set; } = null!;
    public DateTimeOffset AssignedAt { get; set; }
}

public class CourseTutorConfiguration : IEntityTypeConfiguration<CourseTutor>
{
    public void Configure(EntityTypeBuilder<CourseTutor> builder)
    {
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(x => x.Tutor).WithMany().HasForeignKey(x => x.TutorId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(x => new { x.CourseId, x.TutorId }).IsUnique();
        builder.HasIndex(x => x.TutorId);
    }
}
