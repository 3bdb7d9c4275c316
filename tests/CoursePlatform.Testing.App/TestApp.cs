using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoursePlatform.Testing;

/// <summary>
/// The app's real service container (<c>AddCoursePlatform</c>) over a test database and Azurite, with a
/// clock the test controls. Services resolve from fresh scopes, as functions get them per invocation.
/// Feature test projects derive from it to add their own builders.
/// </summary>
public class TestApp : IDisposable, IAsyncDisposable
{
    public const string SigningKey = "dGVzdC1vbmx5LXNpZ25pbmcta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2g=";

    private readonly ServiceProvider provider;

    /// <param name="settings">Configuration over the defaults (":"-separated keys).</param>
    /// <param name="configure">Registrations over the app's own, the fake clock included (a test payment gateway, say).</param>
    public TestApp(DatabaseFixture database, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        Database = database;
        var values = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["AzureWebJobsStorage"] = LocalServices.AzuriteConnectionString,
            ["Auth:SigningKey"] = SigningKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddCoursePlatform(configuration)
            .AddSingleton<TimeProvider>(Clock);
        configure?.Invoke(services);
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public DatabaseFixture Database { get; }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services => provider;

    /// <summary>A singleton (or transient) service of the app.</summary>
    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    /// <summary>Resolves <typeparamref name="T"/> in a fresh scope and runs <paramref name="action"/> with it.</summary>
    public async Task<TResult> Run<T, TResult>(Func<T, Task<TResult>> action) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<T>());
    }

    public async Task Run<T>(Func<T, Task> action) where T : notnull
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = provider.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<T>());
    }

    public Task<TResult> Db<TResult>(Func<CoursePlatformDbContext, Task<TResult>> action) => Run(action);

    /// <summary>The caller a signed-in <paramref name="user"/> is to the services (a session of their own).</summary>
    public static Caller As(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new Caller(user.Id, Guid.NewGuid(), user.Role);
    }

    public async Task<User> CreateUserAsync(UserRole role = UserRole.Learner, string? email = null, Action<User>? configure = null)
    {
        var now = Clock.GetUtcNow();
        var user = new User { Email = email ?? $"user-{Guid.NewGuid():N}@example.com", Role = role, CreatedAt = now, UpdatedAt = now };
        configure?.Invoke(user);
        await Run<CoursePlatformDbContext>(async db =>
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
        });
        return user;
    }

    public void Dispose()
    {
        DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    public virtual async ValueTask DisposeAsync()
    {
        await provider.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
