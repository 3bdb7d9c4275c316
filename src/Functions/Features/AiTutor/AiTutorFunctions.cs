using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.AiTutor;

public sealed class AiTutorFunctions(AiTutorService tutor)
{
    /// <summary><c>{ topicId, question? | suggestionId? }</c> -> <c>{ answer, grounded, sources, nextSuggestions, sessionId, quota }</c>.</summary>
    [Function("AskAiTutor")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Ask(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "courses/{course}/tutor/ask")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var body = await request.ReadJsonAsync<AskRequest>(cancellationToken);
        var answer = await tutor.AskAsync(caller, course, body, cancellationToken);
        var response = await request.OkAsync(answer, cancellationToken);
        response.Headers.Add("Cache-Control", "no-store");
        return response;
    }

    /// <summary><c>?topicId=</c>: the caller's own session of the topic (up to 40 latest messages and the summary).</summary>
    [Function("GetAiTutorSession")]
    [Allow(Callers.SignedIn)]
    [QueryParameter("topicId", "The topic whose session to read.", Type = typeof(Guid), Required = true)]
    public async Task<HttpResponseData> GetSession(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/tutor/session")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        if (!Guid.TryParse(request.Query["topicId"], out var topicId))
            throw ProblemException.Validation("topicId", "Name the topic: ?topicId=<guid>.");
        return await request.PrivateJsonAsync(await tutor.GetSessionAsync(caller, course, topicId, cancellationToken), cancellationToken);
    }

    /// <summary><c>?parentId=</c>: one level of the topic's suggestion tree (the roots without it).</summary>
    [Function("ListPromptSuggestions")]
    [Allow(Callers.Anyone)]
    [QueryParameter("parentId", "The suggestion whose children to list; the roots without it.", Type = typeof(Guid))]
    public async Task<HttpResponseData> ListSuggestions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "topics/{topicId:guid}/prompt-suggestions")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        Guid? parentId = null;
        if (request.Query["parentId"] is { Length: > 0 } parent)
            parentId = Guid.TryParse(parent, out var id) ? id : throw ProblemException.Validation("parentId", "Must be the id (a GUID) of a suggestion.");
        var level = await tutor.ListSuggestionsAsync(context.GetCaller(), topicId, parentId, cancellationToken);
        return await request.OkAsync(new { items = level }, cancellationToken);
    }
}
