using CoursePlatform.Functions.Features.Lessons;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>
/// The content assets a layout's blocks name: one payload per (topic, content key, tutor persona), persona null
/// being the default. A payload is checked against its content type before it is stored.
/// </summary>
public sealed class AssetAdminService(CoursePlatformDbContext db, ContentChangeEffects content, AuditScope audit, TimeProvider time)
{
    /// <summary>Creates or replaces the asset; <c>Created</c> tells which.</summary>
    /// <param name="ifMatch">The client's <c>If-Match</c>: the change applies only to the asset as it read it (else 412).</param>
    public async Task<(AssetDto Asset, bool Created)> PutAsync(
        Guid topicId, string contentKey, string? persona, AssetRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        var personaKey = Persona(contentKey, persona);
        var errors = new Dictionary<string, string[]>();
        ContentRules.ValidatePayload(request.ContentType!.Value, request.Payload, "payload", errors);
        if (errors.Count > 0) throw ProblemException.Validation(errors);

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        var courseId = await content.LockTopicAsync(topicId, cancellationToken) ?? throw ProblemException.NotFound("topic");
        var asset = await db.TopicContentAssets.SingleOrDefaultAsync(a => a.TopicId == topicId && a.ContentKey == contentKey && a.PersonaKey == personaKey, cancellationToken);
        var before = asset is null ? null : Dto(asset);
        ETags.RequireMatch(ifMatch, before);
        if (asset is null)
        {
            asset = new TopicContentAsset
            {
                Id = Guid.CreateVersion7(), TopicId = topicId, ContentKey = contentKey, PersonaKey = personaKey, Payload = JsonDocument.Parse("{}"), CreatedAt = now,
            };
            db.TopicContentAssets.Add(asset);
        }
        asset.ContentType = request.ContentType.Value;
        asset.Payload = JsonSerializer.SerializeToDocument(request.Payload, Json.Options);
        asset.UpdatedAt = now;
        await db.SaveChangesOrConflictAsync(
            () => ProblemException.Conflict("This asset was created by another request just now; send yours again to replace it."), cancellationToken);
        await content.TouchCourseAsync(courseId, cancellationToken);
        // As stored (jsonb orders an object's keys its own way, timestamps keep microseconds): the answer's ETag is the GET's.
        await db.Entry(asset).ReloadAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await content.ReindexLessonAsync(topicId, cancellationToken);
        var after = Dto(asset);
        audit.Changed("asset", asset.Id, before, after);
        return (after, before is null);
    }

    /// <summary>The asset of (topic, content key, persona) (the <c>Location</c> of its creation); 404 when there is none.</summary>
    public async Task<AssetDto> GetAsync(Guid topicId, string contentKey, string? persona, CancellationToken cancellationToken)
    {
        var personaKey = Persona(contentKey, persona);
        var asset = await db.TopicContentAssets.AsNoTracking()
            .SingleOrDefaultAsync(a => a.TopicId == topicId && a.ContentKey == contentKey && a.PersonaKey == personaKey, cancellationToken)
            ?? throw ProblemException.NotFound("asset");
        return Dto(asset);
    }

    /// <summary>Deletes the asset; 204 also when there was none (412 then, with an <c>If-Match</c>).</summary>
    public async Task DeleteAsync(Guid topicId, string contentKey, string? persona, string? ifMatch, CancellationToken cancellationToken)
    {
        var personaKey = Persona(contentKey, persona);
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        var courseId = await content.LockTopicAsync(topicId, cancellationToken) ?? throw ProblemException.NotFound("topic");
        var asset = await db.TopicContentAssets.AsNoTracking()
            .SingleOrDefaultAsync(a => a.TopicId == topicId && a.ContentKey == contentKey && a.PersonaKey == personaKey, cancellationToken);
        ETags.RequireMatch(ifMatch, asset is null ? null : Dto(asset));
        if (asset is null)
        {
            audit.NothingChanged();
            return;
        }
        await db.TopicContentAssets.Where(a => a.Id == asset.Id).ExecuteDeleteAsync(cancellationToken);
        // Deleting changes no asset's updated_at, so the topic's stamp says the lesson changed.
        await db.Topics.Where(t => t.Id == topicId).ExecuteUpdateAsync(s => s.SetProperty(t => t.UpdatedAt, time.GetUtcNow()), cancellationToken);
        await content.TouchCourseAsync(courseId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await content.ReindexLessonAsync(topicId, cancellationToken);
        audit.Changed("asset", asset.Id, Dto(asset), null);
    }

    private static LearnerPersona? Persona(string contentKey, string? persona)
    {
        if (!ContentRules.IsContentKey(contentKey)) throw ProblemException.Validation("contentKey", ContentRules.ContentKeyMessage);
        if (string.IsNullOrEmpty(persona)) return null;
        return Json.TryParseLabel<LearnerPersona>(persona, out var p) ? p
            : throw ProblemException.Validation("persona", $"One of {string.Join(", ", Enum.GetValues<LearnerPersona>().Select(x => Json.Label(x)))}, or none for the default.");
    }

    private static AssetDto Dto(TopicContentAsset a) =>
        new(a.Id, a.ContentKey, a.PersonaKey, a.ContentType, JsonNode.Parse(a.Payload.RootElement.GetRawText())!, a.UpdatedAt);
}
