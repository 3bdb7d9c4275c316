using System.Net;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Catalog;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;

namespace CoursePlatform.Functions.Tests.Catalog;

public sealed class CatalogTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly TestApp app = new(database);
    private readonly string tag = Guid.NewGuid().ToString("N")[..8];

    public void Dispose() => app.Dispose();

    private async Task<Course> Course(string name, bool published = true, int topics = 0)
    {
        var now = app.Clock.GetUtcNow();
        var slug = $"{name.ToLowerInvariant().Replace(' ', '-').Replace("%", "pct", StringComparison.Ordinal).Replace("_", "u", StringComparison.Ordinal)}-{Guid.NewGuid():N}"[..30].TrimEnd('-');
        var course = Build.Course(now, slug, name, price: 10, published: published, modules: 2);
        for (var i = 0; i < topics; i++)
        {
            var topic = Build.Topic(course, now, i / 2 + 1, i % 2 + 1, $"T{i}");
            topic.IsPreview = i == 0;
            course.Topics.Add(topic);
        }
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.Courses.Add(course);
            await db.SaveChangesAsync();
        });
        return course;
    }

    private Task<PagedList<CourseSummary>> List(string? q, int page = 1, int size = 20) =>
        app.Run<CatalogService, PagedList<CourseSummary>>(c => c.ListAsync(q, new PageRequest(page, size), default));

    [Fact]
    public async Task Lists_published_courses_only_searched_by_name_case_insensitively_and_paged()
    {
        await Course($"Alpha {tag} Cloud", topics: 3);
        await Course($"Beta {tag} cloud");
        await Course($"Gamma {tag} CLOUD hidden", published: false);
        await Course($"Delta {tag} databases");

        var cloud = await List($"{tag} cloud");
        Assert.Equal([$"Alpha {tag} Cloud", $"Beta {tag} cloud"], cloud.Items.Select(c => c.Name));
        Assert.Equal(2, cloud.Total);
        Assert.Equal(3, cloud.Items[0].TopicCount);

        var second = await List(tag, page: 2, size: 2);
        Assert.Equal((3, 2, 2), (second.Total, second.Page, second.PageSize));
        Assert.Equal([$"Delta {tag} databases"], second.Items.Select(c => c.Name));
    }

    [Fact]
    public async Task Search_wildcards_are_literal()
    {
        await Course($"Save 100% {tag}");
        await Course($"Save 1000 {tag}");

        Assert.Equal([$"Save 100% {tag}"], (await List($"100% {tag}")).Items.Select(c => c.Name));
        Assert.Empty((await List($"_{tag}x")).Items);
    }

    [Fact]
    public async Task Detail_has_modules_with_topic_titles_and_the_callers_enrolment()
    {
        var course = await Course($"Detail {tag}", topics: 3);
        var learner = await app.CreateUserAsync();
        var stranger = await app.CreateUserAsync();
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.Enrollments.Add(Build.Enrollment(learner.Id, course.Id, app.Clock.GetUtcNow(), source: EnrollmentSource.Admin));
            await db.SaveChangesAsync();
        });
        Task<CourseDetail> Detail(string key, User? user) =>
            app.Run<CatalogService, CourseDetail>(c => c.DetailAsync(key, user is null ? null : new Caller(user.Id, Guid.NewGuid(), user.Role), default));

        var anonymous = await Detail(course.Slug, null);
        Assert.Equal([1, 2], anonymous.Modules.Select(m => m.ModuleNo));
        Assert.Equal(["T0", "T1"], anonymous.Modules[0].Topics.Select(t => t.Name));
        Assert.True(anonymous.Modules[0].Topics[0].IsPreview);
        Assert.Null(anonymous.Enrolled);
        Assert.Null(anonymous.Eligible);
        var mine = await Detail(course.Id.ToString(), learner);
        Assert.Equal((true, true, "already_enrolled"), (mine.Enrolled, mine.Eligible, mine.EligibilityReason));
        var theirs = await Detail(course.Slug, stranger);
        Assert.Equal((false, true, "payment_required"), (theirs.Enrolled, theirs.Eligible, theirs.EligibilityReason)); // an open paid course: via the cart
    }

    [Fact]
    public async Task An_unpublished_course_is_visible_to_admins_only()
    {
        var hidden = await Course($"Hidden {tag}", published: false);
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var learner = await app.CreateUserAsync();

        var seen = await app.Run<CatalogService, CourseDetail>(c => c.DetailAsync(hidden.Slug, new Caller(admin.Id, Guid.NewGuid(), UserRole.Admin), default));
        Assert.False(seen.IsPublished);
        foreach (var caller in new Caller?[] { null, new(learner.Id, Guid.NewGuid(), UserRole.Learner) })
        {
            var error = await Assert.ThrowsAsync<ProblemException>(() => app.Run<CatalogService, CourseDetail>(c => c.DetailAsync(hidden.Slug, caller, default)));
            Assert.Equal(HttpStatusCode.NotFound, error.Status);
        }
    }

    [Fact]
    public async Task Pages_are_found_by_slug_and_unknown_ones_are_404()
    {
        var slug = $"about-{tag}";
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.PageContent.Add(new PageContent { Slug = slug, Title = "About", Content = JsonDocument.Parse("""{"markdown":"# Hi"}"""), UpdatedAt = app.Clock.GetUtcNow() });
            await db.SaveChangesAsync();
        });

        var page = await app.Run<CatalogService, PageDto>(c => c.PageAsync(slug.ToUpperInvariant(), default));
        Assert.Equal(("About", "# Hi"), (page.Title, page.Content["markdown"]!.GetValue<string>()));
        await Assert.ThrowsAsync<ProblemException>(() => app.Run<CatalogService, PageDto>(c => c.PageAsync("nope", default)));
    }

    [Fact]
    public async Task An_overlong_search_is_a_validation_error()
    {
        var error = await Assert.ThrowsAsync<ProblemException>(() => List(new string('x', 101)));
        Assert.True(error.Errors!.ContainsKey("q"));
    }
}
