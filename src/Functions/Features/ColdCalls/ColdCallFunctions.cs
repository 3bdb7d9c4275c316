using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.ColdCalls;

public sealed class ColdCallFunctions(ColdCallService coldCalls)
{
    [Function("ListColdCallPrompts")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Prompts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "topics/{topicId:guid}/cold-calls")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(new { items = await coldCalls.PromptsAsync(context.RequireCaller(), topicId, cancellationToken) }, cancellationToken);

    /// <summary><c>{ content, parentId? }</c>: a root response (one per learner and prompt; a second is 409) or a reply; 201.</summary>
    [Function("PostColdCallMessage")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Post(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cold-calls/{promptId:guid}/messages")] HttpRequestData request,
        Guid promptId, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var body = await request.ReadJsonAsync<PostMessageRequest>(cancellationToken);
        var message = await coldCalls.PostAsync(caller, promptId, body, cancellationToken);
        return await request.CreatedAsync(message, $"cold-call-messages/{message.Id}", cancellationToken);
    }

    /// <summary>The cohort's thread, oldest first, paged; staff may filter by <c>?cohortId=</c>.</summary>
    [Function("GetColdCallThread")]
    [Allow(Callers.SignedIn)]
    [QueryParameter("cohortId", "Staff only: the thread of this cohort.", Type = typeof(Guid))]
    public async Task<HttpResponseData> Thread(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cold-calls/{promptId:guid}/messages")] HttpRequestData request,
        Guid promptId, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        Guid? cohort = null;
        if (request.Query["cohortId"] is { Length: > 0 } text)
            cohort = Guid.TryParse(text, out var id) ? id : throw ProblemException.Validation("cohortId", "Must be a cohort id (a GUID).");
        return await request.PrivateJsonAsync(await coldCalls.ThreadAsync(caller, promptId, cohort, PageRequest.From(request), cancellationToken), cancellationToken);
    }

    /// <summary>One message, as the caller's thread shows it: where the <c>Location</c> of <c>PostColdCallMessage</c> points.</summary>
    [Function("GetColdCallMessage")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Message(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "cold-call-messages/{messageId:guid}")] HttpRequestData request,
        Guid messageId, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await coldCalls.GetMessageAsync(context.RequireCaller(), messageId, cancellationToken), cancellationToken);

    [Function("ToggleColdCallStar")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Star(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cold-call-messages/{messageId:guid}/star")] HttpRequestData request,
        Guid messageId, FunctionContext context, CancellationToken cancellationToken) =>
        await request.OkAsync(await coldCalls.ToggleStarAsync(context.RequireCaller(), messageId, cancellationToken), cancellationToken);

    /// <summary>Hides a message from learners (<c>?hidden=false</c> shows it again); the course's tutors and admins.</summary>
    [Function("HideColdCallMessage")]
    [Allow(Callers.CourseStaff)]
    [QueryParameter("hidden", "false shows the message again.", Type = typeof(bool), Default = "true")]
    public async Task<HttpResponseData> Hide(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "cold-call-messages/{messageId:guid}/hide")] HttpRequestData request,
        Guid messageId, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var hidden = request.Query["hidden"] switch
        {
            null or "" or "true" => true,
            "false" => false,
            _ => throw ProblemException.Validation("hidden", "true or false."),
        };
        return await request.OkAsync(await coldCalls.SetHiddenAsync(caller, messageId, hidden, cancellationToken), cancellationToken);
    }

    /// <summary>The author deletes their own reply (204); a root response, a message that has replies and a hidden one stay (409).</summary>
    [Function("DeleteColdCallMessage")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Delete(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "cold-call-messages/{messageId:guid}")] HttpRequestData request,
        Guid messageId, FunctionContext context, CancellationToken cancellationToken)
    {
        await coldCalls.DeleteOwnAsync(context.RequireCaller(), messageId, cancellationToken);
        return request.NoContent();
    }
}
