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
/// <remarks>
/// The app under test connects with <see cref="AppConnectionString"/>: the server's superuser by default, or a role
/// of its own with the production app role's rights only (<see cref="DatabaseRoles"/>: DML, no DDL, not a superuser)
/// after <see cref="UseDmlOnlyRoleAsync"/>, which every fixture does when <c>COURSEPLATFORM_TEST_DML_ONLY=1</c>
/// (run the whole suite that way to prove least privilege is enough). Seeding and assertions keep using
/// <see cref="ConnectionString"/> and <see cref="CreateContext"/>.
/// </remarks>
public sealed class DatabaseFixture : IAsyncLifetime
{
    public const string DmlOnlyVariable = "COURSEPLATFORM_TEST_DML_ONLY";

    public static bool DmlOnlyMode => Environment.GetEnvironmentVariable(DmlOnlyVariable) == "1";

    public string DatabaseName { get; } = $"cp_test_{Guid.NewGuid():N}";

    public string ConnectionString => TestDatabases.ConnectionStringFor(DatabaseName);

    /// <summary>The DML-only role the app connects as, or null when it connects as the superuser.</summary>
    public string? AppRole { get; private set; }

    private string? _appRolePassword;

    /// <summary>What the app under test connects with (see the remarks).</summary>
    public string AppConnectionString => AppRole is null
        ? ConnectionString
        : new NpgsqlConnectionStringBuilder(ConnectionString) { Username = AppRole, Password = _appRolePassword }.ConnectionString;

    /// <summary>Creates a login role for this database with the app role's rights only and makes it the app's.</summary>
    public async Task UseDmlOnlyRoleAsync()
    {
        if (AppRole is not null) return;
        var role = "cp_app_" + DatabaseName["cp_test_".Length..];
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        await TestDatabases.ExecuteAdminAsync($"CREATE ROLE \"{role}\" LOGIN PASSWORD '{password}' NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT");
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await DatabaseRoles.GrantAppAccessAsync(connection, role);
        }
        (AppRole, _appRolePassword) = (role, password);
    }

    public CoursePlatformDbContext CreateContext() => CoursePlatformDb.CreateContext(ConnectionString);

    public async Task InitializeAsync()
    {
        var template = await TestDatabases.EnsureTemplateAsync();
        await TestDatabases.ExecuteAdminAsync($"CREATE DATABASE \"{DatabaseName}\" TEMPLATE \"{template}\"");
        if (DmlOnlyMode) await UseDmlOnlyRoleAsync();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await TestDatabases.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{DatabaseName}\" WITH (FORCE)");
        // Its grants went with the database; the role is the cluster's.
        if (AppRole is not null) await TestDatabases.ExecuteAdminAsync($"DROP ROLE IF EXISTS \"{AppRole}\"");
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
