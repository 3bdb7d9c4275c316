using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoursePlatform.Enrollment.Tests;

/// <summary>
/// The app's real container (AddCoursePlatform) over a test database with a controlled clock, plus the
/// few builders these tests need. Services resolve from fresh scopes, as functions get them.
/// </summary>
public sealed class EnrollmentApp : IDisposable
{
    private readonly ServiceProvider provider;

    /// <param name="configure">Registrations over the app's own (a test payment gateway, say).</param>
    public EnrollmentApp(DatabaseFixture database, Action<IServiceCollection>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["AzureWebJobsStorage"] = LocalServices.AzuriteConnectionString,
            ["Auth:SigningKey"] = "dGVzdC1vbmx5LXNpZ25pbmcta2V5LXRoYXQtaXMtbG9uZy1lbm91Z2g=",
        }).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddCoursePlatform(configuration)
            .AddSingleton<TimeProvider>(Clock);
        configure?.Invoke(services);
        provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.Zero));

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

    public static Caller As(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new Caller(user.Id, Guid.NewGuid(), user.Role);
    }

    public async Task<User> UserAsync(UserRole role = UserRole.Learner, string? email = null)
    {
        var now = Clock.GetUtcNow();
        var user = new User { Email = email ?? $"user-{Guid.NewGuid():N}@example.com", Role = role, CreatedAt = now, UpdatedAt = now };
        await Run<CoursePlatformDbContext>(async db =>
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
        });
        return user;
    }

    public async Task<Course> CourseAsync(EnrollmentMode mode, decimal price = 0, bool published = true, int topics = 0, string currency = "USD")
    {
        var now = Clock.GetUtcNow();
        var course = new Course
        {
            Slug = $"c-{Guid.NewGuid():N}"[..16], Name = $"Course {Guid.NewGuid():N}"[..20], Price = price, Currency = currency, IsPublished = published,
            EnrollmentMode = mode, ModuleCount = 1, CreatedAt = now, UpdatedAt = now,
        };
        for (var i = 1; i <= topics; i++)
            course.Topics.Add(new Topic { ModuleNo = 1, TopicNumber = i, Name = $"Topic {i}", CreatedAt = now, UpdatedAt = now });
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

    public void Dispose() => provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
