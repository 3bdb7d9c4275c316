using Azure.Storage.Blobs;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>
/// The app's container (<see cref="TestApp"/>) over a test database and Azurite, with the real MiniLM model
/// and the real clock unless a test passes one (upload URLs are checked by Azurite against real time).
/// Courses are created per test, so blobs under course-content/{courseId}/ never collide.
/// </summary>
public sealed class IngestionApp(DatabaseFixture database, IDictionary<string, string?>? settings = null, TimeProvider? time = null,
    Action<IServiceCollection>? configure = null)
    : TestApp(database, settings, services =>
    {
        services.AddSingleton(time ?? TimeProvider.System);
        configure?.Invoke(services);
    })
{
    private readonly List<string> _prefixes = [];

    public BlobContainerClient Container => Get<BlobServiceClient>().GetBlobContainerClient(IngestionOptions.Container);

    /// <summary>Ingests a blob of the content container as the trigger does: a fresh scope and the blob's client.</summary>
    public Task<IngestionOutcome> IngestAsync(string blobName) =>
        Run<IngestionService, IngestionOutcome>(s => s.IngestAsync(Container.GetBlobClient(blobName), CancellationToken.None));

    public async Task<(Guid Course, Guid Topic)> CreateCourseAsync()
    {
        await using var db = Database.CreateContext();
        var now = DateTimeOffset.UtcNow;
        var course = Build.Course(now, name: "Networking basics", published: false);
        var topic = Build.Topic(course, now, name: "Subnets");
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
    public override async ValueTask DisposeAsync()
    {
        // A test that uploaded nothing may run before anything created the container.
        if (await Container.ExistsAsync())
        {
            foreach (var prefix in _prefixes.Distinct())
                await foreach (var blob in Container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
                    await Container.DeleteBlobIfExistsAsync(blob.Name);
        }
        await base.DisposeAsync();
    }
}
