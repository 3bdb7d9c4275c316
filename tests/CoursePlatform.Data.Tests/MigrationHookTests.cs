using System.Diagnostics;
using CoursePlatform.Data;
using CoursePlatform.Data.Migrations;
using CoursePlatform.Testing;
using Npgsql;

namespace CoursePlatform.Data.Tests;

/// <summary>
/// The migration hook of <c>azd up</c> (infra/bicep/scripts/migrate-database.sh) run for real against the local
/// cluster: with its documented <c>--local</c> switch, and in Azure mode with a stub <c>az</c> on PATH that records
/// the firewall calls (no Azure here) and hands out the local password as the "access token".
/// </summary>
public sealed class MigrationHookTests(MigrationHookTests.Bundle bundle) : IClassFixture<MigrationHookTests.Bundle>, IAsyncLifetime
{
    private const string ClientIp = "203.0.113.7";
    private readonly string _database = $"cp_test_hook_{Guid.NewGuid():N}";
    private readonly string _role = $"cp_app_{Guid.NewGuid():N}"[..30];

    /// <summary>One bundle for the class: the first run builds it where MIGRATIONS_BUNDLE points, later runs reuse it.</summary>
    public sealed class Bundle : IDisposable
    {
        public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("cp-hook-test").FullName;
        public string Path => System.IO.Path.Combine(Directory, "efbundle");
        public string StubBin => System.IO.Path.Combine(Directory, "bin");

        public Bundle()
        {
            System.IO.Directory.CreateDirectory(StubBin);
            var az = System.IO.Path.Combine(StubBin, "az");
            // Records every call; answers the token request with AZ_STUB_TOKEN (the local password); fails where AZ_STUB_FAIL says.
            File.WriteAllText(az, """
                #!/bin/sh
                echo "$*" >> "$AZ_STUB_LOG"
                case "$*" in
                  *"$AZ_STUB_FAIL"*) [ -n "$AZ_STUB_FAIL" ] && { echo "stub az: failing '$*'" >&2; exit 1; } ;;
                esac
                case "$1 $2" in
                  "account get-access-token") echo "$AZ_STUB_TOKEN" ;;
                esac
                exit 0
                """.Replace("\r", "", StringComparison.Ordinal));
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(az, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
    }

    public async Task InitializeAsync()
    {
        await TestDatabases.ExecuteAdminAsync($"CREATE DATABASE \"{_database}\"");
        await TestDatabases.ExecuteAdminAsync($"CREATE ROLE \"{_role}\" LOGIN PASSWORD 'app-role-password' NOSUPERUSER NOCREATEDB NOCREATEROLE");
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await TestDatabases.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
        await TestDatabases.ExecuteAdminAsync($"DROP ROLE IF EXISTS \"{_role}\"");
    }

    private string ConnectionString => TestDatabases.ConnectionStringFor(_database);

    private static NpgsqlConnectionStringBuilder Server => new(LocalServices.PostgresServer);

    [Fact]
    public async Task Local_switch_migrates_a_fresh_database_grants_the_app_role_and_a_second_run_has_nothing_to_do()
    {
        var first = await RunAsync(["--local", "--connection", ConnectionString, "--app-role", _role]);

        Assert.True(first.ExitCode == 0, first.Output);
        Assert.Contains("Applying migration", first.Output, StringComparison.Ordinal);
        await using (var db = CoursePlatformDb.CreateContext(ConnectionString))
        {
            Assert.Empty(await Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetPendingMigrationsAsync(db.Database));
        }
        Assert.True(await HasPrivilegeAsync("has_table_privilege(@role, 'public.users', 'SELECT,INSERT,UPDATE,DELETE')"));
        Assert.False(await HasPrivilegeAsync("has_schema_privilege(@role, 'public', 'CREATE')"), "the app role may not create objects");
        Assert.False(await HasPrivilegeAsync("has_table_privilege(@role, 'public.__ef_migrations_history', 'INSERT')"));
        var applied = await AppliedMigrationsAsync();

        var second = await RunAsync(["--local", "--connection", ConnectionString, "--app-role", _role]);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("No migrations were applied. The database is already up to date.", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Applying migration", second.Output, StringComparison.Ordinal);
        Assert.Equal(applied, await AppliedMigrationsAsync());
    }

    [Fact]
    public async Task Azure_mode_opens_the_firewall_for_this_run_only_migrates_as_the_entra_admin_and_restarts_the_app()
    {
        var run = await RunAsync([], Azure(port: Server.Port));

        Assert.True(run.ExitCode == 0, run.Output);
        var calls = run.AzCalls;
        Assert.Equal(
        [
            $"postgres flexible-server firewall-rule create --resource-group rg-test --name psql-test --rule-name azd-migrate --start-ip-address {ClientIp} --end-ip-address {ClientIp} --output none",
            "account get-access-token --resource-type oss-rdbms --query accessToken --output tsv",
            "functionapp restart --resource-group rg-test --name func-test --output none",
            "postgres flexible-server firewall-rule delete --resource-group rg-test --name psql-test --rule-name azd-migrate --yes --output none",
        ], calls);
        Assert.Equal(AllMigrations(), await AppliedMigrationsAsync());
        Assert.True(await HasPrivilegeAsync("has_table_privilege(@role, 'public.content_ingestions', 'SELECT,INSERT,UPDATE,DELETE')"));
    }

    [Fact]
    public async Task A_failing_run_closes_the_firewall_rule_it_opened_and_restarts_nothing()
    {
        var run = await RunAsync([], Azure(port: LocalServices.ClosedPort));

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("closing the firewall rule azd-migrate", run.Output, StringComparison.Ordinal);
        Assert.Equal(2, run.AzCalls.Count(c => c.Contains("firewall-rule", StringComparison.Ordinal)));
        Assert.StartsWith("postgres flexible-server firewall-rule create", run.AzCalls[0], StringComparison.Ordinal);
        Assert.StartsWith("postgres flexible-server firewall-rule delete", run.AzCalls[^1], StringComparison.Ordinal);
        Assert.DoesNotContain(run.AzCalls, c => c.StartsWith("functionapp restart", StringComparison.Ordinal));
        Assert.Empty(await AppliedMigrationsAsync());
    }

    [Fact]
    public async Task A_firewall_rule_that_fails_half_way_is_still_deleted()
    {
        var environment = Azure(port: Server.Port);
        environment["AZ_STUB_FAIL"] = "firewall-rule create";

        var run = await RunAsync([], environment);

        Assert.NotEqual(0, run.ExitCode);
        Assert.StartsWith("postgres flexible-server firewall-rule delete", run.AzCalls[^1], StringComparison.Ordinal);
        Assert.Empty(await AppliedMigrationsAsync());
    }

    [Fact]
    public async Task The_pgvector_check_names_what_is_missing()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(PgvectorRequirement.CheckSql, connection);

        var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());

        Assert.Contains("pgvector (none) is installed, the app needs pgvector >= 0.8", error.MessageText, StringComparison.Ordinal);
        await using var create = new NpgsqlCommand("CREATE EXTENSION vector", connection);
        await create.ExecuteNonQueryAsync();
        await command.ExecuteNonQueryAsync(); // the local 0.8 passes
    }

    private Dictionary<string, string> Azure(int port) => new()
    {
        ["AZURE_RESOURCE_GROUP"] = "rg-test",
        ["POSTGRES_SERVER_NAME"] = "psql-test",
        ["POSTGRES_HOST"] = Server.Host!,
        ["POSTGRES_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["POSTGRES_SSL_MODE"] = "Disable",
        ["POSTGRES_DATABASE"] = _database,
        ["POSTGRES_ENTRA_ADMIN_NAME"] = Server.Username!,
        ["AZ_STUB_TOKEN"] = Server.Password!,
        ["POSTGRES_APP_ROLE"] = _role,
        // The role exists already, as it does on every run after the first in Azure: pgaadauth is not called.
        ["AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"] = "00000000-0000-0000-0000-0000000000a1",
        ["AZURE_FUNCTION_APP_NAME"] = "func-test",
        ["MIGRATE_CLIENT_IP"] = ClientIp,
    };

    private sealed record Result(int ExitCode, string Output, IReadOnlyList<string> AzCalls);

    private async Task<Result> RunAsync(string[] arguments, IDictionary<string, string>? environment = null)
    {
        var log = System.IO.Path.Combine(bundle.Directory, $"az-{Guid.NewGuid():N}.log");
        var start = new ProcessStartInfo("sh")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Paths.RepositoryRoot,
        };
        start.ArgumentList.Add(System.IO.Path.Combine(Paths.RepositoryRoot, "infra", "bicep", "scripts", "migrate-database.sh"));
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.Environment["PATH"] = bundle.StubBin + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["AZ_STUB_LOG"] = log;
        start.Environment["AZ_STUB_FAIL"] = "";
        start.Environment["MIGRATIONS_BUNDLE"] = bundle.Path;
        start.Environment["DEVTOOL"] = DevToolCommand();
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10)); // the first run builds the bundle
        await process.WaitForExitAsync(timeout.Token);
        var calls = File.Exists(log) ? await File.ReadAllLinesAsync(log) : [];
        return new Result(process.ExitCode, await output + await error, calls);
    }

    /// <summary>The DevTool this test project was built with (a project reference), run by the dotnet host.</summary>
    private static string DevToolCommand()
    {
        var dll = System.IO.Path.Combine(AppContext.BaseDirectory, "CoursePlatform.DevTool.dll");
        Assert.True(File.Exists(System.IO.Path.ChangeExtension(dll, ".runtimeconfig.json")), "DevTool's runtimeconfig is not beside the tests");
        return $"dotnet {dll}";
    }

    private async Task<bool> HasPrivilegeAsync(string expression)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT {expression}", connection);
        command.Parameters.AddWithValue("role", _role);
        return await command.ExecuteScalarAsync() is true;
    }

    private async Task<List<string>> AppliedMigrationsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT to_regclass('public.__ef_migrations_history') IS NOT NULL", connection);
        if (await exists.ExecuteScalarAsync() is not true) return [];
        await using var command = new NpgsqlCommand("SELECT migration_id FROM __ef_migrations_history ORDER BY migration_id", connection);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(reader.GetString(0));
        return ids;
    }

    private static List<string> AllMigrations()
    {
        using var db = CoursePlatformDb.CreateContext(CoursePlatformDb.LocalConnectionString);
        return Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetMigrations(db.Database).Order(StringComparer.Ordinal).ToList();
    }
}
