using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Quizzes;

public sealed class QuizFunctions(QuizService quizzes)
{
    [Function("GetQuizSections")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> GetSections(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/quiz/sections")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await quizzes.GetSectionsAsync(context.RequireCaller(), course, cancellationToken), cancellationToken);

    /// <summary>
    /// <c>{ moduleNo, topicPairIndex, limit? }</c> -> 201 <c>{ attemptId, questions }</c>, without correct flags. The server
    /// decides the number of questions; <c>limit</c> counts for staff only.
    /// </summary>
    [Function("StartQuizAttempt")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "courses/{course}/quiz/attempts")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var body = await request.ReadJsonAsync<StartAttemptRequest>(cancellationToken);
        var attempt = await quizzes.StartAsync(caller, course, body, cancellationToken);
        var response = await request.CreatedAsync(attempt, $"quiz/attempts/{attempt.Id}", cancellationToken);
        response.Headers.Add("Cache-Control", "no-store");
        return response;
    }

    /// <summary>The caller's attempt: where the <c>Location</c> of <c>StartQuizAttempt</c> points.</summary>
    [Function("GetQuizAttempt")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> GetAttempt(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "quiz/attempts/{attemptId:guid}")] HttpRequestData request,
        Guid attemptId, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await quizzes.GetAttemptAsync(context.RequireCaller(), attemptId, cancellationToken), cancellationToken);

    /// <summary><c>{ answers: [{ questionId, optionId }] }</c> -> <c>{ score, passed, results, module, nextModule }</c>.</summary>
    [Function("SubmitQuizAttempt")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Submit(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "quiz/attempts/{attemptId:guid}/submit")] HttpRequestData request,
        Guid attemptId, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var body = await request.ReadJsonAsync<SubmitAttemptRequest>(cancellationToken);
        return await request.PrivateJsonAsync(await quizzes.SubmitAsync(caller, attemptId, body, cancellationToken), cancellationToken);
    }
}
