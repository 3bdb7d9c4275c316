using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Progress;

public sealed class ProgressFunctions(TopicProgressService progress)
{
    /// <summary><c>{ status, progress? }</c> -> the stored progress of the topic.</summary>
    [Function("UpdateTopicProgress")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> UpdateTopic(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "topics/{topicId:guid}/progress")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var body = await request.ReadJsonAsync<TopicProgressRequest>(cancellationToken);
        return await request.PrivateJsonAsync(await progress.UpdateAsync(caller, topicId, body, cancellationToken), cancellationToken);
    }

    [Function("GetCourseProgress")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> GetCourse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/progress")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(await progress.GetCourseAsync(context.RequireCaller(), course, cancellationToken), cancellationToken);
}
