using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>How the app proves who it is to PostgreSQL.</summary>
public enum DatabaseAuthentication
{
    /// <summary>The password in the connection string (local development, and the Bicep's password mode).</summary>
    Password,

    /// <summary>
    /// A Microsoft Entra ID access token of the app's identity (<c>DefaultAzureCredential</c>, which picks the
    /// user-assigned identity from <c>AZURE_CLIENT_ID</c>), fetched again every <see cref="DatabaseOptions.PasswordRefreshSeconds"/>.
    /// </summary>
    EntraId,
}

/// <summary>App settings <c>Database__*</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Npgsql connection string; in Azure without a password (Entra ID) or a Key Vault reference (password mode).</summary>
    [Required]
    public string ConnectionString { get; set; } = "";

    public DatabaseAuthentication Authentication { get; set; } = DatabaseAuthentication.Password;

    /// <summary>
    /// Seconds between token fetches in <see cref="DatabaseAuthentication.EntraId"/> mode. Only new physical
    /// connections present the token, and the credential caches it until shortly before it expires, so a fetch is
    /// usually free; the interval bounds how long an expired token could be offered.
    /// </summary>
    [Range(1, 3600)]
    public int PasswordRefreshSeconds { get; set; } = 300;
}
