using System.Net;
using System.Net.Http.Headers;
using CoursePlatform.Data.Model;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Http;

/// <summary>Catalog caching over HTTP: strong ETags and If-None-Match.</summary>
public sealed class CatalogHttpTests(HostedApp app) : IClassFixture<HostedApp>
{
    private async Task<Course> CreateCourse()
    {
        var now = DateTimeOffset.UtcNow;
        var course = Build.Course(now, name: "ETag course");
        await using var db = app.Database.CreateContext();
        db.Courses.Add(course);
        await db.SaveChangesAsync();
        return course;
    }

    private async Task<HttpResponseMessage> Get(string path, EntityTagHeaderValue? etag = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (etag is not null) request.Headers.IfNoneMatch.Add(etag);
        return await app.Api.SendAsync(request);
    }

    [Theory]
    [InlineData("courses")]
    [InlineData("courses/{slug}")]
    public async Task An_unchanged_catalog_answers_304_and_a_changed_one_200_with_a_new_etag(string route)
    {
        var course = await CreateCourse();
        var path = route.Replace("{slug}", course.Slug, StringComparison.Ordinal);

        using var first = await Get(path);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var etag = first.Headers.ETag!;
        Assert.False(etag.IsWeak);

        using var again = await Get(path, etag);
        Assert.Equal(HttpStatusCode.NotModified, again.StatusCode);
        Assert.Equal(etag, again.Headers.ETag);
        Assert.Empty(await again.Content.ReadAsByteArrayAsync());

        await using (var db = app.Database.CreateContext())
        {
            db.Courses.Attach(course);
            course.Name = "ETag course, renamed";
            await db.SaveChangesAsync();
        }
        using var changed = await Get(path, etag);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.NotEqual(etag, changed.Headers.ETag);
        Assert.Contains("renamed", await changed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
