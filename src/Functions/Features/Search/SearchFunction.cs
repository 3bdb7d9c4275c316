using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Courses;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Search;

public sealed class SearchFunction(CourseResolver courses, CourseAccess access, SearchService search)
{
    /// <summary><c>?q=&amp;k=</c>: the course's k chunks nearest the question, for enrolled learners, tutors and admins.</summary>
    [Function("SearchCourse")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/search")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var target = await courses.ResolveAsync(course, cancellationToken);
        await access.RequireMemberAsync(caller, target.Id, cancellationToken);
        var results = await search.SearchAsync(target.Id, request.Query["q"], request.Query["k"], cancellationToken);
        return await request.JsonAsync(HttpStatusCode.OK, results, cancellationToken: cancellationToken);
    }
}
