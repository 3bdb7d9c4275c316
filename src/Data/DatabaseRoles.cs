using Npgsql;

namespace CoursePlatform.Data;

/// <summary>
/// The database rights the app runs with: read and write the rows of its tables and use their sequences, nothing
/// else (no DDL, no ownership, not an administrator). Migrations run as a more privileged role (the server's Entra
/// administrator in Azure, see infra/bicep/README.md); this grant is re-applied after every migration run because
/// GRANT ... ON ALL TABLES covers only the tables that exist when it runs.
/// </summary>
public static class DatabaseRoles
{
    /// <summary>Grants the app role its rights on the database the connection is open on; idempotent.</summary>
    public static async Task GrantAppAccessAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var quoted = QuoteIdentifier(role);
        var database = QuoteIdentifier(connection.Database);
        string[] statements =
        [
            $"GRANT CONNECT, TEMPORARY ON DATABASE {database} TO {quoted}",
            $"GRANT USAGE ON SCHEMA public TO {quoted}",
            $"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {quoted}",
            $"GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {quoted}",
            // The migrations history is the migrator's business: the app reads it at most.
            $"REVOKE INSERT, UPDATE, DELETE ON TABLE public.__ef_migrations_history FROM {quoted}",
        ];
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Whether the role exists on the server.</summary>
    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, string role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = @role)", connection);
        command.Parameters.AddWithValue("role", role);
        return await command.ExecuteScalarAsync(cancellationToken) is true;
    }

    public static string QuoteIdentifier(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        return "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
