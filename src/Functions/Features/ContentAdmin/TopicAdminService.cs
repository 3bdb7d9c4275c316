using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>
/// Topics and their lessons. Module and topic numbers are unique per course (a clash is a 409 that names it, never a
/// half-made change); the layout is checked block by block before it is stored in <c>text_content</c>.
/// </summary>
public sealed class TopicAdminService(CoursePlatformDbContext db, CourseResolver courses, ContentChangeEffects content, AuditScope audit, TimeProvider time)
{
    public async Task<TopicAdminDto> CreateAsync(string courseKey, TopicRequest request, CancellationToken cancellationToken)
    {
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        var now = time.GetUtcNow();
        var topic = new Topic { Id = Guid.CreateVersion7(), CourseId = courseId, Name = "", CreatedAt = now };
        Apply(topic, request, now);
        db.Topics.Add(topic);
        await SaveAsync(topic, cancellationToken);
        return await AfterChangeAsync(topic.Id, courseId, null, cancellationToken);
    }

    /// <summary>The topic as a request, for a merge patch to apply to.</summary>
    public async Task<TopicRequest> CurrentAsync(string courseKey, Guid topicId, CancellationToken cancellationToken)
    {
        var topic = await FindAsync(courseKey, topicId, tracked: false, cancellationToken);
        var (layout, text) = Lesson(topic.TextContent);
        return new TopicRequest(topic.ModuleNo, topic.TopicNumber, topic.Name, topic.IsPreview, topic.VideoUrl, topic.PptUrl, layout, text,
            new StudyTexts(topic.TextContentSports, topic.TextContentCooking, topic.TextContentAdventure));
    }

    /// <param name="ifMatch">The client's <c>If-Match</c>: the change applies only to the topic as it read it (else 412).</param>
    public async Task<TopicAdminDto> UpdateAsync(string courseKey, Guid topicId, TopicRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        Topic topic;
        TopicAdminDto before;
        await using (var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken))
        {
            await content.LockTopicAsync(topicId, cancellationToken);
            topic = await FindAsync(courseKey, topicId, tracked: true, cancellationToken);
            before = await GetAsync(topicId, cancellationToken);
            ETags.RequireMatch(ifMatch, before);
            Apply(topic, request, time.GetUtcNow());
            await SaveAsync(topic, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return await AfterChangeAsync(topicId, topic.CourseId, before, cancellationToken);
    }

    /// <summary>Deletes the topic with its assets, prompts, learners' progress on it and its uploads; the module count follows.</summary>
    public async Task DeleteAsync(string courseKey, Guid topicId, CancellationToken cancellationToken)
    {
        var topic = await FindAsync(courseKey, topicId, tracked: false, cancellationToken);
        var before = await GetAsync(topicId, cancellationToken);
        await db.Topics.Where(t => t.Id == topicId).ExecuteDeleteAsync(cancellationToken);
        await content.TouchCourseAsync(topic.CourseId, cancellationToken);
        await content.ReindexLessonAsync(topicId, cancellationToken);
        // Decks and transcripts uploaded to the topic would stay searchable course-wide and could not be re-ingested.
        await content.DeleteUploadsAsync($"{topic.CourseId}/{topicId}/", cancellationToken);
        audit.Changed("topic", topicId, before, null);
    }

    public async Task<TopicAdminDto> GetAsync(Guid topicId, CancellationToken cancellationToken)
    {
        var topic = await db.Topics.AsNoTracking().SingleOrDefaultAsync(t => t.Id == topicId, cancellationToken) ?? throw ProblemException.NotFound("topic");
        var assets = await db.TopicContentAssets.AsNoTracking().Where(a => a.TopicId == topicId)
            .OrderBy(a => a.ContentKey).ThenBy(a => a.PersonaKey)
            .Select(a => new { a.Id, a.ContentKey, a.PersonaKey, a.ContentType, a.Payload, a.UpdatedAt })
            .ToListAsync(cancellationToken);
        var (layout, text) = Lesson(topic.TextContent);
        var defaults = assets.Where(a => a.PersonaKey is null).Select(a => a.ContentKey).ToHashSet(StringComparer.Ordinal);
        var missing = (LessonLayout.Parse(topic.TextContent) ?? [])
            .Select(b => b.ContentKey).OfType<string>().Where(k => !defaults.Contains(k)).Distinct().ToList();
        return new TopicAdminDto(topic.Id, topic.CourseId, topic.ModuleNo, topic.TopicNumber, topic.Name, topic.IsPreview, topic.VideoUrl, topic.PptUrl,
            layout, text, new StudyTexts(topic.TextContentSports, topic.TextContentCooking, topic.TextContentAdventure),
            [.. assets.Select(a => new AssetDto(a.Id, a.ContentKey, a.PersonaKey, a.ContentType, JsonNode.Parse(a.Payload.RootElement.GetRawText())!, a.UpdatedAt))],
            missing, topic.CreatedAt, topic.UpdatedAt);
    }

    private async Task<TopicAdminDto> AfterChangeAsync(Guid topicId, Guid courseId, TopicAdminDto? before, CancellationToken cancellationToken)
    {
        await content.TouchCourseAsync(courseId, cancellationToken);
        await content.ReindexLessonAsync(topicId, cancellationToken);
        var after = await GetAsync(topicId, cancellationToken);
        audit.Changed("topic", topicId, before, after);
        return after;
    }

    private async Task<Topic> FindAsync(string courseKey, Guid topicId, bool tracked, CancellationToken cancellationToken)
    {
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        var topics = tracked ? db.Topics : db.Topics.AsNoTracking();
        return await topics.SingleOrDefaultAsync(t => t.Id == topicId && t.CourseId == courseId, cancellationToken) ?? throw ProblemException.NotFound("topic");
    }

    private static void Apply(Topic topic, TopicRequest request, DateTimeOffset now)
    {
        var errors = new Dictionary<string, string[]>();
        if (request.Layout is not null) ContentRules.ValidateLayout(request.Layout, "layout", errors);
        if (request.Layout is not null && !string.IsNullOrWhiteSpace(request.Text)) errors["text"] = ["Give a layout or plain text, not both."];
        else ContentRules.ValidateMarkdown(request.Text, "text", errors);
        ContentRules.ValidateMarkdown(request.Variants?.Sports, "variants.sports", errors);
        ContentRules.ValidateMarkdown(request.Variants?.Cooking, "variants.cooking", errors);
        ContentRules.ValidateMarkdown(request.Variants?.Adventure, "variants.adventure", errors);
        if (errors.Count > 0) throw ProblemException.Validation(errors);

        topic.ModuleNo = request.ModuleNo!.Value;
        topic.TopicNumber = request.TopicNumber!.Value;
        topic.Name = request.Name!.Trim();
        topic.IsPreview = request.IsPreview ?? false;
        topic.VideoUrl = request.VideoUrl;
        topic.PptUrl = request.PptUrl;
        topic.TextContent = request.Layout?.ToJsonString(Json.Options) ?? (string.IsNullOrWhiteSpace(request.Text) ? null : request.Text);
        topic.TextContentSports = Blank(request.Variants?.Sports);
        topic.TextContentCooking = Blank(request.Variants?.Cooking);
        topic.TextContentAdventure = Blank(request.Variants?.Adventure);
        topic.UpdatedAt = now;
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    /// <summary>The stored lesson as a layout object, or as legacy plain text.</summary>
    private static (JsonObject? Layout, string? Text) Lesson(string? textContent)
    {
        if (LessonLayout.Parse(textContent) is not null && JsonNode.Parse(textContent!) is JsonObject layout) return (layout, null);
        return (null, textContent);
    }

    private Task SaveAsync(Topic topic, CancellationToken cancellationToken) =>
        db.SaveChangesOrConflictAsync(() => ProblemException.Conflict(
            $"Module {topic.ModuleNo} of this course already has a topic {topic.TopicNumber}; renumber that one first (to a free number)."), cancellationToken);
}
