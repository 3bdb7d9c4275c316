using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Infrastructure.Auth;

/// <summary>App settings <c>Auth__*</c>: token issuing and session lifetimes.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string Section = "Auth";

    [Required] public string Issuer { get; set; } = "https://courseplatform.local";
    [Required] public string Audience { get; set; } = "courseplatform-api";

    /// <summary>Base64 HMAC-SHA256 key of at least 32 bytes; in Azure a Key Vault reference.</summary>
    [Required] public string SigningKey { get; set; } = "";

    [Range(1, 60)] public int AccessTokenMinutes { get; set; } = 15;
    [Range(1, 365)] public int RefreshTokenDays { get; set; } = 30;
    /// <summary>
    /// Seconds after a rotation in which the token just rotated still yields a fresh pair of the same session
    /// (two tabs refreshing at once); presented later it means theft and revokes the session.
    /// </summary>
    [Range(0, 120)] public int RefreshReuseGraceSeconds { get; set; } = 30;
    /// <summary>How long revoked sessions are kept (for theft forensics) before the expiry timer deletes them.</summary>
    [Range(0, 365)] public int RevokedSessionRetentionDays { get; set; } = 7;

    public byte[] SigningKeyBytes() => Convert.FromBase64String(SigningKey);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        // Reported by name (log, health 503) rather than failing start-up: a restart once the vault is readable fixes it.
        if (UnresolvedSettings.IsKeyVaultReference(SigningKey)) yield break;
        byte[]? key = null;
        try { key = SigningKeyBytes(); } catch (FormatException) { }
        if (key is null || key.Length < 32)
            yield return new ValidationResult("Auth:SigningKey must be base64 of at least 32 random bytes.", [nameof(SigningKey)]);
    }
}
