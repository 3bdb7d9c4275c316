using System.Security.Cryptography;
using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Xunit;

namespace CoursePlatform.Testing;

/// <summary>
/// A fresh, fully migrated database for one test class (use as <c>IClassFixture&lt;DatabaseFixture&gt;</c>).
/// It is a clone of a template database that is migrated once per build of the data library, so
/// test classes run in parallel, each on its own data, and cloning costs a fraction of migrating.
/// </summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public string DatabaseName { get; } = $"cp_test_{Guid.NewGuid():N}";

    public string ConnectionString => TestDatabases.ConnectionStringFor(DatabaseName);

    public CoursePlatformDbContext CreateContext() => CoursePlatformDb.CreateContext(ConnectionString);

    public async Task InitializeAsync()
    {
        var template = await TestDatabases.EnsureTemplateAsync();
        await TestDatabases.ExecuteAdminAsync($"CREATE DATABASE \"{DatabaseName}\" TEMPLATE \"{template}\"");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await TestDatabases.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
    }
}

public static class TestDatabases
{
    /// <summary>The server of <see cref="LocalServices.PostgresServer"/>.</summary>
    public static string ServerConnectionString => LocalServices.PostgresServer;

    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database }.ConnectionString;

    public static Task<string> EnsureTemplateAsync() => Template.Value;

    public static async Task ExecuteAdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = "postgres", Pooling = false }.ConnectionString;

    /// <summary>
    /// Names the template after a hash of the data library, so a changed model or migration gets a new
    /// template; an advisory lock keeps parallel test processes from building the same one twice.
    /// </summary>
    private static async Task<string> CreateTemplateAsync()
    {
        var assembly = await File.ReadAllBytesAsync(typeof(CoursePlatformDbContext).Assembly.Location);
        var name = $"cp_template_{Convert.ToHexStringLower(SHA256.HashData(assembly))[..16]}";

        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_lock(hashtext('courseplatform-test-template'))", admin))
            await lockCommand.ExecuteNonQueryAsync();

        await using var exists = new NpgsqlCommand("SELECT datistemplate FROM pg_database WHERE datname = @name", admin);
        exists.Parameters.AddWithValue("name", name);
        var state = await exists.ExecuteScalarAsync();
        if (state is true) return name; // built earlier, by this or another process

        // Absent, or left half-built by a crashed run: (re)build it.
        await Execute(admin, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await Execute(admin, $"CREATE DATABASE \"{name}\"");
        var templateConnection = new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = name, Pooling = false }.ConnectionString;
        await using (var db = CoursePlatformDb.CreateContext(templateConnection))
            await db.Database.MigrateAsync();
        await Execute(admin, $"ALTER DATABASE \"{name}\" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false");
        // Templates of earlier builds are left alone here (another test process may still be cloning
        // one); test.sh drops them before a run.
        return name;

        static async Task Execute(NpgsqlConnection connection, string sql)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
