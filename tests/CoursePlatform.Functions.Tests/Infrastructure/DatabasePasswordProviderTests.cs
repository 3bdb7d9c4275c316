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

    [Fact]
    public async Task New_connections_present_the_rotated_password_once_the_provider_has_refreshed()
    {
        // The local cluster trusts loopback connections and never asks for a password, so a stand-in server that asks
        // for one (cleartext) and records it shows what each new connection presents.
        await using var server = new PasswordRecordingServer();
        await using var dataSource = DatabaseDataSource.Build(server.ConnectionString(_role), _passwords, TimeSpan.FromSeconds(1));
        Assert.Equal("first-password", await server.PresentedByNextConnectionAsync(dataSource));
        var callsBefore = _passwords.Calls;

        _passwords.Current = "second-password"; // rotated: the old one no longer works

        Assert.True(await Eventually.HoldsAsync(async () => await server.PresentedByNextConnectionAsync(dataSource) == "second-password",
            TimeSpan.FromSeconds(15)), "new connections never presented the rotated password");
        Assert.True(_passwords.Calls > callsBefore, "the provider was not asked again");

        // It keeps refreshing in the background, not only on demand.
        var calls = _passwords.Calls;
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(_passwords.Calls > calls), TimeSpan.FromSeconds(30)), "no background refresh happened");
    }

    [Fact]
    public async Task Until_the_refresh_interval_passes_new_connections_present_the_cached_password()
    {
        // The control for the test above: with an hour between refreshes the rotation is not seen, so the refresh is what made it work.
        await using var server = new PasswordRecordingServer();
        await using var dataSource = DatabaseDataSource.Build(server.ConnectionString(_role), _passwords, TimeSpan.FromHours(1));
        Assert.Equal("first-password", await server.PresentedByNextConnectionAsync(dataSource));

        _passwords.Current = "third-password";
        await Task.Delay(TimeSpan.FromSeconds(2));

        Assert.Equal("first-password", await server.PresentedByNextConnectionAsync(dataSource));
    }

    [Fact]
    public async Task A_role_whose_password_is_rotated_keeps_working_through_the_data_source_of_the_app()
    {
        // Against the real server (which trusts loopback): the rotation leaves the app's role able to sign in and work.
        await using var dataSource = DatabaseDataSource.Build(RoleConnectionString, _passwords, TimeSpan.FromSeconds(1));
        Assert.Equal(_role, await CurrentUserAsync(dataSource));
        await TestDatabases.ExecuteAdminAsync($"ALTER ROLE \"{_role}\" PASSWORD 'fourth-password'");
        _passwords.Current = "fourth-password";
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(_role, await CurrentUserAsync(dataSource));
    }

    private static async Task<string?> CurrentUserAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("SELECT current_user", connection);
        return (string?)await command.ExecuteScalarAsync();
    }

    /// <summary>
    /// Speaks just enough of the PostgreSQL protocol to ask a client for a cleartext password, record it and refuse
    /// the login (28P01): what an Entra-enabled server sees of the token the app presents.
    /// </summary>
    private sealed class PasswordRecordingServer : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(System.Net.IPAddress.Loopback, 0);
        private readonly System.Threading.Channels.Channel<string> _presented = System.Threading.Channels.Channel.CreateUnbounded<string>();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public PasswordRecordingServer()
        {
            _listener.Start();
            _loop = Task.Run(AcceptAsync);
        }

        public string ConnectionString(string user) => new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = ((System.Net.IPEndPoint)_listener.LocalEndpoint).Port,
            Database = "any",
            Username = user,
            Pooling = false,
            SslMode = SslMode.Disable,
            Timeout = 5,
        }.ConnectionString;

        /// <summary>Opens a connection (refused) and returns the password it presented.</summary>
        public async Task<string> PresentedByNextConnectionAsync(NpgsqlDataSource dataSource)
        {
            var error = await Assert.ThrowsAsync<PostgresException>(async () => { await using var _ = await dataSource.OpenConnectionAsync(); });
            Assert.Equal(PostgresErrorCodes.InvalidPassword, error.SqlState);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            return await _presented.Reader.ReadAsync(timeout.Token);
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                System.Net.Sockets.TcpClient client;
                try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
                catch (OperationCanceledException) { return; }
                catch (System.Net.Sockets.SocketException) { return; }
                using (client)
                {
                    try { await ServeAsync(client.GetStream()); }
                    catch (IOException) { }
                }
            }
        }

        private async Task ServeAsync(System.Net.Sockets.NetworkStream stream)
        {
            while (true)
            {
                var length = await ReadInt32Async(stream);
                var body = new byte[length - 4];
                await stream.ReadExactlyAsync(body);
                var code = System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(body);
                if (code is 80877103 or 80877104) { await stream.WriteAsync("N"u8.ToArray()); continue; } // no SSL, no GSS encryption
                break; // the startup message
            }
            // AuthenticationCleartextPassword
            await stream.WriteAsync(new byte[] { (byte)'R', 0, 0, 0, 8, 0, 0, 0, 3 });
            var type = stream.ReadByte();
            Assert.Equal((int)'p', type);
            var passwordLength = await ReadInt32Async(stream);
            var password = new byte[passwordLength - 4];
            await stream.ReadExactlyAsync(password);
            await _presented.Writer.WriteAsync(System.Text.Encoding.UTF8.GetString(password).TrimEnd('\0'));

            var fields = System.Text.Encoding.UTF8.GetBytes("SFATAL\0VFATAL\0C28P01\0Mpassword recorded by the test server\0\0");
            var error = new byte[5 + fields.Length];
            error[0] = (byte)'E';
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(error.AsSpan(1), 4 + fields.Length);
            fields.CopyTo(error, 5);
            await stream.WriteAsync(error);
            await stream.FlushAsync();
        }

        private static async Task<int> ReadInt32Async(Stream stream)
        {
            var buffer = new byte[4];
            await stream.ReadExactlyAsync(buffer);
            return System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(buffer);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            try { await _loop; } catch (OperationCanceledException) { }
            _stop.Dispose();
        }
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
