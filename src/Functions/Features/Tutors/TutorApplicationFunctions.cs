using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Tutors;

public sealed class TutorApplicationFunctions(TutorApplicationService applications, ClientAddress addresses)
{
    /// <summary>
    /// Public: anyone may apply to tutor (201); a second while one is pending for the email is 409. Signed in, the
    /// application is for the caller's own account (its email), which approval may then make a tutor.
    /// </summary>
    [Function("SubmitTutorApplication")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> Apply(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "tutor-applications")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<TutorApplicationRequest>(cancellationToken);
        var submitted = await applications.ApplyAsync(body, context.GetCaller(), addresses.Of(request), cancellationToken);
        return await request.CreatedAsync(submitted, $"manage/tutor-applications/{submitted.Id}", cancellationToken);
    }

    /// <summary>
    /// One application, as reviewers see it: where the <c>Location</c> of <c>SubmitTutorApplication</c> points (a reviewer's
    /// URL: the applicant cannot read it back).
    /// </summary>
    [Function("GetTutorApplication")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/tutor-applications/{applicationId:guid}")] HttpRequestData request,
        Guid applicationId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(await applications.GetAsync(applicationId, cancellationToken), cancellationToken);
    }

    /// <summary><c>?status=pending|approved|rejected&amp;page=&amp;pageSize=</c>, newest first.</summary>
    [Function("ListTutorApplications")]
    [Allow(Callers.Admins)]
    [QueryParameter("status", "Only applications in this state.", Values = ["pending", "approved", "rejected"])]
    public async Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/tutor-applications")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        TutorApplicationStatus? status = request.Query["status"] switch
        {
            null or "" => null,
            "pending" => TutorApplicationStatus.Pending,
            "approved" => TutorApplicationStatus.Approved,
            "rejected" => TutorApplicationStatus.Rejected,
            _ => throw ProblemException.Validation("status", "One of pending, approved, rejected."),
        };
        return await request.PrivateJsonAsync(await applications.ListAsync(status, PageRequest.From(request), cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Approves (200, also when it already was); the response carries a one-time password-setup token when approval
    /// created the account. An existing account is upgraded only when it submitted the application signed in (else 409).
    /// </summary>
    [Function("ApproveTutorApplication")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Approve(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/tutor-applications/{applicationId:guid}/approve")] HttpRequestData request,
        Guid applicationId, FunctionContext context, CancellationToken cancellationToken)
    {
        var admin = context.RequireCaller();
        var approval = await applications.ApproveAsync(admin, applicationId, cancellationToken);
        return (await request.OkAsync(approval, cancellationToken)).NoStore();
    }

    [Function("RejectTutorApplication")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Reject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/tutor-applications/{applicationId:guid}/reject")] HttpRequestData request,
        Guid applicationId, FunctionContext context, CancellationToken cancellationToken)
    {
        var admin = context.RequireCaller();
        var body = await request.ReadJsonAsync<RejectApplicationRequest>(cancellationToken);
        return await request.OkAsync(await applications.RejectAsync(admin, applicationId, body.Reason!, cancellationToken), cancellationToken);
    }
}
