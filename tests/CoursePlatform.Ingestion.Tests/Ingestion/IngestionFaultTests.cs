using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Azure.Storage.Blobs;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>
/// Ingestion under faults, through the real worker in the local Functions host: storage that breaks mid-download,
/// a worker killed mid-ingestion, and two hosts handed the same blob event at once. Blob events are posted to the
/// host's Event Grid webhook, as Azure delivers them to the Flex Consumption app, unless a test relies on the
/// host's own container scan to find the blob again after a restart.
/// </summary>
public sealed class IngestionFaultTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly List<HostProcess> _hosts = [];
    private readonly List<string> _hostIds = [];
    private readonly List<string> _blobs = [];
    private BlobContainerClient _container = null!;

    public async Task InitializeAsync()
    {
        _container = new BlobServiceClient(LocalServices.AzuriteConnectionString).GetBlobContainerClient(IngestionOptions.Container);
        await _container.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts) await host.DisposeAsync();
        foreach (var blob in _blobs) await _container.DeleteBlobIfExistsAsync(blob);
        foreach (var hostId in _hostIds) await LocalServices.DeleteBlobReceiptsAsync(hostId);
    }

    [Fact]
    public async Task Storage_failing_mid_download_is_retried_up_to_the_setting_then_failed_with_a_reason_and_the_previous_chunks_stay()
    {
        await using var storage = new TcpFaultProxy(10000);
        var host = await StartHostAsync(NewHostId(), storage: storage.Port, scan: false);
        var course = await CreateCourseAsync();
        var source = $"{course}/lecture.vtt";

        await UploadAsync(source, Lecture(cues: 40, "subnet masks"));
        await PostBlobCreatedAsync(host, source);
        var first = await FinishedAsync(source, host);
        Assert.Equal(IngestionStatus.Succeeded, first.Status);
        var before = await ChunksAsync(course, source);
        Assert.NotEmpty(before);

        // A new version, several times larger than what one connection now carries: every download of it breaks
        // mid-way (the SDK's own retries included), while the small requests around it still work.
        storage.ResetConnectionsAfter(16 * 1024);
        var etag = await UploadAsync(source, Lecture(cues: 3000, "routing tables"));
        await PostBlobCreatedAsync(host, source);

        var failed = await FinishedAsync(source, host, etag);
        Assert.True(failed.Status == IngestionStatus.Failed, $"{failed.Status}: {failed.Error}\n{host.Output}");
        Assert.Equal(3, failed.Attempts); // Ingestion:MaxAttempts (3), each a trigger retry (host.json poisonBlobThreshold 3)
        Assert.StartsWith("Attempt 3 of 3 failed: ", failed.Error, StringComparison.Ordinal);
        Assert.Null(failed.ChunkCount);

        // The previous version's chunks are untouched: same rows, nothing half-written.
        var after = await ChunksAsync(course, source);
        Assert.Equal(before.Select(c => (c.Id, c.Position, c.Content)), after.Select(c => (c.Id, c.Position, c.Content)));
        Assert.Equal(IngestionStatus.Succeeded, (await IngestionAsync(source, first.ETag)).Status);
    }

    [Fact]
    public async Task A_worker_killed_mid_ingestion_is_replaced_by_the_host_and_its_claim_taken_over_so_the_source_ends_succeeded_once()
    {
        // Through PgBouncer: the worker's client connection dies, and PgBouncer must end the server connection
        // (and with it the claim's lease) that the open transaction pinned.
        var host = await StartHostAsync(NewHostId(), scan: true, pgBouncer: true);
        var course = await CreateCourseAsync();
        var source = $"{course}/lecture.vtt";
        var etag = await UploadAsync(source, Lecture(cues: 900, "DNS resolution")); // an hour of captions: seconds of embedding

        // The host's container scan finds the blob; as soon as the worker has claimed it, the worker is killed.
        Assert.True(await Eventually.HoldsAsync(async () => (await FindIngestionAsync(source, etag))?.Status == IngestionStatus.Running, Patience), host.Output);
        var killed = host.WorkerProcessId!.Value;
        Process.GetProcessById(killed).Kill(); // SIGKILL: no shutdown, no rollback sent

        // The host starts a new worker, as the Functions host does. The killed run left no receipt, so the next scan
        // runs the blob again, and the claim, whose lease died with the killed worker's connection, is taken over.
        var done = await FinishedAsync(source, host, etag);
        Assert.True(done.Status == IngestionStatus.Succeeded, $"{done.Status}: {done.Error}\n{host.Output}");
        Assert.Equal(2, done.Attempts);
        Assert.Equal(2, host.WorkerProcessIds.Count);
        Assert.False(host.HasExited);
        Assert.Contains($"The worker process exited unexpectedly with code 137; starting a new one", host.Output, StringComparison.Ordinal);

        // Exactly once: one log row, one set of chunks, and no further run after a few more scans.
        await Task.Delay(TimeSpan.FromSeconds(5));
        var chunks = await ChunksAsync(course, source);
        Assert.Equal(done.ChunkCount, chunks.Count);
        Assert.Equal(chunks.Count, chunks.Select(c => c.Position).Distinct().Count());
        var log = Assert.Single(await IngestionsAsync(source));
        Assert.Equal((IngestionStatus.Succeeded, 2, done.FinishedAt), (log.Status, log.Attempts, log.FinishedAt));
    }

    [Fact]
    public async Task Two_hosts_handed_the_same_blob_event_at_once_ingest_it_once_without_duplicate_chunks()
    {
        // Two instances of the app with their own receipts (host ids), as two Flex Consumption instances would be.
        var hosts = await Task.WhenAll(StartHostAsync(NewHostId(), scan: false), StartHostAsync(NewHostId(), scan: false));
        var course = await CreateCourseAsync();
        var source = $"{course}/lecture.vtt";
        var etag = await UploadAsync(source, Lecture(cues: 300, "firewall rules"));

        await Task.WhenAll(hosts.Select(h => PostBlobCreatedAsync(h, source)));

        const string executed = "Executed 'Host.Functions.IngestCourseContent' (Succeeded)";
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(hosts.All(h => h.Output.Contains(executed, StringComparison.Ordinal))), Patience),
            string.Join("\n---\n", hosts.Select(h => h.Output)));
        var log = Assert.Single(await IngestionsAsync(source));
        Assert.Equal((IngestionStatus.Succeeded, 1, etag), (log.Status, log.Attempts, log.ETag));
        var chunks = await ChunksAsync(course, source);
        Assert.Equal(log.ChunkCount, chunks.Count);
        Assert.Equal(chunks.Count, chunks.Select(c => c.Position).Distinct().Count());
        // Ingested once, and the other host's run found it claimed (or done) and skipped it. Once each: a version is
        // logged and claimed in one statement, so no host's RunRequestedIngestions timer can take it for a requested
        // re-ingestion in between (it did before: CI saw one host skip twice).
        // (The worker's lines may reach the host's output after its "Executed" line.)
        List<string> Lines() => hosts.SelectMany(h => h.Output.Split('\n').Where(l => l.Contains(source, StringComparison.Ordinal))).ToList();
        int Count(string what) => Lines().Count(l => l.Contains($"{what} {source}", StringComparison.Ordinal));
        Assert.True(await Eventually.HoldsAsync(() => Task.FromResult(Count("Ingested") >= 1 && Count("Ingestion skipped") >= 1), Patience), string.Join('\n', Lines()));
        Assert.True(Count("Ingested") == 1 && Count("Ingestion skipped") == 1, string.Join('\n', Lines()));
    }

    private string NewHostId()
    {
        var id = LocalServices.NewHostId("ingest-faults");
        _hostIds.Add(id);
        return id;
    }

    /// <param name="storage">A port in front of Azurite (a <see cref="TcpFaultProxy"/>), else Azurite itself.</param>
    /// <param name="scan">Whether the host also scans the container; otherwise only posted Event Grid events run the trigger.</param>
    /// <param name="pgBouncer">Reach PostgreSQL through PgBouncer in transaction mode, as the app does in Azure on pooled tiers.</param>
    private async Task<HostProcess> StartHostAsync(string hostId, int? storage = null, bool scan = true, bool pgBouncer = false)
    {
        var settings = HostedApp.SampleSettings();
        settings["Database__ConnectionString"] = pgBouncer
            ? new NpgsqlConnectionStringBuilder(database.ConnectionString) { Port = LocalServices.PgBouncerPort, NoResetOnClose = true }.ConnectionString
            : database.ConnectionString;
        settings["AzureWebJobsStorage"] = storage is { } port
            ? LocalServices.AzuriteConnectionString.Replace("127.0.0.1:10000", $"127.0.0.1:{port}", StringComparison.Ordinal)
            : LocalServices.AzuriteConnectionString;
        settings["AzureFunctionsJobHost__id"] = hostId;
        settings["FunctionsHost__PollEventGridBlobs"] = scan ? "true" : "false";
        var host = HostProcess.Start(Paths.FunctionsApp, settings);
        lock (_hosts) _hosts.Add(host);
        await host.WaitUntilRunningAsync();
        return host;
    }

    /// <summary>A <c>Microsoft.Storage.BlobCreated</c> notification, as the Event Grid subscription of the Bicep posts it.</summary>
    private static async Task PostBlobCreatedAsync(HostProcess host, string blobName)
    {
        var notification = new[]
        {
            new
            {
                id = Guid.NewGuid().ToString(),
                eventType = "Microsoft.Storage.BlobCreated",
                subject = $"/blobServices/default/containers/{IngestionOptions.Container}/blobs/{blobName}",
                eventTime = DateTimeOffset.UtcNow,
                data = new { api = "PutBlob", url = $"http://127.0.0.1:10000/devstoreaccount1/{IngestionOptions.Container}/{blobName}" },
                dataVersion = "",
                metadataVersion = "1",
            },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, "runtime/webhooks/blobs?functionName=Host.Functions.IngestCourseContent")
        {
            Content = new StringContent(JsonSerializer.Serialize(notification), Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("aeg-event-type", "Notification");
        using var response = await host.AdminClient.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<Guid> CreateCourseAsync()
    {
        await using var db = database.CreateContext();
        var course = Build.Course(DateTimeOffset.UtcNow, name: "Networking under faults", published: false);
        db.Add(course);
        await db.SaveChangesAsync();
        return course.Id;
    }

    /// <summary>Uploads straight to Azurite (never through a fault proxy) and returns the version's ETag as the log stores it.</summary>
    private async Task<string> UploadAsync(string blobName, string content)
    {
        _blobs.Add(blobName);
        var uploaded = await _container.GetBlobClient(blobName).UploadAsync(BinaryData.FromString(content), overwrite: true);
        return uploaded.Value.ETag.ToString().Trim('"');
    }

    /// <summary>Waits until the version (the newest one when <paramref name="etag"/> is null) is succeeded or failed.</summary>
    private async Task<ContentIngestion> FinishedAsync(string source, HostProcess host, string? etag = null)
    {
        ContentIngestion? row = null;
        var finished = await Eventually.HoldsAsync(async () =>
        {
            row = etag is null ? (await IngestionsAsync(source)).FirstOrDefault() : await FindIngestionAsync(source, etag);
            return row?.Status is IngestionStatus.Succeeded or IngestionStatus.Failed;
        }, Patience);
        Assert.True(finished, $"{row?.Status} after {Patience.TotalSeconds} s\n{host.Output}");
        return row!;
    }

    private async Task<ContentIngestion> IngestionAsync(string source, string etag) =>
        await FindIngestionAsync(source, etag) ?? throw new InvalidOperationException($"No ingestion of {source} {etag}.");

    private async Task<ContentIngestion?> FindIngestionAsync(string source, string etag)
    {
        await using var db = database.CreateContext();
        return await db.ContentIngestions.AsNoTracking().SingleOrDefaultAsync(x => x.Source == source && x.ETag == etag);
    }

    private async Task<List<ContentIngestion>> IngestionsAsync(string source)
    {
        await using var db = database.CreateContext();
        return await db.ContentIngestions.AsNoTracking().Where(x => x.Source == source).OrderByDescending(x => x.QueuedAt).ToListAsync();
    }

    private async Task<List<CourseChunk>> ChunksAsync(Guid course, string source)
    {
        await using var db = database.CreateContext();
        return await db.CourseChunks.AsNoTracking().Where(c => c.CourseId == course && c.Source == source).OrderBy(c => c.Position).ToListAsync();
    }

    /// <summary>A WebVTT lecture of <paramref name="cues"/> four-second captions about a subject, each cue a different sentence.</summary>
    private static string Lecture(int cues, string subject)
    {
        var text = new StringBuilder("WEBVTT\n\n");
        for (var i = 0; i < cues; i++)
        {
            var start = TimeSpan.FromSeconds(4 * i);
            text.Append(CultureInfo.InvariantCulture,
                $"{start:hh\\:mm\\:ss\\.fff} --> {start + TimeSpan.FromSeconds(3.9):hh\\:mm\\:ss\\.fff}\nPoint {i} about {subject}: check the configuration before changing it, step {i % 17}.\n\n");
        }
        return text.ToString();
    }
}
