using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>Courses, topics with their layouts, and content assets (admins only; every write is audited).</summary>
public sealed class ContentAdminFunctions(CourseAdminService courses, TopicAdminService topics, AssetAdminService assets)
{
    [Function("ManageCreateCourse")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> CreateCourse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/courses")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<CourseRequest>(cancellationToken);
        var created = await courses.CreateAsync(body, cancellationToken);
        return await request.CreatedAsync(created, $"manage/courses/{created.Slug}", cancellationToken);
    }

    /// <summary>The course as admins see it, published or not: where the <c>Location</c> of <c>ManageCreateCourse</c> points.</summary>
    [Function("ManageGetCourse")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> GetCourse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/courses/{course}")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.JsonWithETagAsync(await courses.GetAsync(course, cancellationToken), AdminCache, cancellationToken);
    }

    /// <summary>Admin views are private and revalidated; their ETag is what <c>If-Match</c> names on a change.</summary>
    internal const string AdminCache = "private, no-cache";

    /// <summary>
    /// A JSON merge patch: the fields sent change, the rest stay (<c>"isPublished": false</c> hides the course at once).
    /// With <c>If-Match</c> (the ETag of the GET), 412 when someone changed the course since.
    /// </summary>
    [Function("ManageUpdateCourse")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> UpdateCourse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "manage/courses/{course}")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadMergePatchAsync(await courses.CurrentAsync(course, cancellationToken), cancellationToken);
        var updated = await courses.UpdateAsync(course, body, request.IfMatch(), cancellationToken);
        return (await request.OkAsync(updated, cancellationToken)).WithETag(updated);
    }

    /// <summary>204; 409 while enrolments or cart lines reference the course.</summary>
    [Function("ManageDeleteCourse")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> DeleteCourse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/courses/{course}")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        await courses.DeleteAsync(course, cancellationToken);
        return request.NoContent();
    }

    [Function("ManageCreateTopic")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> CreateTopic(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "manage/courses/{course}/topics")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<TopicRequest>(cancellationToken);
        var topic = await topics.CreateAsync(course, body, cancellationToken);
        // ManageGetTopic answers with the same TopicAdminDto; the course-scoped route takes only PATCH and DELETE.
        return await request.CreatedAsync(topic, $"manage/topics/{topic.Id}", cancellationToken);
    }

    /// <summary>
    /// A JSON merge patch of the topic; a <c>layout</c> sent whole replaces the stored one's blocks. With <c>If-Match</c>
    /// (the ETag of <c>GET /manage/topics/{topicId}</c>), 412 when someone changed the topic since.
    /// </summary>
    [Function("ManageUpdateTopic")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> UpdateTopic(
        [HttpTrigger(AuthorizationLevel.Anonymous, "patch", Route = "manage/courses/{course}/topics/{topicId:guid}")] HttpRequestData request,
        string course, Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadMergePatchAsync(await topics.CurrentAsync(course, topicId, cancellationToken), cancellationToken);
        var updated = await topics.UpdateAsync(course, topicId, body, request.IfMatch(), cancellationToken);
        return (await request.OkAsync(updated, cancellationToken)).WithETag(updated);
    }

    [Function("ManageDeleteTopic")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> DeleteTopic(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/courses/{course}/topics/{topicId:guid}")] HttpRequestData request,
        string course, Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        await topics.DeleteAsync(course, topicId, cancellationToken);
        return request.NoContent();
    }

    /// <summary>The topic as stored, with every asset and the layout's keys that have no default asset.</summary>
    [Function("ManageGetTopic")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> GetTopic(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/topics/{topicId:guid}")] HttpRequestData request,
        Guid topicId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.JsonWithETagAsync(await topics.GetAsync(topicId, cancellationToken), AdminCache, cancellationToken);
    }

    /// <summary>
    /// <c>?persona=</c> a tutor persona, or none for the default asset. 201 when new, 200 when replaced. With <c>If-Match</c>
    /// (the ETag of the GET), 412 when someone changed or deleted the asset since.
    /// </summary>
    [Function("ManagePutAsset")]
    [Allow(Callers.Admins)]
    [QueryParameter("persona", "The tutor persona the payload is for; without it, the default for every persona.")]
    public async Task<HttpResponseData> PutAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "manage/topics/{topicId:guid}/assets/{contentKey}")] HttpRequestData request,
        Guid topicId, string contentKey, FunctionContext context, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<AssetRequest>(cancellationToken);
        var (asset, created) = await assets.PutAsync(topicId, contentKey, request.Query["persona"], body, request.IfMatch(), cancellationToken);
        var persona = request.Query["persona"] is { Length: > 0 } p ? $"?persona={Uri.EscapeDataString(p)}" : "";
        return (await request.CreatedOrOkAsync(created, asset, $"manage/topics/{topicId}/assets/{contentKey}{persona}", cancellationToken)).WithETag(asset);
    }

    /// <summary>One asset: where the <c>Location</c> of <c>ManagePutAsset</c> points; 404 when there is none.</summary>
    [Function("ManageGetAsset")]
    [Allow(Callers.Admins)]
    [QueryParameter("persona", "The tutor persona whose payload to read; without it, the default.")]
    public async Task<HttpResponseData> GetAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/topics/{topicId:guid}/assets/{contentKey}")] HttpRequestData request,
        Guid topicId, string contentKey, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.JsonWithETagAsync(await assets.GetAsync(topicId, contentKey, request.Query["persona"], cancellationToken), AdminCache, cancellationToken);
    }

    /// <summary>204 also when there is none; with <c>If-Match</c>, 412 when someone changed or deleted the asset since.</summary>
    [Function("ManageDeleteAsset")]
    [Allow(Callers.Admins)]
    [QueryParameter("persona", "The tutor persona whose payload to delete; without it, the default.")]
    public async Task<HttpResponseData> DeleteAsset(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/topics/{topicId:guid}/assets/{contentKey}")] HttpRequestData request,
        Guid topicId, string contentKey, FunctionContext context, CancellationToken cancellationToken)
    {
        await assets.DeleteAsync(topicId, contentKey, request.Query["persona"], request.IfMatch(), cancellationToken);
        return request.NoContent();
    }
}
