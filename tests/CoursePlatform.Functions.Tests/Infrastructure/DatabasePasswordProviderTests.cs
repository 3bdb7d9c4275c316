using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoursePlatform.Functions.Tests.Infrastructure;

/// <summary>
/// The app's data source with Npgsql's periodic password provider, as it runs in Azure with Entra ID tokens, here with
/// a local role whose password is rotated during the test (a token that expires and is replaced, in effect).
/// </summary>
public class DatabasePasswordProviderTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private readonly string _role = $"cp_rot_{Guid.NewGuid():N}"[..28];
    private readonly RotatingPassword _passwords = new("first-password");

    /// <summary>Hands out whatever password is current, counting the fetches.</summary>
    private sealed class RotatingPassword(string initial) : IDatabasePasswordSource
    {
        private int _calls;
        public volatile string Current = initial;
        public int Calls => Volatile.Read(ref _calls);

        public ValueTask<string> GetPasswordAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return ValueTask.FromResult(Current);
        }
    }

    public async Task InitializeAsync()
    {
        await TestDatabases.ExecuteAdminAsync($"CREATE ROLE \"{_role}\" LOGIN PASSWORD '{_passwords.Current}' NOSUPERUSER NOCREATEDB NOCREATEROLE");
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await DatabaseRoles.GrantAppAccessAsync(connection, _role);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await TestDatabases.ExecuteAdminAsync($"REASSIGN OWNED BY \"{_role}\" TO CURRENT_USER");
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP OWNED BY \"{_role}\"", connection);
            await drop.ExecuteNonQueryAsync();
        }
        await TestDatabases.ExecuteAdminAsync($"DROP ROLE IF EXISTS \"{_role}\"");
    }

    /// <summary>The role's connection string without a password (the provider supplies it); no pooling, so every open signs in.</summary>
    private string RoleConnectionString => new NpgsqlConnectionStringBuilder(database.ConnectionString)
    {
        Username = _role,
        Password = null,
        Pooling = false,
    }.ConnectionString;

    private async Task RotateAsync(string password)
    {
        await TestDatabases.ExecuteAdminAsync($"ALTER ROLE \"{_role}\" PASSWORD '{password}'");
        _passwords.Current = password;
    }

    private static async Task<string?> CurrentUserAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT current_user", connection);
        return (string?)await command.ExecuteScalarAsync();
    }

    [Fact]
    public async Task New_connections_sign_in_with_the_rotated_password_once_the_provider_has_refreshed()
    {
        await using var dataSource = DatabaseDataSource.Build(RoleConnectionString, _passwords, TimeSpan.FromSeconds(1));
        Assert.Equal(_role, await CurrentUserAsync(dataSource));
        var callsBefore = _passwords.Calls;

        await RotateAsync("second-password");

        // Within a few refresh intervals every new connection presents the new password.
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            try { return await CurrentUserAsync(dataSource) == _role; }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidPassword) { return false; }
        }, TimeSpan.FromSeconds(15)), "the data source never picked up the rotated password");
        Assert.True(_passwords.Calls > callsBefore, "the provider was not asked again");

        // And it keeps refreshing in the background, not only on demand.
        var calls = _passwords.Calls;
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.True(_passwords.Calls > calls, "no background refresh happened");
    }

    [Fact]
    public async Task Until_the_refresh_interval_passes_new_connections_present_the_cached_password()
    {
        // The control for the test above: with an hour between refreshes the rotation is not seen, so the refresh is what made it work.
        await using var dataSource = DatabaseDataSource.Build(RoleConnectionString, _passwords, TimeSpan.FromHours(1));
        Assert.Equal(_role, await CurrentUserAsync(dataSource));

        await RotateAsync("third-password");

        var error = await Assert.ThrowsAsync<PostgresException>(() => CurrentUserAsync(dataSource));
        Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
    }

    [Fact]
    public void A_password_in_the_connection_string_is_refused_in_token_mode()
    {
        var withPassword = new NpgsqlConnectionStringBuilder(RoleConnectionString) { Password = "leftover" }.ConnectionString;
        var error = Assert.Throws<InvalidOperationException>(() => DatabaseDataSource.Build(withPassword, _passwords, TimeSpan.FromMinutes(5)));
        Assert.Contains("Database:Authentication is EntraId", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_entra_id_mode_the_app_context_and_the_ingestion_lease_sign_in_through_the_password_source()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = RoleConnectionString,
            ["Database:Authentication"] = "EntraId",
            ["Database:PasswordRefreshSeconds"] = "1",
        };
        // In Azure the source is EntraIdPasswordSource over DefaultAzureCredential; a registered one takes its place.
        await using var app = new TestApp(database, settings, services => services.AddSingleton<IDatabasePasswordSource>(_passwords));

        Assert.Equal(_role, await app.Db(db => db.Database.SqlQueryRaw<string>("SELECT current_user AS \"Value\"").SingleAsync()));
        await using (var lease = await Functions.Features.Ingestion.IngestionLease.TryAcquireAsync(app.Get<NpgsqlDataSource>(), "course/x.txt", "etag", CancellationToken.None))
            Assert.NotNull(lease);
        Assert.True(_passwords.Calls >= 1);
    }
}
