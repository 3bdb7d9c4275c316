using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
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
            // The superuser, or the DML-only role when the fixture has one (COURSEPLATFORM_TEST_DML_ONLY=1).
            ["Database:ConnectionString"] = database.AppConnectionString,
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
        var user = Build.User(Clock.GetUtcNow(), role, email);
        configure?.Invoke(user);
        await Run<CoursePlatformDbContext>(async db =>
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
        });
        return user;
    }

    /// <summary>A saved course (<see cref="Build.Course"/>) with <paramref name="topics"/> topics in module 1.</summary>
    public async Task<Course> CourseAsync(EnrollmentMode mode, decimal price = 0, bool published = true, int topics = 0, string currency = "USD")
    {
        var now = Clock.GetUtcNow();
        var course = Build.Course(now, price: price, currency: currency, published: published, mode: mode);
        for (var i = 1; i <= topics; i++) course.Topics.Add(Build.Topic(course, now, 1, i));
        await Run<CoursePlatformDbContext>(async db =>
        {
            db.Courses.Add(course);
            await db.SaveChangesAsync();
        });
        return course;
    }

    /// <summary>An admin edit of a course's price (and currency, when given) or its published flag.</summary>
    public Task UpdateCourseAsync(Course course, decimal? price = null, string? currency = null, bool? published = null)
    {
        ArgumentNullException.ThrowIfNull(course);
        return Db(db => db.Courses.Where(c => c.Id == course.Id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Price, c => price ?? c.Price)
            .SetProperty(c => c.Currency, c => currency ?? c.Currency)
            .SetProperty(c => c.IsPublished, c => published ?? c.IsPublished)));
    }

    /// <summary>A saved cohort of <paramref name="course"/> with its allowlist.</summary>
    public async Task<Cohort> CohortAsync(Course course, bool active = true, string? name = null, params (string Email, int BatchNo)[] members)
    {
        ArgumentNullException.ThrowIfNull(course);
        ArgumentNullException.ThrowIfNull(members);
        var now = Clock.GetUtcNow();
        var cohort = new Cohort { CourseId = course.Id, Name = name ?? $"Cohort {Guid.NewGuid():N}"[..16], IsActive = active, CreatedAt = now, UpdatedAt = now };
        await Run<CoursePlatformDbContext>(async db =>
        {
            db.Cohorts.Add(cohort);
            foreach (var (email, batchNo) in members)
                db.CohortMembers.Add(new CohortMember { Cohort = cohort, Email = email, BatchNo = batchNo, CreatedAt = now });
            await db.SaveChangesAsync();
        });
        return cohort;
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
