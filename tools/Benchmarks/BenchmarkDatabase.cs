using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Benchmarks;

/// <summary>A throw-away, migrated database on the local server (COURSEPLATFORM_TEST_PG or scripts/services.sh's).</summary>
public sealed class BenchmarkDatabase : IAsyncDisposable
{
    private static readonly string Server = Environment.GetEnvironmentVariable("COURSEPLATFORM_TEST_PG")
        ?? "Host=127.0.0.1;Port=54329;Username=postgres;Password=postgres";

    private readonly string name = $"cp_bench_{Guid.NewGuid():N}";

    private BenchmarkDatabase() { }

    public string ConnectionString => new NpgsqlConnectionStringBuilder(Server) { Database = name }.ConnectionString;

    public static async Task<BenchmarkDatabase> CreateAsync()
    {
        var database = new BenchmarkDatabase();
        await AdminAsync($"CREATE DATABASE \"{database.name}\"");
        await using var db = CoursePlatformDb.CreateContext(database.ConnectionString);
        await db.Database.MigrateAsync();
        return database;
    }

    public CoursePlatformDbContext CreateContext() => CoursePlatformDb.CreateContext(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await AdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }

    private static async Task AdminAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Server) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
