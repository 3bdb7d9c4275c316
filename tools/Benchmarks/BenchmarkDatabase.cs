using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;
using CoursePlatform.Functions;
using CoursePlatform.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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

    /// <summary>The app's own container (<c>AddCoursePlatform</c>) over this database and Azurite, with <paramref name="settings"/> on top.</summary>
    public ServiceProvider CreateApp(IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = ConnectionString,
            ["AzureWebJobsStorage"] = LocalServices.AzuriteConnectionString,
            ["Auth:SigningKey"] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("benchmark-signing-key-of-at-least-32-bytes")),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddCoursePlatform(configuration)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await TestDatabases.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }
}
