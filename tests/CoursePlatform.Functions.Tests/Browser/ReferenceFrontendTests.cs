using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Tests.ApiContract;
using CoursePlatform.OidcStandIn;
using Microsoft.AspNetCore.Identity;

namespace CoursePlatform.Functions.Tests.Browser;

/// <summary>
/// The app as the reference frontend (samples/web) meets it: CORS for its origin, Google sign-in through the stand-in
/// with the callback on the app's own URL (a real browser follows it), and a course to learn.
/// </summary>
public sealed class BrowserHostedApp : HostedApp, IAsyncLifetime
{
    public const string Frontend = "http://localhost:5173";
    public const string StaffPassword = "browser-tests-Admin#2026";

    private readonly int port = HostProcess.FreePort();

    public StandInProvider Provider { get; private set; } = null!;
    public LearningCourse Course { get; private set; } = null!;
    public string StaffEmail { get; } = $"staff-{Guid.NewGuid():N}@example.com";

    protected override int? Port => port;

    protected override object? HostSection() => new { CORS = Frontend, CORSCredentials = false };

    protected override IDictionary<string, string> Settings() => new Dictionary<string, string>
    {
        ["Google__Authority"] = Provider.Issuer,
        ["Google__ClientId"] = "browser-client",
        ["Google__ClientSecret"] = "browser-secret",
        ["Google__CallbackUrl"] = $"http://127.0.0.1:{port}/api/auth/google/callback",
        ["Google__AllowedRedirectOrigins"] = Frontend,
        ["Google__DefaultFrontendUrl"] = Frontend + "/",
    };

    async Task IAsyncLifetime.InitializeAsync()
    {
        Provider = await StandInProvider.StartAsync(new StandInSettings("browser-client", "browser-secret"));
        // Storage lets the frontend's origin PUT an upload, as run.sh and the Bicep set it (a fresh Azurite has no rule).
        await CoursePlatform.DevTool.StorageCors.ApplyAsync(LocalServices.AzuriteConnectionString, Frontend, CancellationToken.None);
        await InitializeAsync();
        Course = await LearningCourse.CreateAsync(async use =>
        {
            await using var db = Database.CreateContext();
            await use(db);
        }, DateTimeOffset.UtcNow);
        var staff = Build.User(DateTimeOffset.UtcNow, UserRole.Admin, StaffEmail);
        staff.PasswordHash = new PasswordHasher<User>().HashPassword(staff, StaffPassword);
        await using var context = Database.CreateContext();
        context.Users.Add(staff);
        await context.SaveChangesAsync();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();
        await Provider.DisposeAsync();
    }
}

/// <summary>
/// The reference frontend in headless Chromium (tools/openapi/web-walk.mjs over playwright-core): the learner's walk
/// from Google sign-in to the tutor, a failed sign-in back on the page, and an admin's upload from the page to
/// storage, ingested and searched. One browser run for the three (the suite stays short); screenshots go to
/// .local/test-results/browser.
/// </summary>
public sealed class ReferenceFrontendTests(BrowserHostedApp app) : IClassFixture<BrowserHostedApp>
{
    [Fact]
    public async Task The_reference_page_runs_the_learner_and_admin_walk_in_a_real_browser()
    {
        var screenshots = Paths.TestResults("browser");
        var api = new Uri(app.Api.BaseAddress!, ".").ToString().TrimEnd('/');
        var learner = $"learner-{Guid.NewGuid():N}@example.com";
        var config = Path.Combine(screenshots, "web-walk.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            api,
            web = Path.Combine(Paths.RepositoryRoot, "samples", "web"),
            learnerEmail = learner,
            staffEmail = app.StaffEmail,
            staffPassword = BrowserHostedApp.StaffPassword,
            upload = Path.Combine(Paths.RepositoryRoot, "samples", "week1-subnets.vtt"),
            search = "which subnet is public",
            question = "What is this topic about?",
            wrong = "wrong",
            screenshots,
        }));

        // Generous: the upload's ingestion embeds on a CPU that the other test assemblies share in CI.
        var (exitCode, output) = await NodeTools.RunAsync(TimeSpan.FromMinutes(8), "node", "web-walk.mjs", config);
        Assert.True(exitCode == 0, $"web-walk.mjs failed ({exitCode}):\n{output}");
        using var report = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        var root = report.RootElement;
        Assert.False(root.TryGetProperty("failure", out var failure), $"{failure}\n{output}");

        // The sign-in redirect chain: page -> start (sets the binding cookie) -> provider -> callback (sends it back) -> page with a code.
        var walk = root.GetProperty("learner");
        var chain = walk.GetProperty("navigations").EnumerateArray().Select(n => (Url: n.GetProperty("url").GetString()!, Status: n.GetProperty("status").GetInt32(),
            Cookie: n.GetProperty("cookie").GetString())).ToList();
        var start = chain.FindIndex(n => n.Url.Contains("/api/auth/google/start", StringComparison.Ordinal));
        Assert.True(start > 0, string.Join("\n", chain));
        Assert.Equal(302, chain[start].Status);
        Assert.StartsWith(app.Provider.Issuer, chain[start + 1].Url, StringComparison.Ordinal);
        Assert.Contains("/api/auth/google/callback", chain[start + 2].Url, StringComparison.Ordinal);
        Assert.Contains("cp_google_signin=", chain[start + 2].Cookie, StringComparison.Ordinal);
        Assert.StartsWith(BrowserHostedApp.Frontend + "/?code=", chain[start + 3].Url, StringComparison.Ordinal);
        // The exchange happened once and the code left the address bar.
        Assert.Contains(learner, walk.GetProperty("who").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("code=", walk.GetProperty("urlAfterSignIn").GetString(), StringComparison.Ordinal);

        // Headers the API relies on, read from JS (Access-Control-Expose-Headers), and Locations that answer GET.
        Assert.Matches("^\"[^\"]+\"$", walk.GetProperty("catalogEtag").GetString());
        Assert.Matches("^\"[^\"]+\"$", walk.GetProperty("courseEtag").GetString());
        Assert.Equal($"/api/me/enrollments/{app.Course.Course.Slug}", walk.GetProperty("enrolLocation").GetString());
        Assert.Equal("active (enrollment)", walk.GetProperty("enrolStatus").GetString());
        Assert.Equal(app.Course.Topics.OrderBy(t => t.ModuleNo).ThenBy(t => t.TopicNumber).First().Name, walk.GetProperty("lessonTitle").GetString());
        Assert.StartsWith("/api/quiz/attempts/", walk.GetProperty("quizLocation").GetString(), StringComparison.Ordinal);
        Assert.Contains("not passed", walk.GetProperty("quizResult").GetString(), StringComparison.Ordinal);
        Assert.True(int.Parse(walk.GetProperty("retryAfter").GetString()!, System.Globalization.CultureInfo.InvariantCulture) > 0);
        Assert.StartsWith("quiz_cooldown:", walk.GetProperty("errorBanner").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(walk.GetProperty("tutorAnswer").GetString()));

        // A failed sign-in (a staff email at Google) comes back to the page with its error, never a JSON page.
        var failed = root.GetProperty("failedSignIn");
        Assert.StartsWith("Sign-in failed (account_conflict):", failed.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.StartsWith(BrowserHostedApp.Frontend + "/", failed.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("error=", failed.GetProperty("url").GetString(), StringComparison.Ordinal);
        Assert.Equal("Not signed in", failed.GetProperty("who").GetString());

        // The admin's upload: PUT from the page's origin to Azurite's SAS URL, ingested, found by search under one name.
        var admin = root.GetProperty("admin");
        Assert.Equal("week1-subnets.vtt", admin.GetProperty("uploadPath").GetString());
        Assert.Matches("^\"[^\"]+\"$", admin.GetProperty("uploadEtag").GetString());
        Assert.Equal("succeeded", admin.GetProperty("ingestion").GetString());
        Assert.Contains(admin.GetProperty("searchResults").EnumerateArray(), r => r.GetString()!.StartsWith("week1-subnets.vtt (week1-subnets.vtt)", StringComparison.Ordinal));

        // Nothing went wrong that was not provoked on purpose: the one 409 of the second quiz start.
        foreach (var name in new[] { "learner", "failedSignIn", "admin" })
        {
            var scenario = root.GetProperty(name);
            var provoked = name == "learner" ? new[] { $"POST /api/courses/{app.Course.Course.Slug}/quiz/attempts 409" } : [];
            Assert.Equal(provoked, scenario.GetProperty("errorResponses").EnumerateArray().Select(e => e.GetString()));
            Assert.Empty(scenario.GetProperty("failedRequests").EnumerateArray());
            var consoleErrors = scenario.GetProperty("consoleErrors").EnumerateArray().Select(e => e.GetString()!)
                .Where(e => !(name == "learner" && e.Contains("409", StringComparison.Ordinal) && e.Contains("/quiz/attempts", StringComparison.Ordinal)));
            Assert.Empty(consoleErrors);
        }
        foreach (var shot in new[] { "learner.png", "failed-sign-in.png", "admin.png" })
            Assert.True(new FileInfo(Path.Combine(screenshots, shot)).Length > 10_000, $"no screenshot {shot}");
    }
}
