using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>App settings <c>Database__*</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>Npgsql connection string; in Azure a Key Vault reference.</summary>
    [Required]
    public string ConnectionString { get; set; } = "";
}
