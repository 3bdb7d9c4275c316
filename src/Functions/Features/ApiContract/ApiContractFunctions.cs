using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.ApiContract;

/// <summary>The machine-readable contract (OpenAPI 3.1) and a browsable reference over it.</summary>
public sealed class ApiContractFunctions(ApiContractDocuments documents)
{
    /// <summary>The OpenAPI 3.1 document of every HTTP function of this build, generated from the code at first use; cached, with an ETag.</summary>
    [Function("GetOpenApiDocument")]
    [Allow(Callers.Anyone)]
    [ProducesContent("application/json; charset=utf-8")]
    public async Task<HttpResponseData> Document(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequestData request, CancellationToken cancellationToken) =>
        await (await documents.OpenApiAsync(cancellationToken)).ServeAsync(request, cancellationToken);

    /// <summary>The API reference page (Swagger UI, served from this app, no CDN) over <c>/api/openapi.json</c>.</summary>
    [Function("GetApiDocs")]
    [Allow(Callers.Anyone)]
    [ProducesContent("text/html; charset=utf-8")]
    public async Task<HttpResponseData> Docs(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs")] HttpRequestData request, CancellationToken cancellationToken) =>
        await documents.Page.ServeAsync(request, cancellationToken);

    /// <summary>A script, stylesheet or icon of the reference page.</summary>
    [Function("GetApiDocsAsset")]
    [Allow(Callers.Anyone)]
    [ProducesContent("text/javascript; charset=utf-8", "text/css; charset=utf-8", "image/png")]
    public async Task<HttpResponseData> Asset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/assets/{file}")] HttpRequestData request,
        string file, CancellationToken cancellationToken) =>
        await (documents.Asset(file) ?? throw ProblemException.NotFound("file")).ServeAsync(request, cancellationToken);
}
