using CoursePlatform.Data;
using Npgsql;

namespace CoursePlatform.DevTool;

/// <summary>
/// Gives the app's database role the rights it runs with (<see cref="DatabaseRoles"/>: rows of the app's tables, no
/// DDL), creating it first for a Microsoft Entra identity. Run by the migration hook after every migration run, as
/// the server's Entra administrator, because a GRANT on all tables covers only the tables that exist.
/// </summary>
public static class AppRole
{
    public sealed record Result(bool Created);

    /// <param name="entraObjectId">
    /// The identity's object (principal) id: the role is created with
    /// <c>pgaadauth_create_principal_with_oid(role, oid, 'service', false, false)</c> when it does not exist yet
    /// (Azure Database for PostgreSQL, https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-manage-azure-ad-users).
    /// Without it the role must exist already (local: a password role).
    /// </param>
    public static async Task<Result> ApplyAsync(string connectionString, string role, string? entraObjectId, CancellationToken cancellationToken)
    {
        var target = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false };
        var created = false;
        if (entraObjectId is not null)
        {
            if (!Guid.TryParse(entraObjectId, out _)) throw new DevToolException($"'{entraObjectId}' is not an object id.", exitCode: 64);
            // Entra principals are created from the postgres database, where the pgaadauth functions live.
            var server = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres" };
            await using var postgres = new NpgsqlConnection(server.ConnectionString);
            await postgres.OpenAsync(cancellationToken);
            if (!await DatabaseRoles.ExistsAsync(postgres, role, cancellationToken))
            {
                await using var create = new NpgsqlCommand("SELECT * FROM pgaadauth_create_principal_with_oid(@role, @oid, 'service', false, false)", postgres);
                create.Parameters.AddWithValue("role", role);
                create.Parameters.AddWithValue("oid", entraObjectId);
                await create.ExecuteNonQueryAsync(cancellationToken);
                created = true;
            }
        }

        await using var connection = new NpgsqlConnection(target.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        if (!await DatabaseRoles.ExistsAsync(connection, role, cancellationToken))
            throw new DevToolException($"The role '{role}' does not exist. Create it first (CREATE ROLE ... LOGIN PASSWORD ...), or pass --entra-object-id for an Entra identity.");
        await using (var check = new NpgsqlCommand("SELECT rolsuper OR rolcreaterole OR rolcreatedb FROM pg_roles WHERE rolname = @role", connection))
        {
            check.Parameters.AddWithValue("role", role);
            if (await check.ExecuteScalarAsync(cancellationToken) is true)
                throw new DevToolException($"The role '{role}' is a superuser or may create roles or databases; the app role must not be. Use a role without those attributes.");
        }
        await DatabaseRoles.GrantAppAccessAsync(connection, role, cancellationToken);
        return new Result(created);
    }
}
