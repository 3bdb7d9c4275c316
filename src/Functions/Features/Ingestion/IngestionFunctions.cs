using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Ingestion;

public sealed class IngestionFunctions(UploadService uploads, IngestionLog log, SourceService sources)
{
    /// <summary>
    /// <c>{ fileName, topicId? }</c> -> <c>{ uploadUrl, path, expiresAt }</c>; the browser PUTs the file to uploadUrl, and
    /// <c>path</c> names the source everywhere after (sources list, <c>?path=</c>, ingestion log, search results).
    /// </summary>
    [Function("CreateContentUpload")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> CreateUpload(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/courses/{course}/uploads")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<UploadRequest>(cancellationToken);
        var ticket = await uploads.CreateAsync(course, body, cancellationToken);
        var response = await request.OkAsync(ticket, cancellationToken);
        response.Headers.Add("Cache-Control", "no-store"); // the URL is a credential
        return response;
    }

    [Function("ListContentIngestions")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> ListIngestions(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/courses/{course}/ingestions")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var page = await log.ListAsync(course, PageRequest.From(request), cancellationToken);
        return await request.OkAsync(page, cancellationToken);
    }

    /// <summary>The course's uploaded sources, a page at a time by path: blob, chunk count and last ingestion.</summary>
    [Function("ListContentSources")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> ListSources(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/courses/{course}/sources")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(await sources.ListAsync(course, PageRequest.From(request), cancellationToken), cancellationToken);
    }

    /// <summary>
    /// <c>?path=</c> as the list shows it; queues the blob's current version to be ingested again (a version that failed
    /// for good, or to embed it again): 202 with its log entry and, in <c>Location</c>, the entry's URL to poll.
    /// </summary>
    [Function("ReingestContentSource")]
    [Allow(Callers.Admins)]
    [QueryParameter("path", "The source's blob path as the source list shows it.", Required = true)]
    public async Task<HttpResponseData> ReingestSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/courses/{course}/sources/reingest")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var entry = await sources.ReingestAsync(course, request.Query["path"], cancellationToken);
        return await request.AcceptedAsync(entry, $"manage/courses/{course}/ingestions/{entry.Id}", cancellationToken);
    }

    /// <summary>One ingestion log entry of the course: the status a re-ingest answers with, to poll.</summary>
    [Function("GetContentIngestion")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> GetIngestion(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/courses/{course}/ingestions/{ingestionId:guid}")] HttpRequestData request,
        string course, Guid ingestionId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(await sources.GetIngestionAsync(course, ingestionId, cancellationToken), cancellationToken);
    }

    /// <summary><c>?path=</c> as the list shows it; removes the blob and its chunks (204).</summary>
    [Function("DeleteContentSource")]
    [Allow(Callers.Admins)]
    [QueryParameter("path", "The source's blob path as the source list shows it.", Required = true)]
    public async Task<HttpResponseData> DeleteSource(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/courses/{course}/sources")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        await sources.DeleteAsync(course, request.Query["path"], cancellationToken);
        return request.NoContent();
    }
}
