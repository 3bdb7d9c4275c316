using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Enrollments;

public sealed class EnrollmentFunctions(EnrollmentService enrollments)
{
    /// <summary>
    /// <c>{ checkOnly? }</c> (the body is optional; <c>?checkOnly=true</c> works too). 201 with a new
    /// enrolment, 200 with the existing one, or 200 with the eligibility when checking.
    /// </summary>
    [Function("Enroll")]
    [Allow(Callers.SignedIn)]
    [QueryParameter("checkOnly", "true: only report the eligibility, enrol nobody.", Type = typeof(bool), Default = "false")]
    [OptionalBody]
    public async Task<HttpResponseData> Enroll(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "courses/{course}/enroll")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var userId = context.RequireCaller().UserId;
        var checkOnly = QueryValues.Flag(request.Query["checkOnly"], "checkOnly");
        if (HasBody(request)) checkOnly |= (await request.ReadJsonAsync<EnrollRequest>(cancellationToken)).CheckOnly == true;

        if (checkOnly)
            return await request.OkAsync(await enrollments.CheckAsync(userId, course, cancellationToken), cancellationToken);
        var outcome = await enrollments.EnrollAsync(userId, course, cancellationToken);
        return await request.CreatedOrOkAsync(outcome.Created, outcome.Enrollment, $"me/enrollments/{outcome.Enrollment.CourseSlug}", cancellationToken);
    }

    /// <summary>The caller's enrolment in the course: where the <c>Location</c> of <c>Enroll</c> points.</summary>
    [Function("GetMyEnrollment")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> GetMine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/enrollments/{course}")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await enrollments.GetMineAsync(context.RequireCaller().UserId, course, cancellationToken), cancellationToken);

    /// <summary>Cancels the caller's purchase of a course whose payment is pending (204); see <see cref="EnrollmentService.CancelPendingAsync"/>.</summary>
    [Function("CancelPendingEnrollment")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> CancelPending(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "me/enrollments/{course}")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        await enrollments.CancelPendingAsync(context.RequireCaller().UserId, course, cancellationToken);
        return request.NoContent();
    }

    [Function("ListMyEnrollments")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> ListMine(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "me/enrollments")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var userId = context.RequireCaller().UserId;
        var page = await enrollments.ListMineAsync(userId, PageRequest.From(request), cancellationToken);
        return await request.PrivateJsonAsync(page, cancellationToken);
    }

    /// <summary>A body is read when the client says it sent one (a content type and no zero length).</summary>
    private static bool HasBody(HttpRequestData request) =>
        request.Headers.Contains("Content-Type")
        && !(request.Headers.TryGetValues("Content-Length", out var lengths) && lengths.FirstOrDefault()?.Trim() == "0");
}
