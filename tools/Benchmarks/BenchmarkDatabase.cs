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
    private readonly string name;
    private readonly bool keep;

    private BenchmarkDatabase(string? name = null)
    {
        this.name = name ?? $"cp_bench_{Guid.NewGuid():N}";
        keep = name is not null;
    }

    /// <summary>Whether <see cref="OpenOrCreateAsync"/> found the database already there (its data kept from an earlier run).</summary>
    public bool Existed { get; private set; }

    public string ConnectionString => LocalServices.PostgresDatabase(name);

    public static async Task<BenchmarkDatabase> CreateAsync()
    {
        var database = new BenchmarkDatabase();
        await TestDatabases.ExecuteAdminAsync($"CREATE DATABASE \"{database.name}\"");
        await using var db = CoursePlatformDb.CreateContext(database.ConnectionString);
        await db.Database.MigrateAsync();
        return database;
    }

    /// <summary>
    /// A named database that is kept after the run, created and migrated only when missing: lets a benchmark whose
    /// preparation is slow (the tutor evaluation embeds 1,200 chunks) be re-run on the data of an earlier run.
    /// </summary>
    public static async Task<BenchmarkDatabase> OpenOrCreateAsync(string name)
    {
        var database = new BenchmarkDatabase(name);
        try
        {
            await TestDatabases.ExecuteAdminAsync($"CREATE DATABASE \"{name}\"");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
        {
            database.Existed = true;
        }
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
        if (keep) return;
        await TestDatabases.ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
    }
}
