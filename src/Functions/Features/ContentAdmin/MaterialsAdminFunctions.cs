using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>Quiz questions (under their course), suggested prompts, cold-call prompts and simulations (under their topic), pages, and the audit trail.</summary>
public sealed class MaterialsAdminFunctions(
    QuizQuestionAdminService questions, TopicMaterialsAdminService materials, PageAdminService pages, AuditTrailService auditTrail)
{
    /// <summary><c>?moduleNo=</c> optional; with the correct options (admins only).</summary>
    [Function("ManageListQuizQuestions")]
    [Allow(Callers.Admins)]
    [QueryParameter("moduleNo", "Only this module's questions.", Type = typeof(int), Minimum = 1)]
    public async Task<HttpResponseData> ListQuestions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/courses/{course}/quiz-questions")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        int? moduleNo = request.Query["moduleNo"] is { Length: > 0 } text
            ? int.TryParse(text, out var n) && n > 0 ? n : throw ProblemException.Validation("moduleNo", "A module number from 1.")
            : null;
        return await request.PrivateJsonAsync(new { items = await questions.ListAsync(course, moduleNo, cancellationToken) }, cancellationToken);
    }

    [Function("ManageCreateQuizQuestion")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> CreateQuestion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/courses/{course}/quiz-questions")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<QuizQuestionRequest>(cancellationToken);
        var question = await questions.CreateAsync(course, body, cancellationToken);
        return await request.CreatedAsync(question, $"manage/courses/{course}/quiz-questions/{question.Id}", cancellationToken);
    }

    /// <summary>One question with its correct options: where the <c>Location</c> of <c>ManageCreateQuizQuestion</c> points.</summary>
    [Function("ManageGetQuizQuestion")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> GetQuestion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/courses/{course}/quiz-questions/{questionId:guid}")] HttpRequestData request,
        string course, Guid questionId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.JsonWithETagAsync(await questions.GetAsync(course, questionId, cancellationToken), ContentAdminFunctions.AdminCache, cancellationToken);
    }

    /// <summary>Replaces the question and its options. With <c>If-Match</c> (the ETag of the GET), 412 when someone changed or deleted it since.</summary>
    [Function("ManageReplaceQuizQuestion")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> ReplaceQuestion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "manage/courses/{course}/quiz-questions/{questionId:guid}")] HttpRequestData request,
        string course, Guid questionId, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<QuizQuestionRequest>(cancellationToken);
        var replaced = await questions.ReplaceAsync(course, questionId, body, request.IfMatch(), cancellationToken);
        return (await request.OkAsync(replaced, cancellationToken)).WithETag(replaced);
    }

    /// <summary>204 also when there is none; with <c>If-Match</c>, 412 when someone changed or deleted the question since.</summary>
    [Function("ManageDeleteQuizQuestion")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> DeleteQuestion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/courses/{course}/quiz-questions/{questionId:guid}")] HttpRequestData request,
        string course, Guid questionId, FunctionContext context, CancellationToken cancellationToken)
    {
        await questions.DeleteAsync(course, questionId, request.IfMatch(), cancellationToken);
        return request.NoContent();
    }

    [Function("ManageListPromptSuggestions")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> ListSuggestions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/topics/{topicId:guid}/prompt-suggestions")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(new { items = await materials.SuggestionsAsync(topicId, cancellationToken) }, cancellationToken);
    }

    [Function("ManageCreatePromptSuggestion")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> CreateSuggestion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/topics/{topicId:guid}/prompt-suggestions")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<PromptSuggestionRequest>(cancellationToken);
        var suggestion = await materials.CreateSuggestionAsync(topicId, body, cancellationToken);
        return await request.CreatedAsync(suggestion, $"manage/topics/{topicId}/prompt-suggestions/{suggestion.Id}", cancellationToken);
    }

    /// <summary>One suggestion: where the <c>Location</c> of <c>ManageCreatePromptSuggestion</c> points.</summary>
    [Function("ManageGetPromptSuggestion")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> GetSuggestion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/topics/{topicId:guid}/prompt-suggestions/{suggestionId:guid}")] HttpRequestData request,
        Guid topicId, Guid suggestionId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.JsonWithETagAsync(await materials.SuggestionAsync(topicId, suggestionId, cancellationToken), ContentAdminFunctions.AdminCache, cancellationToken);
    }

    /// <summary>With <c>If-Match</c> (the ETag of the GET), 412 when someone changed or deleted it since.</summary>
    [Function("ManageReplacePromptSuggestion")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> ReplaceSuggestion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "manage/topics/{topicId:guid}/prompt-suggestions/{suggestionId:guid}")] HttpRequestData request,
        Guid topicId, Guid suggestionId, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<PromptSuggestionRequest>(cancellationToken);
        var replaced = await materials.ReplaceSuggestionAsync(topicId, suggestionId, body, request.IfMatch(), cancellationToken);
        return (await request.OkAsync(replaced, cancellationToken)).WithETag(replaced);
    }

    /// <summary>Deletes the suggestion and its follow-ups; with <c>If-Match</c>, 412 when someone changed or deleted it since.</summary>
    [Function("ManageDeletePromptSuggestion")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> DeleteSuggestion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/topics/{topicId:guid}/prompt-suggestions/{suggestionId:guid}")] HttpRequestData request,
        Guid topicId, Guid suggestionId, FunctionContext context, CancellationToken cancellationToken)
    {
        await materials.DeleteSuggestionAsync(topicId, suggestionId, request.IfMatch(), cancellationToken);
        return request.NoContent();
    }

    [Function("ManageListColdCallPrompts")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> ListPrompts(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/topics/{topicId:guid}/cold-call-prompts")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(new { items = await materials.ColdCallPromptsAsync(topicId, cancellationToken) }, cancellationToken);
    }

    [Function("ManageCreateColdCallPrompt")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> CreatePrompt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/topics/{topicId:guid}/cold-call-prompts")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<ColdCallPromptRequest>(cancellationToken);
        var prompt = await materials.CreateColdCallPromptAsync(topicId, body, cancellationToken);
        return await request.CreatedAsync(prompt, $"manage/topics/{topicId}/cold-call-prompts/{prompt.Id}", cancellationToken);
    }

    /// <summary>One cold-call prompt: where the <c>Location</c> of <c>ManageCreateColdCallPrompt</c> points.</summary>
    [Function("ManageGetColdCallPrompt")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> GetPrompt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/topics/{topicId:guid}/cold-call-prompts/{promptId:guid}")] HttpRequestData request,
        Guid topicId, Guid promptId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.JsonWithETagAsync(await materials.ColdCallPromptAsync(topicId, promptId, cancellationToken), ContentAdminFunctions.AdminCache, cancellationToken);
    }

    /// <summary>With <c>If-Match</c> (the ETag of the GET, which counts learners' messages), 412 when it changed since.</summary>
    [Function("ManageReplaceColdCallPrompt")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> ReplacePrompt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "manage/topics/{topicId:guid}/cold-call-prompts/{promptId:guid}")] HttpRequestData request,
        Guid topicId, Guid promptId, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<ColdCallPromptRequest>(cancellationToken);
        var replaced = await materials.ReplaceColdCallPromptAsync(topicId, promptId, body, request.IfMatch(), cancellationToken);
        return (await request.OkAsync(replaced, cancellationToken)).WithETag(replaced);
    }

    /// <summary>204; 409 once learners have answered the prompt; with <c>If-Match</c>, 412 when it changed since.</summary>
    [Function("ManageDeleteColdCallPrompt")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> DeletePrompt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/topics/{topicId:guid}/cold-call-prompts/{promptId:guid}")] HttpRequestData request,
        Guid topicId, Guid promptId, FunctionContext context, CancellationToken cancellationToken)
    {
        await materials.DeleteColdCallPromptAsync(topicId, promptId, request.IfMatch(), cancellationToken);
        return request.NoContent();
    }

    /// <summary>The topic's simulation exercise: where the <c>Location</c> of <c>ManagePutSimulation</c> points; 404 when it has none.</summary>
    [Function("ManageGetSimulation")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> GetSimulation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/topics/{topicId:guid}/simulation")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.JsonWithETagAsync(await materials.SimulationAsync(topicId, cancellationToken), ContentAdminFunctions.AdminCache, cancellationToken);
    }

    /// <summary>Creates (201) or replaces (200) the exercise; with <c>If-Match</c>, only the one read (412 when it changed or is gone).</summary>
    [Function("ManagePutSimulation")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> PutSimulation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "manage/topics/{topicId:guid}/simulation")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<SimulationRequest>(cancellationToken);
        var (exercise, created) = await materials.PutSimulationAsync(topicId, body, request.IfMatch(), cancellationToken);
        return (await request.CreatedOrOkAsync(created, exercise, $"manage/topics/{topicId}/simulation", cancellationToken)).WithETag(exercise);
    }

    /// <summary>204 also when there is none; with <c>If-Match</c>, 412 when someone changed or deleted it since.</summary>
    [Function("ManageDeleteSimulation")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> DeleteSimulation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/topics/{topicId:guid}/simulation")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        await materials.DeleteSimulationAsync(topicId, request.IfMatch(), cancellationToken);
        return request.NoContent();
    }

    /// <summary>Creates (201) or replaces (200) the CMS page.</summary>
    [Function("ManagePutPage")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> PutPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "manage/pages/{slug}")] HttpRequestData request,
        string slug, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<CmsPageRequest>(cancellationToken);
        var (page, created) = await pages.PutAsync(slug, body, cancellationToken);
        // The public GET pages/{slug} answers with the same PageDto (pages have no unpublished state); manage/pages/{slug} takes only PUT.
        return await request.CreatedOrOkAsync(created, page, $"pages/{slug}", cancellationToken);
    }

    /// <summary><c>?resource=</c> a resource type (<c>course</c>, <c>topic</c>, <c>asset</c>, ...) or a resource id; <c>page</c>, <c>pageSize</c>.</summary>
    [Function("ManageListAudit")]
    [Allow(Callers.Admins)]
    [QueryParameter("resource", "Only entries about this resource (its kind or id).", MaxLength = 100)]
    public async Task<HttpResponseData> Audit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/audit")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var resource = request.Query["resource"];
        if (resource is { Length: > 100 }) throw ProblemException.Validation("resource", "At most 100 characters.");
        return await request.PrivateJsonAsync(await auditTrail.ListAsync(resource, PageRequest.From(request), cancellationToken), cancellationToken);
    }
}
