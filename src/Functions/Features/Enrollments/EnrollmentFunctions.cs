using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Enrollments;

public sealed class EnrollmentFunctions(EnrollmentService enrollments, LearnerCohortService cohorts)
{
    /// <summary>
    /// <c>{ checkOnly? }</c> (the body is optional; <c>?checkOnly=true</c> works too). 201 with a new
    /// enrolment, 200 with the existing one, or 200 with the eligibility when checking.
    /// </summary>
    [Function("Enroll")]
    public async Task<HttpResponseData> Enroll(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "courses/{course}/enroll")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var checkOnly = string.Equals(request.Query["checkOnly"], "true", StringComparison.OrdinalIgnoreCase);
        if (HasBody(request)) checkOnly |= (await request.ReadJsonAsync<EnrollRequest>(cancellationToken)).CheckOnly == true;

        if (checkOnly)
            return await request.JsonAsync(HttpStatusCode.OK, await enrollments.CheckAsync(caller, course, cancellationToken), cancellationToken: cancellationToken);
        var outcome = await enrollments.EnrollAsync(caller, course, cancellationToken);
        return await request.JsonAsync(outcome.Created ? HttpStatusCode.Created : HttpStatusCode.OK, outcome.Enrollment, cancellationToken: cancellationToken);
    }

    [Function("ListMyEnrollments")]
    public async Task<HttpResponseData> ListMine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/enrollments")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var page = await enrollments.ListMineAsync(caller, PageRequest.From(request), cancellationToken);
        return await request.PrivateJsonAsync(page, cancellationToken);
    }

    [Function("GetMyCohort")]
    public async Task<HttpResponseData> GetCohort(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/cohort")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await cohorts.GetAsync(context.RequireCaller(), course, cancellationToken), cancellationToken);

    [Function("GetMyCohortProject")]
    public async Task<HttpResponseData> GetProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/cohort/project")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await cohorts.GetProjectAsync(context.RequireCaller(), course, cancellationToken), cancellationToken);

    /// <summary>A body is read when the client says it sent one (a content type and no zero length).</summary>
    private static bool HasBody(HttpRequestData request) =>
        request.Headers.Contains("Content-Type")
        && !(request.Headers.TryGetValues("Content-Length", out var lengths) && lengths.FirstOrDefault()?.Trim() == "0");
}
