using System.Net;
using Azure;
using Azure.Storage.Blobs;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>Upload URLs against Azurite: what the SAS lets a browser do, and what it does not.</summary>
public class UploadTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private static Task<UploadTicket> Ticket(IngestionApp app, Guid course, string fileName, Guid? topic = null) =>
        app.Run<UploadService, UploadTicket>(s => s.CreateAsync(course, new UploadRequest { FileName = fileName, TopicId = topic }, CancellationToken.None));

    [Fact]
    public async Task The_url_writes_exactly_its_blob_and_the_upload_ingests()
    {
        await using var app = new IngestionApp(database);
        var (course, topic) = await app.CreateCourseAsync();

        var before = DateTimeOffset.UtcNow;
        var ticket = await Ticket(app, course, "Week 1 Deck.pptx", topic);

        // The ticket names the source as the sources list and ?path= do: its path inside the course.
        Assert.Equal($"{topic}/Week-1-Deck.pptx", ticket.Path);
        Assert.InRange(ticket.ExpiresAt, before.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(15));
        var upload = new BlobClient(new Uri(ticket.UploadUrl));
        Assert.Equal($"{course}/{ticket.Path}", upload.Name);
        await upload.UploadAsync(new BinaryData(TestFiles.Pptx(new TestSlide("Week 1", ["Cloud basics."]))));

        var outcome = await app.IngestAsync($"{course}/{ticket.Path}");
        Assert.Equal(IngestionResult.Succeeded, outcome.Result);
        Assert.Equal(topic, Assert.Single(await app.ChunksAsync(course)).TopicId);
    }

    [Fact]
    public async Task The_url_cannot_write_another_blob_read_list_or_delete()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var ticket = await Ticket(app, course, "notes.md");
        var url = new Uri(ticket.UploadUrl);
        await new BlobClient(url).UploadAsync(new BinaryData("# Notes"u8.ToArray()));

        var sas = url.Query;
        var containerUrl = url.GetLeftPart(UriPartial.Path)[..^(course.ToString().Length + ticket.Path.Length + 2)];
        var otherBlob = new BlobClient(new Uri($"{containerUrl}/{course}/other.md{sas}"));
        var container = new BlobContainerClient(new Uri($"{containerUrl}{sas}"));

        await AssertForbidden(() => otherBlob.UploadAsync(new BinaryData("x"u8.ToArray())));
        await AssertForbidden(() => new BlobClient(url).DownloadContentAsync());
        await AssertForbidden(async () => await container.GetBlobsAsync().AsPages().GetAsyncEnumerator().MoveNextAsync());
        await AssertForbidden(() => new BlobClient(url).DeleteAsync());
        Assert.True((await app.Container.GetBlobClient($"{course}/{ticket.Path}").ExistsAsync()).Value);
        Assert.False((await app.Container.GetBlobClient($"{course}/other.md").ExistsAsync()).Value);
    }

    [Fact]
    public async Task An_expired_url_is_refused()
    {
        // A clock two hours behind: the URL it signs expired long before the upload is tried.
        var past = new FakeTimeProvider(DateTimeOffset.UtcNow.AddHours(-2));
        await using var app = new IngestionApp(database, time: past);
        var (course, _) = await app.CreateCourseAsync();
        var ticket = await Ticket(app, course, "talk.vtt");

        Assert.True(ticket.ExpiresAt < DateTimeOffset.UtcNow);
        await AssertForbidden(() => new BlobClient(new Uri(ticket.UploadUrl)).UploadAsync(new BinaryData("WEBVTT\n"u8.ToArray())));
        Assert.False((await app.Container.GetBlobClient($"{course}/{ticket.Path}").ExistsAsync()).Value);
    }

    [Theory]
    [InlineData("../../etc/My Deck (final).PPTX", "My-Deck-final.pptx")]
    [InlineData("C:\\Users\\ana\\lecture 3 - routing.vtt", "lecture-3-routing.vtt")]
    [InlineData("transcript.srt", "transcript.srt")]
    [InlineData("read me.txt", "read-me.txt")]
    public void File_names_are_sanitised(string name, string expected) =>
        Assert.Equal(expected, UploadService.SanitizeFileName(name));

    [Fact]
    public void Names_that_differ_only_in_non_ascii_characters_stay_distinct_and_stable()
    {
        var first = UploadService.SanitizeFileName("ünïcödé名前.md")!;
        var second = UploadService.SanitizeFileName("ünïcödé別.md")!;
        Assert.NotEqual(first, second);
        Assert.Matches("^n-c-d-[0-9a-f]{8}\\.md$", first);
        Assert.Equal(first, UploadService.SanitizeFileName("ünïcödé名前.md"));
        Assert.Matches("^file-[0-9a-f]{8}\\.md$", UploadService.SanitizeFileName("名前.md")!);
        Assert.Matches("^lecture-3-routing-[0-9a-f]{8}\\.vtt$", UploadService.SanitizeFileName("lecture 3 – routing.vtt")!); // an en dash is not ASCII
    }

    [Theory]
    [InlineData("malware.exe")]
    [InlineData("deck.ppt")]
    [InlineData("....pptx")]
    [InlineData("!!!.md")]
    [InlineData("pptx")]
    public async Task Unsupported_or_empty_file_names_are_validation_problems(string name)
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var problem = await Assert.ThrowsAsync<ProblemException>(() => Ticket(app, course, name));
        Assert.Equal(["fileName"], problem.Errors!.Keys);
    }

    [Fact]
    public async Task A_topic_of_another_course_is_a_validation_problem()
    {
        await using var app = new IngestionApp(database);
        var (course, _) = await app.CreateCourseAsync();
        var (_, foreignTopic) = await app.CreateCourseAsync();
        var problem = await Assert.ThrowsAsync<ProblemException>(() => Ticket(app, course, "deck.pptx", foreignTopic));
        Assert.Equal(["topicId"], problem.Errors!.Keys);
    }

    private static async Task AssertForbidden(Func<Task> action)
    {
        var error = await Assert.ThrowsAsync<RequestFailedException>(action);
        Assert.Equal((int)HttpStatusCode.Forbidden, error.Status);
    }
}
