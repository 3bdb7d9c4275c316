using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Testing;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>
/// The re-scan that ingests what no Event Grid event brought (blobs uploaded before the subscription existed, or
/// whose event was lost). Scoped to the test's course prefix: other test classes share the Azurite container. The
/// app connects as a DML-only role, as in Azure: claims, leases and chunk writes need no more.
/// </summary>
public class ContentRescanTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static byte[] Transcript(string topic) => TestFiles.Utf8("WEBVTT\n\n" + string.Join("\n\n", Enumerable.Range(0, 12).Select(i =>
        $"00:00:{i:00}.000 --> 00:00:{i:00}.900\n<v Tutor>Cue {i} explains {topic} in some detail.</v>")), bom: false);

    [Fact]
    public async Task Blobs_without_an_ingestion_row_are_ingested_once_and_a_second_run_changes_nothing()
    {
        await database.UseDmlOnlyRoleAsync();
        await using var app = new IngestionApp(database);
        var (course, topic) = await app.CreateCourseAsync();
        // One blob came through the trigger; two were uploaded while no subscription existed.
        var viaEvent = await app.UploadAsync($"{course}/{topic}/dns.vtt", Transcript("DNS"));
        Assert.Equal(IngestionResult.Succeeded, (await app.IngestAsync(viaEvent)).Result);
        var missedA = await app.UploadAsync($"{course}/{topic}/routing.vtt", Transcript("routing"));
        var missedB = await app.UploadAsync($"{course}/notes.md", TestFiles.Utf8("# Subnets\n\nA subnet splits a network into smaller networks.", bom: false));
        var eventRow = Assert.Single(await app.IngestionsAsync(viaEvent));

        var first = await app.Get<ContentRescan>().RunAsync($"{course}/", CancellationToken.None);

        Assert.Equal(new RescanResult(Blobs: 3, Finished: 1, Ingested: 2, Skipped: 0, Failed: 0, Ignored: 0, Errors: 0), first);
        foreach (var source in new[] { missedA, missedB })
        {
            var row = Assert.Single(await app.IngestionsAsync(source));
            Assert.Equal((IngestionStatus.Succeeded, 1), (row.Status, row.Attempts));
            Assert.NotEmpty(await app.ChunksAsync(course, source));
        }
        Assert.Equal(eventRow.FinishedAt, Assert.Single(await app.IngestionsAsync(viaEvent)).FinishedAt);
        var chunksAfterFirst = (await app.ChunksAsync(course)).Select(c => c.Id).ToList();
        var rowsAfterFirst = await RowsAsync(app, viaEvent, missedA, missedB);

        var second = await app.Get<ContentRescan>().RunAsync($"{course}/", CancellationToken.None);

        Assert.Equal(new RescanResult(Blobs: 3, Finished: 3, Ingested: 0, Skipped: 0, Failed: 0, Ignored: 0, Errors: 0), second);
        Assert.Equal(chunksAfterFirst, (await app.ChunksAsync(course)).Select(c => c.Id).ToList());
        Assert.Equal(rowsAfterFirst, await RowsAsync(app, viaEvent, missedA, missedB));
    }

    [Fact]
    public async Task A_new_version_whose_event_was_lost_is_ingested_and_unparsable_paths_are_left_alone()
    {
        await database.UseDmlOnlyRoleAsync();
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var source = await app.UploadAsync($"{course}/lecture.vtt", Transcript("caching"));
        Assert.Equal(IngestionResult.Succeeded, (await app.IngestAsync(source)).Result);
        await app.UploadAsync(source, Transcript("cache invalidation")); // overwritten: a new ETag, no event
        await app.UploadAsync($"{course}/a/b/c/too-deep.txt", TestFiles.Utf8("not a content path", bom: false));

        var result = await app.Get<ContentRescan>().RunAsync($"{course}/", CancellationToken.None);

        Assert.Equal((2, 1, 1, 0), (result.Blobs, result.Ingested, result.Ignored, result.Errors));
        var rows = await app.IngestionsAsync(source);
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(IngestionStatus.Succeeded, r.Status));
        Assert.Contains(await app.ChunksAsync(course, source), c => c.Content.Contains("cache invalidation", StringComparison.Ordinal));
    }

    private static async Task<List<string>> RowsAsync(IngestionApp app, params string[] sources)
    {
        var rows = new List<string>();
        foreach (var source in sources)
            rows.AddRange((await app.IngestionsAsync(source)).Select(r => $"{r.Id} {r.ETag} {r.Status} {r.Attempts} {r.FinishedAt:O}"));
        return rows;
    }
}
