using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;
using CoursePlatform.Testing;
using Npgsql;

namespace CoursePlatform.Benchmarks;

/// <summary>A throw-away, migrated database on the local server (<see cref="LocalServices.PostgresServer"/>).</summary>
public sealed class BenchmarkDatabase : IAsyncDisposable
{
    private readonly string name = $"cp_bench_{Guid.NewGuid():N}";

    private BenchmarkDatabase() { }

    public string ConnectionString => LocalServices.PostgresDatabase(name);

    public static async Task<BenchmarkDatabase> CreateAsync()
    {
        var database = new BenchmarkDatabase();
        await TestDatabases.ExecuteAdminAsync($"CREATE DATABASE \"{database.name}\"");
        await using var db = CoursePlatformDb.CreateContext(database.ConnectionString);
        await db.Database.MigrateAsync();
        return database;
    }

    public CoursePlatformDbContext CreateContext() => CoursePlatformDb.CreateContext(ConnectionString);

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await TestDatabases.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }
}
