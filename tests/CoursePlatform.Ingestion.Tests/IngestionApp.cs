using Azure.Storage.Blobs;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>
/// The app's own container (AddCoursePlatform) over a test database and Azurite, with the real MiniLM
/// model. Courses are created per test, so blobs under course-content/{courseId}/ never collide.
/// </summary>
public sealed class IngestionApp : IAsyncDisposable
{
    private readonly ServiceProvider _provider;
    private readonly List<string> _prefixes = [];

    public IngestionApp(DatabaseFixture database, IDictionary<string, string?>? settings = null, TimeProvider? time = null,
        Action<IServiceCollection>? configure = null)
    {
        Database = database;
        var values = new Dictionary<string, string?>
        {
            ["Database:ConnectionString"] = database.ConnectionString,
            ["AzureWebJobsStorage"] = LocalServices.AzuriteConnectionString,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) values[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddCoursePlatform(configuration);
        if (time is not null) services.AddSingleton(time);
        configure?.Invoke(services);
        _provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
    }

    public DatabaseFixture Database { get; }

    public IServiceProvider Services => _provider;

    public T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    public async Task<TResult> Scoped<T, TResult>(Func<T, Task<TResult>> action) where T : notnull
    {
        await using var scope = _provider.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<T>());
    }

    public BlobContainerClient Container => Get<BlobServiceClient>().GetBlobContainerClient(IngestionOptions.Container);

    public IngestionService Ingestion => Get<IngestionService>();

    public async Task<(Guid Course, Guid Topic)> CreateCourseAsync()
    {
        await using var db = Database.CreateContext();
        var now = DateTimeOffset.UtcNow;
        var course = new Course { Slug = $"course-{Guid.NewGuid():N}", Name = "Networking basics", CreatedAt = now, UpdatedAt = now };
        var topic = new Topic { Course = course, ModuleNo = 1, TopicNumber = 1, Name = "Subnets" };
        db.Add(topic);
        await db.SaveChangesAsync();
        _prefixes.Add($"{course.Id}/");
        return (course.Id, topic.Id);
    }

    /// <summary>Uploads (or overwrites) a blob in the content container and returns its name.</summary>
    public async Task<string> UploadAsync(string blobName, byte[] content)
    {
        await Container.CreateIfNotExistsAsync();
        await Container.GetBlobClient(blobName).UploadAsync(new BinaryData(content), overwrite: true);
        _prefixes.Add(blobName);
        return blobName;
    }

    public async Task<List<CourseChunk>> ChunksAsync(Guid courseId, string? source = null)
    {
        await using var db = Database.CreateContext();
        return await db.CourseChunks.AsNoTracking()
            .Where(c => c.CourseId == courseId && (source == null || c.Source == source))
            .OrderBy(c => c.Source).ThenBy(c => c.Position).ToListAsync();
    }

    public async Task<List<ContentIngestion>> IngestionsAsync(string source)
    {
        await using var db = Database.CreateContext();
        return await db.ContentIngestions.AsNoTracking().Where(x => x.Source == source).OrderBy(x => x.QueuedAt).ToListAsync();
    }

    /// <summary>Removes this test's blobs, so a local host started later does not find them in the shared container.</summary>
    public async ValueTask DisposeAsync()
    {
        // A test that uploaded nothing may run before anything created the container.
        if (!await Container.ExistsAsync())
        {
            await _provider.DisposeAsync();
            return;
        }
        foreach (var prefix in _prefixes.Distinct())
            await foreach (var blob in Container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
                await Container.DeleteBlobIfExistsAsync(blob.Name);
        await _provider.DisposeAsync();
    }
}
