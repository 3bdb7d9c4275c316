using System.Net;
using System.Net.Http.Headers;
using System.Text;
using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Security;

/// <summary>
/// Every admin route the build lists in <c>functions.metadata</c> (read, not hand-listed) is 401 anonymous and
/// 403 for learners and tutors, and such calls change nothing.
/// </summary>
public sealed class AdminRoutesTests(HostedApp app) : IClassFixture<HostedApp>
{
    [Fact]
    public async Task Every_admin_route_refuses_anonymous_learners_and_tutors_and_changes_nothing()
    {
        var routes = FunctionRoutes.Http().Where(r => r.Route.StartsWith("manage/", StringComparison.Ordinal)).Select(r => (r.Method, r.Route)).ToList();
        Assert.True(routes.Count >= 12, $"only {routes.Count} admin routes");
        var before = await CountsAsync();
        var learner = (await app.SignInAsync()).Token;
        var tutor = (await app.SignInAsync(UserRole.Tutor)).Token;

        var wrong = new List<string>();
        foreach (var (method, route) in routes)
        {
            var path = FunctionRoutes.Parameter().Replace(route, Guid.NewGuid().ToString());
            foreach (var (token, expected) in new[] { ((string?)null, HttpStatusCode.Unauthorized), (learner, HttpStatusCode.Forbidden), (tutor, HttpStatusCode.Forbidden) })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (method is not "GET") request.Content = new StringContent("""{"name":"x","members":[{"email":"a@example.com","batchNo":1}]}""", Encoding.UTF8, "application/json");
                using var response = await app.Api.SendAsync(request);
                if (response.StatusCode != expected) wrong.Add($"{method} /api/{path} as {(token is null ? "anonymous" : token == learner ? "learner" : "tutor")}: {(int)response.StatusCode}");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(before, await CountsAsync());
    }

    private async Task<(int Cohorts, int Members, int Staffing, int Uploads, int Courses, int Pages, int Audit)> CountsAsync()
    {
        await using var db = app.Database.CreateContext();
        return (await db.Cohorts.CountAsync(), await db.CohortMembers.CountAsync(), await db.CourseTutors.CountAsync(), await db.ContentIngestions.CountAsync(),
            await db.Courses.CountAsync(), await db.PageContent.CountAsync(), await db.AdminAuditEntries.CountAsync());
    }
}
