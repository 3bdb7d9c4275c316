using CoursePlatform.Testing;
using Npgsql;

namespace CoursePlatform.Functions.Tests.Security;

/// <summary>What the DML-only role the least-privilege suites run as may and may not do.</summary>
public class DmlOnlyRoleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_app_role_reads_and_writes_rows_but_cannot_change_the_schema_or_the_migration_history()
    {
        await database.UseDmlOnlyRoleAsync();
        await using var connection = new NpgsqlConnection(database.AppConnectionString);
        await connection.OpenAsync();

        Assert.Equal((database.AppRole, false), await ScalarAsync<(string?, bool)>(connection,
            "SELECT current_user, rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user",
            r => (r.GetString(0), r.GetBoolean(1))));
        await ExecuteAsync(connection, "DELETE FROM rate_limit_counters WHERE false"); // DML is allowed

        foreach (var ddl in new[]
                 {
                     "CREATE TABLE intruder (id int)",
                     "ALTER TABLE users ADD COLUMN intruder int",
                     "DROP TABLE cart_items",
                     "TRUNCATE users",
                     "CREATE INDEX ix_intruder ON users (email)",
                     "INSERT INTO __ef_migrations_history VALUES ('x', 'y')",
                 })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, ddl));
            Assert.True(error.SqlState is PostgresErrorCodes.InsufficientPrivilege, $"{ddl}: {error.SqlState} {error.MessageText}");
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return read(reader);
    }
}
