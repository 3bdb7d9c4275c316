using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Search;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>A course's uploaded sources: listed with chunks and last ingestion, and deleted blob and chunks together.</summary>
public class SourceTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static byte[] Transcript(string topic) => System.Text.Encoding.UTF8.GetBytes(
        "WEBVTT\n\n" + string.Join("\n\n", Enumerable.Range(0, 6).Select(i => $"00:00:{i:00}.000 --> 00:00:{i:00}.900\n{topic} detail number {i} for the lesson.")));

    [Fact]
    public async Task Deleting_a_source_removes_its_blob_and_chunks_and_search_no_longer_finds_it()
    {
        await using var app = new IngestionApp(database);
        var (course, topic) = await app.CreateCourseAsync();
        var kept = await app.UploadAsync($"{course}/dns.vtt", Transcript("DNS resolution and caching"));
        var removed = await app.UploadAsync($"{course}/{topic}/firewalls.vtt", Transcript("Firewall rules filter traffic"));
        await app.IngestAsync(kept);
        await app.IngestAsync(removed);

        var listed = await ListAsync(app, course);
        Assert.Equal(new[] { "dns.vtt", $"{topic}/firewalls.vtt" }.Order(StringComparer.Ordinal), listed.Select(s => s.Path));
        var firewall = listed.Single(s => s.FileName == "firewalls.vtt");
        Assert.Equal(("firewalls.vtt", (Guid?)topic, IngestionStatus.Succeeded), (firewall.FileName, firewall.TopicId, firewall.LastIngestion!.Status));
        Assert.True(firewall.ChunkCount > 0 && firewall.Size > 0);
        Assert.Contains(await Search(app, course), h => h.Source == $"{topic}/firewalls.vtt" && h.SourceName == "firewalls.vtt");

        await app.Run<SourceService>(s => s.DeleteAsync(course.ToString(), $"{topic}/firewalls.vtt", default));

        Assert.Empty(await app.ChunksAsync(course, removed));
        Assert.False((await app.Container.GetBlobClient(removed).ExistsAsync()).Value);
        Assert.DoesNotContain(await Search(app, course), h => h.Source == $"{topic}/firewalls.vtt");
        Assert.NotEmpty(await app.ChunksAsync(course, kept));
        Assert.Equal(["dns.vtt"], (await ListAsync(app, course)).Select(s => s.Path));

        var again = await Assert.ThrowsAsync<ProblemException>(() => app.Run<SourceService>(s => s.DeleteAsync(course.ToString(), $"{topic}/firewalls.vtt", default)));
        Assert.Equal(HttpStatusCode.NotFound, again.Status);
        var outside = await Assert.ThrowsAsync<ProblemException>(() => app.Run<SourceService>(s => s.DeleteAsync(course.ToString(), "../other/x.vtt", default)));
        Assert.Equal(HttpStatusCode.BadRequest, outside.Status);
    }

    [Fact]
    public async Task The_list_shows_each_source_with_its_newest_ingestion_of_many()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/dns.vtt", Transcript("DNS resolution and caching"));
        await app.IngestAsync(source);
        // Older versions and retries stay in the log; the list shows the newest, queued after the one ingested above
        // (none left queued: RunRequestedAsync of another test in this class would take it).
        var now = DateTimeOffset.UtcNow;
        var newest = Guid.CreateVersion7();
        await using (var db = database.CreateContext())
        {
            db.ContentIngestions.AddRange(
                new ContentIngestion { Id = Guid.CreateVersion7(), CourseId = course, Source = source, ETag = "older", Status = IngestionStatus.Failed, Error = "old", QueuedAt = now.AddDays(-2) },
                new ContentIngestion { Id = newest, CourseId = course, Source = source, ETag = "newest", Status = IngestionStatus.Failed, Error = "newest", QueuedAt = now.AddMinutes(5) },
                new ContentIngestion { Id = Guid.CreateVersion7(), CourseId = course, Source = $"{course}/gone.vtt", ETag = "x", Status = IngestionStatus.Failed, Error = "gone", QueuedAt = now });
            await db.SaveChangesAsync();
        }

        var listed = await ListAsync(app, course);

        var dns = Assert.Single(listed);
        Assert.Equal(("dns.vtt", newest, IngestionStatus.Failed, "newest"), (dns.Path, dns.LastIngestion!.Id, dns.LastIngestion.Status, dns.LastIngestion.Error));
    }

    [Fact]
    public async Task The_list_is_paged_by_path_with_the_total_and_a_source_whose_blob_is_gone_counts()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        foreach (var name in new[] { "c.vtt", "a.vtt" }) await app.IngestAsync(await app.UploadAsync($"{course}/{name}", Transcript($"Transcript {name}")));
        var gone = await app.UploadAsync($"{course}/b.vtt", Transcript("Subnets and routes"));
        await app.IngestAsync(gone);
        await app.Container.GetBlobClient(gone).DeleteAsync(); // its chunks remain: still a source to delete

        var first = await app.Run<SourceService, PagedList<SourceDto>>(s => s.ListAsync(course.ToString(), new PageRequest(1, 2), default));
        var second = await app.Run<SourceService, PagedList<SourceDto>>(s => s.ListAsync(course.ToString(), new PageRequest(2, 2), default));

        Assert.Equal(["a.vtt", "b.vtt"], first.Items.Select(s => s.Path));
        Assert.Equal(["c.vtt"], second.Items.Select(s => s.Path));
        Assert.Equal((3, 3), (first.Total, second.Total));
        var b = first.Items[1];
        Assert.Equal(((long?)null, IngestionStatus.Succeeded), (b.Size, b.LastIngestion!.Status));
        Assert.True(b.ChunkCount > 0 && second.Items[0].ChunkCount > 0);
        Assert.Empty((await app.Run<SourceService, PagedList<SourceDto>>(s => s.ListAsync(course.ToString(), new PageRequest(3, 2), default))).Items);
    }

    [Fact]
    public async Task The_samples_the_upload_walkthrough_uses_are_real_files_that_ingest()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        foreach (var file in new[] { "week1-subnets.pptx", "week1-subnets.vtt" })
        {
            var source = await app.UploadAsync($"{course}/{file}", await File.ReadAllBytesAsync(Path.Combine(Paths.RepositoryRoot, "samples", file)));
            var outcome = await app.IngestAsync(source);
            Assert.Equal(IngestionResult.Succeeded, outcome.Result);
            Assert.True(outcome.ChunkCount > 0, file);
        }
        var deck = await app.ChunksAsync(course, $"{course}/week1-subnets.pptx");
        Assert.Contains(deck, c => c.Content.Contains("/26 | 64 | 62", StringComparison.Ordinal) && c.Metadata!.RootElement.GetProperty("slide").GetInt32() >= 1);
    }

    [Fact]
    public async Task Reingesting_brings_back_a_version_that_failed_for_good_and_leaves_one_in_progress_to_its_worker()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/dns.vtt", Transcript("DNS resolution"));
        Assert.Equal(IngestionResult.Succeeded, (await app.IngestAsync(source)).Result);
        // What storage failing through every attempt leaves: the version failed for good, no chunks of it.
        await app.Db(async db =>
        {
            await db.ContentIngestions.Where(i => i.Source == source).ExecuteUpdateAsync(set => set
                .SetProperty(i => i.Status, IngestionStatus.Failed).SetProperty(i => i.Attempts, 3).SetProperty(i => i.Error, "Attempt 3 of 3 failed: IOException"));
            return await db.CourseChunks.Where(c => c.Source == source).ExecuteDeleteAsync();
        });
        Assert.Equal(IngestionResult.Skipped, (await app.IngestAsync(source)).Result); // the trigger would not run it again

        // The request only queues the version (the HTTP call answers 202 at once); the timer ingests it.
        var queued = await app.Run<SourceService, IngestionLogEntry>(s => s.ReingestAsync(course.ToString(), "dns.vtt", default));
        Assert.Equal((IngestionStatus.Queued, 0), (queued.Status, queued.Attempts));
        var again = await Assert.ThrowsAsync<ProblemException>(() => app.Run<SourceService, IngestionLogEntry>(s => s.ReingestAsync(course.ToString(), "dns.vtt", default)));
        Assert.Equal(HttpStatusCode.TooManyRequests, again.Status); // the per-source cooldown
        Assert.Equal(1, await app.Run<SourceService, int>(s => s.RunRequestedAsync(default)));
        var entry = (await app.IngestionsAsync(source)).Single();

        Assert.Equal((IngestionStatus.Succeeded, 1, null), (entry.Status, entry.Attempts, entry.Error));
        Assert.Equal(entry.ChunkCount, (await app.ChunksAsync(course, source)).Count);
        Assert.NotEqual(0, entry.ChunkCount);
        Assert.Single(await app.IngestionsAsync(source));

        // Another worker holds the version's lease: it is left to it, and the answer says it is running.
        // The answer names the source and its version as the API does everywhere: the path in the course, the ETag quoted.
        Assert.Equal("dns.vtt", queued.Source);
        Assert.StartsWith("\"", queued.ETag, StringComparison.Ordinal);
        var etag = entry.ETag.Trim('"');
        await app.Db(db => db.ContentIngestions.Where(i => i.Source == source)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.Status, IngestionStatus.Running)));
        await app.Db(db => db.RateLimitCounters.Where(c => c.Key.StartsWith("reingest:")).ExecuteDeleteAsync()); // past the cooldown
        await using (await IngestionLease.TryAcquireAsync(database.ConnectionString, source, etag, CancellationToken.None))
        {
            var busy = await app.Run<SourceService, IngestionLogEntry>(s => s.ReingestAsync(course.ToString(), "dns.vtt", default));
            Assert.Equal((IngestionStatus.Running, 1), (busy.Status, busy.Attempts));
        }

        var missing = await Assert.ThrowsAsync<ProblemException>(() => app.Run<SourceService, IngestionLogEntry>(s => s.ReingestAsync(course.ToString(), "nothing.vtt", default)));
        var noPath = await Assert.ThrowsAsync<ProblemException>(() => app.Run<SourceService, IngestionLogEntry>(s => s.ReingestAsync(course.ToString(), null, default)));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.BadRequest), (missing.Status, noPath.Status));
    }

    [Fact]
    public async Task A_version_queued_again_after_a_failed_attempt_can_be_requested_and_the_timer_ingests_it()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/dhcp.vtt", Transcript("DHCP leases"));
        Assert.Equal(IngestionResult.Succeeded, (await app.IngestAsync(source)).Result);
        // What an attempt cut short by an outage leaves: queued again, one attempt counted, no chunks.
        await app.Db(async db =>
        {
            await db.ContentIngestions.Where(i => i.Source == source).ExecuteUpdateAsync(set => set
                .SetProperty(i => i.Status, IngestionStatus.Queued).SetProperty(i => i.Attempts, 1).SetProperty(i => i.Error, "Attempt 1 of 3 failed: model unavailable"));
            return await db.CourseChunks.Where(c => c.Source == source).ExecuteDeleteAsync();
        });

        var queued = await app.Run<SourceService, IngestionLogEntry>(s => s.ReingestAsync(course.ToString(), "dhcp.vtt", default));

        Assert.Equal((IngestionStatus.Queued, 0), (queued.Status, queued.Attempts));
        Assert.Equal(1, await app.Run<SourceService, int>(s => s.RunRequestedAsync(default)));
        var entry = (await app.IngestionsAsync(source)).Single();
        Assert.Equal(IngestionStatus.Succeeded, entry.Status);
        Assert.NotEmpty(await app.ChunksAsync(course, source));
    }

    [Fact]
    public async Task A_claim_left_running_by_a_dead_worker_is_taken_over_at_once_and_ends_succeeded_once()
    {
        await using var app = new IngestionApp(database);
        var (course, source, etag) = await LeaveRunningClaimAsync(app, startedMinutesAgo: 1);

        // A live worker holds the version's lease: its claim is left alone.
        await using (await IngestionLease.TryAcquireAsync(database.ConnectionString, source, etag, CancellationToken.None))
        {
            Assert.Null(await IngestionLease.TryAcquireAsync(database.ConnectionString, source, etag, CancellationToken.None));
            Assert.Equal(IngestionResult.Skipped, (await app.IngestAsync(source)).Result);
            Assert.Empty(await app.ChunksAsync(course, source));
        }

        // Its connection is gone (the worker died): the lease is free, so the claim is taken over without waiting.
        var takeover = await app.IngestAsync(source);
        var again = await app.IngestAsync(source);

        Assert.Equal((IngestionResult.Succeeded, IngestionResult.Skipped), (takeover.Result, again.Result));
        var log = Assert.Single(await app.IngestionsAsync(source));
        Assert.Equal((IngestionStatus.Succeeded, 2), (log.Status, log.Attempts));
        Assert.Equal(takeover.ChunkCount, (await app.ChunksAsync(course, source)).Count);
    }

    [Fact]
    public async Task A_version_whose_lease_another_worker_holds_is_skipped_without_leaving_a_row_that_looks_requested()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/dns.vtt", Transcript("DNS resolution"));
        var etag = (await app.Container.GetBlobClient(source).GetPropertiesAsync()).Value.ETag.ToString().Trim('"');

        // The other worker has leased the version and not yet logged it (two hosts handed the same event): this one
        // skips it, and writes nothing: a row queued with no attempt is what RunRequestedIngestions takes for a
        // re-ingestion someone asked for, and would run a second time beside the lease holder.
        await using (await IngestionLease.TryAcquireAsync(database.ConnectionString, source, etag, CancellationToken.None))
        {
            Assert.Equal(IngestionResult.Skipped, (await app.IngestAsync(source)).Result);
            Assert.Empty(await app.IngestionsAsync(source));
        }

        Assert.Equal(IngestionResult.Succeeded, (await app.IngestAsync(source)).Result);
        var log = Assert.Single(await app.IngestionsAsync(source));
        Assert.Equal((IngestionStatus.Succeeded, 1), (log.Status, log.Attempts));
    }

    [Fact]
    public async Task A_running_claim_whose_lease_never_ends_is_taken_over_once_it_is_stale()
    {
        await using var app = new IngestionApp(database);
        var (course, source, etag) = await LeaveRunningClaimAsync(app, startedMinutesAgo: 16);

        // Older than Ingestion:StaleRunningMinutes (15): a lease still held is a connection that never closed.
        await using var zombie = await IngestionLease.TryAcquireAsync(database.ConnectionString, source, etag, CancellationToken.None);
        Assert.NotNull(zombie);
        var takeover = await app.IngestAsync(source);

        Assert.Equal(IngestionResult.Succeeded, takeover.Result);
        var log = Assert.Single(await app.IngestionsAsync(source));
        Assert.Equal((IngestionStatus.Succeeded, 2), (log.Status, log.Attempts));
        Assert.Equal(takeover.ChunkCount, (await app.ChunksAsync(course, source)).Count);
    }

    /// <summary>What a worker killed mid-ingestion leaves: its claim, running, and no chunks.</summary>
    private static async Task<(Guid Course, string Source, string ETag)> LeaveRunningClaimAsync(IngestionApp app, int startedMinutesAgo)
    {
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/dns.vtt", Transcript("DNS resolution"));
        var etag = (await app.Container.GetBlobClient(source).GetPropertiesAsync()).Value.ETag.ToString().Trim('"');
        var startedAt = DateTimeOffset.UtcNow.AddMinutes(-startedMinutesAgo);
        await app.Db(db =>
        {
            db.ContentIngestions.Add(new Data.Model.ContentIngestion
            {
                Id = Guid.NewGuid(), CourseId = course, Source = source, ETag = etag, Status = IngestionStatus.Running, Attempts = 1,
                QueuedAt = startedAt, StartedAt = startedAt,
            });
            return db.SaveChangesAsync();
        });
        return (course, source, etag);
    }

    private static async Task<IReadOnlyList<SourceDto>> ListAsync(IngestionApp app, Guid course, int page = 1, int pageSize = PageRequest.DefaultSize) =>
        (await app.Run<SourceService, PagedList<SourceDto>>(s => s.ListAsync(course.ToString(), new PageRequest(page, pageSize), default))).Items;

    private static async Task<IReadOnlyList<SearchHit>> Search(IngestionApp app, Guid course) =>
        (await app.Run<SearchService, SearchResults>(s => s.SearchAsync(course, "firewall rules filter traffic", "20", CancellationToken.None))).Items;
}
