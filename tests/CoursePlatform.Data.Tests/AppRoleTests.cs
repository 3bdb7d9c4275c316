using CoursePlatform.DevTool;
using CoursePlatform.Testing;
using Npgsql;

namespace CoursePlatform.Data.Tests;

/// <summary><c>DevTool app-role</c>: the grant the migration hook gives the app's database role, and what it refuses.</summary>
public class AppRoleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task A_superuser_is_refused_as_the_app_role()
    {
        var superuser = new NpgsqlConnectionStringBuilder(database.ConnectionString).Username!;
        var error = await Assert.ThrowsAsync<DevToolException>(() => AppRole.ApplyAsync(database.ConnectionString, superuser, null, CancellationToken.None));
        Assert.Contains("superuser", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_role_is_named_and_not_created_without_an_entra_object_id()
    {
        var error = await Assert.ThrowsAsync<DevToolException>(() => AppRole.ApplyAsync(database.ConnectionString, "cp_no_such_role", null, CancellationToken.None));
        Assert.Contains("'cp_no_such_role' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Granting_twice_is_the_same_as_granting_once()
    {
        var role = $"cp_grant_{Guid.NewGuid():N}"[..30];
        await TestDatabases.ExecuteAdminAsync($"CREATE ROLE \"{role}\" LOGIN NOSUPERUSER");
        try
        {
            await AppRole.ApplyAsync(database.ConnectionString, role, null, CancellationToken.None);
            var first = await PrivilegesAsync(role);
            await AppRole.ApplyAsync(database.ConnectionString, role, null, CancellationToken.None);

            Assert.Equal(first, await PrivilegesAsync(role));
            Assert.Contains("users:DELETE", first);
            Assert.Contains("__ef_migrations_history:SELECT", first);
            Assert.DoesNotContain("__ef_migrations_history:INSERT", first);
            Assert.DoesNotContain(first, p => p.EndsWith(":TRUNCATE", StringComparison.Ordinal) || p.EndsWith(":REFERENCES", StringComparison.Ordinal) || p.EndsWith(":TRIGGER", StringComparison.Ordinal));
        }
        finally
        {
            await using (var connection = new NpgsqlConnection(database.ConnectionString))
            {
                await connection.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP OWNED BY \"{role}\"", connection);
                await drop.ExecuteNonQueryAsync();
            }
            await TestDatabases.ExecuteAdminAsync($"DROP ROLE IF EXISTS \"{role}\"");
        }
    }

    private async Task<List<string>> PrivilegesAsync(string role)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT table_name || ':' || privilege_type FROM information_schema.role_table_grants WHERE grantee = @role ORDER BY 1", connection);
        command.Parameters.AddWithValue("role", role);
        var privileges = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) privileges.Add(reader.GetString(0));
        return privileges;
    }
}
