using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Testing;
using Microsoft.AspNetCore.Identity;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>
/// The built app in the local Functions host: an admin asks for an upload URL, PUTs a deck to Azurite
/// with it, and without any other step the blob trigger makes it searchable through the HTTP API.
/// </summary>
public sealed class EndToEndTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private const string Password = "e2e-only-Password#1";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    private HostProcess _host = null!;
    private Guid _course;
    private string _courseSlug = "";
    private readonly List<string> _blobs = [];
    // xunit makes a class instance (and so a host) per test; the database is per class.
    private readonly string _admin = $"admin-{Guid.NewGuid():N}@e2e.example";
    private readonly string _tutor = $"tutor-{Guid.NewGuid():N}@e2e.example";
    private readonly string _hostId = LocalServices.NewHostId("ingest-e2e");

    public async Task InitializeAsync()
    {
        _courseSlug = $"e2e-{Guid.NewGuid():N}";
        await using (var db = database.CreateContext())
        {
            var now = DateTimeOffset.UtcNow;
            var course = Build.Course(now, _courseSlug, "Cloud networking");
            db.Add(course);
            db.Add(Staff(_admin, UserRole.Admin, now));
            db.Add(Staff(_tutor, UserRole.Tutor, now));
            await db.SaveChangesAsync();
            _course = course.Id;
        }

        using var sample = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Paths.RepositoryRoot, "local.settings.sample.json")));
        var settings = sample.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString() ?? "");
        settings["AzureWebJobsStorage"] = LocalServices.AzuriteConnectionString;
        settings["Database__ConnectionString"] = database.ConnectionString;
        settings["AzureFunctionsJobHost__id"] = _hostId;
        _host = HostProcess.Start(Paths.FunctionsApp, settings);
        await _host.WaitUntilRunningAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        var container = new BlobServiceClient(LocalServices.AzuriteConnectionString).GetBlobContainerClient("course-content");
        foreach (var blob in _blobs) await container.DeleteBlobIfExistsAsync(blob);
        await LocalServices.DeleteBlobReceiptsAsync(_hostId);
    }

    private static User Staff(string email, UserRole role, DateTimeOffset now)
    {
        var user = Build.User(now, role, email);
        user.PasswordHash = new PasswordHasher<User>().HashPassword(user, Password);
        return user;
    }

    [Fact]
    public async Task An_uploaded_deck_becomes_searchable_through_the_running_app()
    {
        var admin = await SignInAsync(_admin);

        // 1. The admin asks for an upload URL (course by slug, as the frontend does).
        using var ticketResponse = await SendAsync(HttpMethod.Post, $"api/manage/courses/{_courseSlug}/uploads", admin,
            JsonContent.Create(new { fileName = "Week 2 - DNS.pptx" }));
        Assert.True(ticketResponse.StatusCode == HttpStatusCode.OK, await DescribeAsync(ticketResponse));
        using var ticket = JsonDocument.Parse(await ticketResponse.Content.ReadAsStringAsync());
        // One name for the source everywhere: the ticket's path is what the log, search and the sources list say.
        var path = ticket.RootElement.GetProperty("path").GetString()!;
        _blobs.Add($"{_course}/{path}");
        Assert.Equal("Week-2-DNS.pptx", path);

        // 2. The browser PUTs the deck straight to storage.
        var deck = TestFiles.Pptx(
            new TestSlide("Week 2", ["Name resolution on the internet."]),
            new TestSlide("DNS", ["The domain name system translates host names such as example.com into IP addresses."],
                Notes: "Ask who has edited a hosts file."));
        await new BlobClient(new Uri(ticket.RootElement.GetProperty("uploadUrl").GetString()!)).UploadAsync(new BinaryData(deck));

        // 3. Nobody asks: the blob trigger ingests it; the log says so.
        JsonElement entry = default;
        var ingested = await Eventually.HoldsAsync(async () =>
        {
            using var log = await SendAsync(HttpMethod.Get, $"api/manage/courses/{_course}/ingestions", admin);
            if (log.StatusCode != HttpStatusCode.OK) return false;
            using var json = JsonDocument.Parse(await log.Content.ReadAsStringAsync());
            var items = json.RootElement.GetProperty("items");
            if (items.GetArrayLength() == 0) return false;
            entry = items[0].Clone();
            return entry.GetProperty("status").GetString() is "succeeded" or "failed";
        }, Patience);
        Assert.True(ingested, _host.Output);
        Assert.Equal("succeeded", entry.GetProperty("status").GetString());
        Assert.Equal(path, entry.GetProperty("source").GetString());
        Assert.Matches("^\"[^\"]+\"$", entry.GetProperty("eTag").GetString()); // quoted, as the HTTP ETag

        // 4. Search finds it, with its slide number.
        using var search = await SendAsync(HttpMethod.Get, $"api/courses/{_courseSlug}/search?q={Uri.EscapeDataString("how are host names turned into addresses?")}&k=1", admin);
        Assert.True(search.StatusCode == HttpStatusCode.OK, await DescribeAsync(search));
        using var results = JsonDocument.Parse(await search.Content.ReadAsStringAsync());
        var hit = Assert.Single(results.RootElement.GetProperty("items").EnumerateArray());
        Assert.Equal(path, hit.GetProperty("source").GetString());
        Assert.Equal("Week-2-DNS.pptx", hit.GetProperty("sourceName").GetString());
        Assert.Contains("domain name system", hit.GetProperty("content").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, hit.GetProperty("slide").GetInt32());
    }

    [Fact]
    public async Task Uploads_and_the_log_are_for_admins_and_search_for_members_of_the_course()
    {
        var tutor = await SignInAsync(_tutor); // not assigned to the course

        using var anonymousSearch = await SendAsync(HttpMethod.Get, $"api/courses/{_courseSlug}/search?q=dns", null);
        using var tutorSearch = await SendAsync(HttpMethod.Get, $"api/courses/{_courseSlug}/search?q=dns", tutor);
        using var tutorUpload = await SendAsync(HttpMethod.Post, $"api/manage/courses/{_courseSlug}/uploads", tutor,
            JsonContent.Create(new { fileName = "deck.pptx" }));
        using var tutorLog = await SendAsync(HttpMethod.Get, $"api/manage/courses/{_courseSlug}/ingestions", tutor);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymousSearch.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tutorSearch.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tutorUpload.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, tutorLog.StatusCode);

        var admin = await SignInAsync(_admin);
        using var badName = await SendAsync(HttpMethod.Post, $"api/manage/courses/{_courseSlug}/uploads", admin,
            JsonContent.Create(new { fileName = "setup.exe" }));
        using var unknownCourse = await SendAsync(HttpMethod.Get, "api/courses/no-such-course/search?q=dns", admin);
        Assert.Equal(HttpStatusCode.BadRequest, badName.StatusCode);
        Assert.Equal("application/problem+json", badName.Content.Headers.ContentType?.MediaType);
        Assert.Contains("fileName", await badName.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknownCourse.StatusCode);
    }

    private async Task<string> SignInAsync(string email)
    {
        using var response = await _host.Client.PostAsJsonAsync("api/auth/login", new { email, password = Password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await DescribeAsync(response));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return json.RootElement.GetProperty("accessToken").GetString()!;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? token, HttpContent? content = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await _host.Client.SendAsync(request);
    }

    private async Task<string> DescribeAsync(HttpResponseMessage response) =>
        $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{_host.Output}";
}
