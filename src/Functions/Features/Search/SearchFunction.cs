using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Search;

public sealed class SearchFunction(SearchService search)
{
    /// <summary><c>?q=&amp;k=</c>: the course's k chunks nearest the question, for enrolled learners, tutors and admins.</summary>
    [Function("SearchCourse")]
    [Allow(Callers.SignedIn)]
    [QueryParameter("q", "The question or search text.", Required = true, MaxLength = SearchService.MaxQueryLength)]
    [QueryParameter("k", "How many chunks to return.", Type = typeof(int), Minimum = 1, Maximum = SearchService.MaxK, Default = "5")]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/search")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var results = await search.SearchAsync(context.RequireCaller(), course, request.Query["q"], request.Query["k"], cancellationToken);
        return await request.OkAsync(results, cancellationToken);
    }
}
