using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Catalog;

public sealed class CatalogFunctions(CatalogService catalog)
{
    /// <summary>Public and the same for everyone: shared caches may keep it briefly.</summary>
    private const string PublicCache = "public, max-age=60";
    private const string PrivateCache = "private, no-cache";

    [Function("ListCourses")]
    [Allow(Callers.Anyone)]
    [QueryParameter("q", "Finds courses whose name contains this text.", MaxLength = CatalogService.MaxQueryLength)]
    public async Task<HttpResponseData> List(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var page = await catalog.ListAsync(request.Query["q"], PageRequest.From(request), cancellationToken);
        return await request.JsonWithETagAsync(page, PublicCache, cancellationToken);
    }

    [Function("GetCourse")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> Get(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.GetCaller();
        var detail = await catalog.DetailAsync(course, caller, cancellationToken);
        return await request.JsonWithETagAsync(detail, caller is null && detail.IsPublished ? PublicCache : PrivateCache, cancellationToken);
    }

    [Function("GetPage")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> GetPage(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "pages/{slug}")] HttpRequestData request,
        string slug, CancellationToken cancellationToken)
    {
        var page = await catalog.PageAsync(slug, cancellationToken);
        return await request.JsonWithETagAsync(page, PublicCache, cancellationToken);
    }
}
