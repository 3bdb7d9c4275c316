using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Cohorts;

/// <summary>Admin routes for cohorts: every function admits admins only, before it reads anything.</summary>
public sealed class CohortAdminFunctions(CohortAdminService cohorts)
{
    [Function("ManageListCohorts")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/courses/{course}/cohorts")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(await cohorts.ListAsync(course, PageRequest.From(request), cancellationToken), cancellationToken);
    }

    [Function("ManageCreateCohort")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Create(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/courses/{course}/cohorts")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<CreateCohortRequest>(cancellationToken);
        var cohort = await cohorts.CreateAsync(course, body, cancellationToken);
        return await request.CreatedAsync(cohort, $"manage/cohorts/{cohort.Id}", cancellationToken);
    }

    /// <summary>The cohort: where the <c>Location</c> of <c>ManageCreateCohort</c> points.</summary>
    [Function("ManageGetCohort")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/cohorts/{cohortId:guid}")] HttpRequestData request,
        Guid cohortId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(await cohorts.GetAsync(cohortId, cancellationToken), cancellationToken);
    }

    [Function("ManageUpdateCohort")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Update(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "manage/cohorts/{cohortId:guid}")] HttpRequestData request,
        Guid cohortId, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<UpdateCohortRequest>(cancellationToken);
        return await request.PrivateJsonAsync(await cohorts.UpdateAsync(cohortId, body, cancellationToken), cancellationToken);
    }

    [Function("ManageDeleteCohort")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/cohorts/{cohortId:guid}")] HttpRequestData request,
        Guid cohortId, FunctionContext context, CancellationToken cancellationToken)
    {
        await cohorts.DeleteAsync(cohortId, cancellationToken);
        return request.NoContent();
    }

    /// <summary><c>?q=</c> filters by a part of the email; paged.</summary>
    [Function("ManageListCohortMembers")]
    [Allow(Callers.Admins)]
    [QueryParameter("q", "Finds members whose email contains this text.")]
    public async Task<HttpResponseData> ListMembers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/cohorts/{cohortId:guid}/members")] HttpRequestData request,
        Guid cohortId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(await cohorts.ListMembersAsync(cohortId, request.Query["q"], PageRequest.From(request), cancellationToken), cancellationToken);
    }

    /// <summary><c>{ members: [{ email, batchNo }] }</c>: upsert; <c>{ received, distinct, inserted, updated, unchanged }</c>.</summary>
    [Function("ManageUpsertCohortMembers")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> UpsertMembers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/cohorts/{cohortId:guid}/members")] HttpRequestData request,
        Guid cohortId, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<UpsertMembersRequest>(cancellationToken);
        return await request.PrivateJsonAsync(await cohorts.UpsertMembersAsync(cohortId, body, cancellationToken), cancellationToken);
    }

    /// <summary><c>?email=</c> removes one member (204, or 404); a body <c>{ emails: [...] }</c> removes many (<c>{ requested, removed }</c>).</summary>
    [Function("ManageRemoveCohortMembers")]
    [Allow(Callers.Admins)]
    [OptionalBody]
    [QueryParameter("email", "Removes this one member (204, or 404); without it the body lists the emails.")]
    public async Task<HttpResponseData> RemoveMembers(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/cohorts/{cohortId:guid}/members")] HttpRequestData request,
        Guid cohortId, FunctionContext context, CancellationToken cancellationToken)
    {
        if (request.Query["email"] is { } email)
        {
            await cohorts.RemoveMemberAsync(cohortId, email, cancellationToken);
            return request.NoContent();
        }
        if (!request.Headers.Contains("Content-Type"))
            throw ProblemException.BadRequest("Name the member with ?email= or send { emails: [...] }.");
        var body = await request.ReadJsonAsync<RemoveMembersRequest>(cancellationToken);
        return await request.PrivateJsonAsync(await cohorts.RemoveMembersAsync(cohortId, body, cancellationToken), cancellationToken);
    }

    /// <summary>The brief of a batch: where the <c>Location</c> of <c>ManagePutCohortProject</c> points.</summary>
    [Function("ManageGetCohortProject")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> GetProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/cohorts/{cohortId:guid}/projects/{batchNo}")] HttpRequestData request,
        Guid cohortId, string batchNo, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(await cohorts.GetProjectAsync(cohortId, batchNo, cancellationToken), cancellationToken);
    }

    /// <summary><c>{ title, tagline, description, notes? }</c>: 201 when the batch had no brief, else 200.</summary>
    [Function("ManagePutCohortProject")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> PutProject(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "manage/cohorts/{cohortId:guid}/projects/{batchNo}")] HttpRequestData request,
        Guid cohortId, string batchNo, FunctionContext context, CancellationToken cancellationToken)
    {
        CohortAdminService.ParseBatchNo(batchNo);
        var body = await request.ReadJsonAsync<ProjectBriefRequest>(cancellationToken);
        var (brief, created) = await cohorts.PutProjectAsync(cohortId, batchNo, body, cancellationToken);
        return await request.CreatedOrOkAsync(created, brief, $"manage/cohorts/{cohortId}/projects/{batchNo}", cancellationToken);
    }
}
