using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoursePlatform.Functions.Tests;

/// <summary>
/// The app's real service container (AddCoursePlatform) over a test database, with a clock the test
/// controls. Services are resolved from scopes, as functions get them per invocation.
/// </summary>
public sealed class TestApp : IDisposable
{
    public const string SigningKey = "dGVzdC1vbmx5LXNpZ25pbmcta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2g=";

    private readonly ServiceProvider provider;

    public TestApp(DatabaseFixture database, IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["AzureWebJobsStorage"] = LocalServices.AzuriteConnectionString,
            ["Auth:SigningKey"] = SigningKey,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        provider = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddCoursePlatform(configuration)
            .AddSingleton<TimeProvider>(Clock)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

    public IServiceProvider Services => provider;

    /// <summary>A singleton (or transient) service of the app.</summary>
    public T Get<T>() where T : notnull => provider.GetRequiredService<T>();

    /// <summary>Resolves <typeparamref name="T"/> in a fresh scope and runs <paramref name="action"/> with it.</summary>
    public async Task<TResult> Run<T, TResult>(Func<T, Task<TResult>> action) where T : notnull
    {
        await using var scope = provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<T>());
    }

    public async Task Run<T>(Func<T, Task> action) where T : notnull
    {
        await using var scope = provider.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<T>());
    }

    public async Task<User> CreateUserAsync(UserRole role = UserRole.Learner, string? email = null, Action<User>? configure = null)
    {
        var user = new User
        {
            Email = email ?? $"user-{Guid.NewGuid():N}@example.com", Role = role, CreatedAt = Clock.GetUtcNow(), UpdatedAt = Clock.GetUtcNow(),
        };
        configure?.Invoke(user);
        await Run<CoursePlatformDbContext>(async db =>
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
        });
        return user;
    }

    public void Dispose() => provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
