using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Lessons;

public sealed class LessonFunctions(LessonService lessons, OutlineService outlines)
{
    [Function("GetCourseOutline")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> GetOutline(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/topics")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var outline = await outlines.GetAsync(course, context.GetCaller(), cancellationToken);
        return await request.PrivateJsonAsync(outline, cancellationToken);
    }

    [Function("GetTopicContent")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> GetContent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "topics/{topicId:guid}/content")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        var content = await lessons.GetAsync(topicId, context.GetCaller(), cancellationToken);
        return await request.PrivateJsonAsync(content, cancellationToken);
    }
}
