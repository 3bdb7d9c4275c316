using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Cohorts;

/// <summary>The signed-in learner's own cohort of a course and their batch's project brief.</summary>
public sealed class LearnerCohortFunctions(LearnerCohortService cohorts)
{
    [Function("GetMyCohort")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> GetCohort(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/cohort")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await cohorts.GetAsync(context.RequireCaller().UserId, course, cancellationToken), cancellationToken);

    [Function("GetMyCohortProject")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> GetProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/cohort/project")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await cohorts.GetProjectAsync(context.RequireCaller().UserId, course, cancellationToken), cancellationToken);
}
