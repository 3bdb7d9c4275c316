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
/// What a topic carries beside its lesson: the suggested-prompt tree (a parent of the same topic, never a cycle),
/// the cold-call prompts (a display order unique per topic; one that learners answered is not deleted) and the
/// simulation exercise (one per topic). Each change takes an <c>If-Match</c> (the ETag of its GET) and applies only to what
/// the admin read (else 412); a topic's materials change one request at a time (the topic's row lock).
/// </summary>
public sealed class TopicMaterialsAdminService(CoursePlatformDbContext db, ContentChangeEffects content, AuditScope audit, TimeProvider time)
{
    // ---- suggested prompts ----

    public async Task<IReadOnlyList<PromptSuggestionAdminDto>> SuggestionsAsync(Guid topicId, CancellationToken cancellationToken)
    {
        await content.CourseOfTopicAsync(topicId, cancellationToken);
        return await db.TopicPromptSuggestions.AsNoTracking().Where(s => s.TopicId == topicId)
            .OrderBy(s => s.ParentId).ThenBy(s => s.DisplayOrder).ThenBy(s => s.CreatedAt)
            .Select(s => new PromptSuggestionAdminDto(s.Id, s.TopicId, s.ParentId, s.Prompt, s.Answer, s.DisplayOrder, s.CreatedAt))
            .ToListAsync(cancellationToken);
    }

    /// <summary>One suggestion of the topic (the <c>Location</c> of its creation).</summary>
    public async Task<PromptSuggestionAdminDto> SuggestionAsync(Guid topicId, Guid suggestionId, CancellationToken cancellationToken)
    {
        await content.CourseOfTopicAsync(topicId, cancellationToken);
        return await db.TopicPromptSuggestions.AsNoTracking().Where(s => s.TopicId == topicId && s.Id == suggestionId)
            .Select(s => new PromptSuggestionAdminDto(s.Id, s.TopicId, s.ParentId, s.Prompt, s.Answer, s.DisplayOrder, s.CreatedAt))
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("prompt suggestion");
    }

    public async Task<PromptSuggestionAdminDto> CreateSuggestionAsync(Guid topicId, PromptSuggestionRequest request, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        if (await content.LockTopicAsync(topicId, cancellationToken) is null) throw ProblemException.NotFound("topic");
        var suggestion = new TopicPromptSuggestion { Id = Guid.CreateVersion7(), TopicId = topicId, Prompt = "", Answer = "", CreatedAt = time.GetUtcNow() };
        await ApplyAsync(suggestion, request, cancellationToken);
        db.TopicPromptSuggestions.Add(suggestion);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var created = Dto(suggestion);
        audit.Changed("prompt_suggestion", suggestion.Id, null, created);
        return created;
    }

    public async Task<PromptSuggestionAdminDto> ReplaceSuggestionAsync(Guid topicId, Guid suggestionId, PromptSuggestionRequest request, string? ifMatch,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        await content.LockTopicAsync(topicId, cancellationToken);
        var suggestion = await db.TopicPromptSuggestions.SingleOrDefaultAsync(s => s.Id == suggestionId && s.TopicId == topicId, cancellationToken)
            ?? throw ProblemException.NotFound("prompt suggestion");
        var before = Dto(suggestion);
        ETags.RequireMatch(ifMatch, before);
        await ApplyAsync(suggestion, request, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var after = Dto(suggestion);
        audit.Changed("prompt_suggestion", suggestionId, before, after);
        return after;
    }

    /// <summary>Deletes the suggestion and the follow-ups under it; 204 also when there was none (412 then, with an <c>If-Match</c>).</summary>
    public async Task DeleteSuggestionAsync(Guid topicId, Guid suggestionId, string? ifMatch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        await content.LockTopicAsync(topicId, cancellationToken);
        var suggestion = await db.TopicPromptSuggestions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == suggestionId && s.TopicId == topicId, cancellationToken);
        var before = suggestion is null ? null : Dto(suggestion);
        ETags.RequireMatch(ifMatch, before);
        if (before is null)
        {
            audit.NothingChanged();
            return;
        }
        await db.TopicPromptSuggestions.Where(s => s.Id == suggestionId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        audit.Changed("prompt_suggestion", suggestionId, before, null);
    }

    private async Task ApplyAsync(TopicPromptSuggestion suggestion, PromptSuggestionRequest request, CancellationToken cancellationToken)
    {
        // The answer is shown to learners as markdown, like a lesson.
        var errors = new Dictionary<string, string[]>();
        ContentRules.ValidateMarkdown(request.Answer, "answer", errors);
        if (errors.Count > 0) throw ProblemException.Validation(errors);
        if (request.ParentId is { } parentId)
        {
            if (parentId == suggestion.Id) throw ProblemException.Validation("parentId", "A suggestion cannot follow itself.");
            // The parent's chain up to the root, in one query: it must be of this topic and must not pass through this suggestion.
            var chain = await db.Database.SqlQuery<ChainLink>($"""
                WITH RECURSIVE up AS (
                    SELECT id, parent_id, topic_id, 1 AS depth FROM topic_prompt_suggestions WHERE id = {parentId}
                    UNION ALL
                    SELECT s.id, s.parent_id, s.topic_id, up.depth + 1 FROM topic_prompt_suggestions s JOIN up ON s.id = up.parent_id WHERE up.depth < 100
                )
                SELECT id, topic_id FROM up
                """).ToListAsync(cancellationToken);
            if (chain.Count == 0 || chain[0].TopicId != suggestion.TopicId)
                throw ProblemException.Validation("parentId", "Not a suggestion of this topic.");
            if (chain.Any(link => link.Id == suggestion.Id))
                throw ProblemException.Validation("parentId", "That suggestion follows this one: the tree would have a cycle.");
        }
        suggestion.ParentId = request.ParentId;
        suggestion.Prompt = request.Prompt!.Trim();
        suggestion.Answer = request.Answer!.Trim();
        suggestion.DisplayOrder = request.DisplayOrder ?? 0;
    }

    private sealed record ChainLink(Guid Id, Guid TopicId);

    private static PromptSuggestionAdminDto Dto(TopicPromptSuggestion s) => new(s.Id, s.TopicId, s.ParentId, s.Prompt, s.Answer, s.DisplayOrder, s.CreatedAt);

    // ---- cold-call prompts ----

    public async Task<IReadOnlyList<ColdCallPromptAdminDto>> ColdCallPromptsAsync(Guid topicId, CancellationToken cancellationToken)
    {
        await content.CourseOfTopicAsync(topicId, cancellationToken);
        return await ProjectPrompts(db.ColdCallPrompts.Where(p => p.TopicId == topicId).OrderBy(p => p.DisplayOrder)).ToListAsync(cancellationToken);
    }

    /// <summary>One cold-call prompt of the topic (the <c>Location</c> of its creation).</summary>
    public async Task<ColdCallPromptAdminDto> ColdCallPromptAsync(Guid topicId, Guid promptId, CancellationToken cancellationToken)
    {
        await content.CourseOfTopicAsync(topicId, cancellationToken);
        return await ProjectPrompts(db.ColdCallPrompts.Where(p => p.TopicId == topicId && p.Id == promptId)).SingleOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("cold-call prompt");
    }

    public async Task<ColdCallPromptAdminDto> CreateColdCallPromptAsync(Guid topicId, ColdCallPromptRequest request, CancellationToken cancellationToken)
    {
        ValidatePrompt(request);
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        if (await content.LockTopicAsync(topicId, cancellationToken) is null) throw ProblemException.NotFound("topic");
        var order = request.DisplayOrder ?? 1 + (await db.ColdCallPrompts.Where(p => p.TopicId == topicId).MaxAsync(p => (int?)p.DisplayOrder, cancellationToken) ?? 0);
        var prompt = new ColdCallPrompt { Id = Guid.CreateVersion7(), TopicId = topicId, DisplayOrder = order, Prompt = request.Prompt!.Trim(), CreatedAt = time.GetUtcNow() };
        db.ColdCallPrompts.Add(prompt);
        await SavePromptAsync(order, cancellationToken);
        var created = await PromptAsync(prompt.Id, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        audit.Changed("cold_call_prompt", prompt.Id, null, created);
        return created;
    }

    /// <remarks>Its ETag covers what the GET shows, the count of learners' messages included.</remarks>
    public async Task<ColdCallPromptAdminDto> ReplaceColdCallPromptAsync(Guid topicId, Guid promptId, ColdCallPromptRequest request, string? ifMatch,
        CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        await content.LockTopicAsync(topicId, cancellationToken);
        var prompt = await db.ColdCallPrompts.SingleOrDefaultAsync(p => p.Id == promptId && p.TopicId == topicId, cancellationToken)
            ?? throw ProblemException.NotFound("cold-call prompt");
        ValidatePrompt(request);
        var before = await PromptAsync(promptId, cancellationToken);
        ETags.RequireMatch(ifMatch, before);
        prompt.Prompt = request.Prompt!.Trim();
        prompt.DisplayOrder = request.DisplayOrder ?? prompt.DisplayOrder;
        await SavePromptAsync(prompt.DisplayOrder, cancellationToken);
        var after = await PromptAsync(promptId, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        audit.Changed("cold_call_prompt", promptId, before, after);
        return after;
    }

    /// <summary>
    /// Deletes a prompt nobody has answered; one with responses is kept (409) so no learner's words are lost. 204 also
    /// when there was none (412 then, with an <c>If-Match</c>).
    /// </summary>
    public async Task DeleteColdCallPromptAsync(Guid topicId, Guid promptId, string? ifMatch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        await content.LockTopicAsync(topicId, cancellationToken);
        var before = await ProjectPrompts(db.ColdCallPrompts.Where(p => p.Id == promptId && p.TopicId == topicId)).SingleOrDefaultAsync(cancellationToken);
        ETags.RequireMatch(ifMatch, before);
        if (before is null)
        {
            audit.NothingChanged();
            return;
        }
        var deleted = await db.ColdCallPrompts.Where(p => p.Id == promptId && !db.ColdCallMessages.Any(m => m.PromptId == p.Id)).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0) throw ProblemException.Conflict($"Learners have posted {before.MessageCount} message(s) on this prompt; edit it instead of deleting it.");
        await transaction.CommitAsync(cancellationToken);
        audit.Changed("cold_call_prompt", promptId, before, null);
    }

    /// <summary>A prompt is markdown learners see above the thread: the lesson content rules apply.</summary>
    private static void ValidatePrompt(ColdCallPromptRequest request)
    {
        var errors = new Dictionary<string, string[]>();
        ContentRules.ValidateMarkdown(request.Prompt, "prompt", errors);
        if (errors.Count > 0) throw ProblemException.Validation(errors);
    }

    private Task SavePromptAsync(int order, CancellationToken cancellationToken) =>
        db.SaveChangesOrConflictAsync(() => ProblemException.Conflict($"Another prompt of this topic already has display order {order}."), cancellationToken);

    private Task<ColdCallPromptAdminDto> PromptAsync(Guid promptId, CancellationToken cancellationToken) =>
        ProjectPrompts(db.ColdCallPrompts.Where(p => p.Id == promptId)).SingleAsync(cancellationToken);

    private IQueryable<ColdCallPromptAdminDto> ProjectPrompts(IQueryable<ColdCallPrompt> prompts) =>
        prompts.AsNoTracking().Select(p => new ColdCallPromptAdminDto(p.Id, p.TopicId, p.DisplayOrder, p.Prompt,
            db.ColdCallMessages.Count(m => m.PromptId == p.Id), p.CreatedAt));

    // ---- simulation exercise ----

    /// <summary>Creates or replaces the topic's exercise; with an <c>If-Match</c>, only the one the admin read (never re-creates a deleted one).</summary>
    public async Task<(SimulationAdminDto Exercise, bool Created)> PutSimulationAsync(Guid topicId, SimulationRequest request, string? ifMatch,
        CancellationToken cancellationToken)
    {
        // The payload's shape depends on the exercise's kind, so it is walked for URLs, markdown and script URLs rather than fixed keys.
        var errors = new Dictionary<string, string[]>();
        ContentRules.ValidateMarkdown(request.Instructions, "instructions", errors);
        ContentRules.ValidateFreeJson(request.Payload, "payload", errors);
        if (errors.Count > 0) throw ProblemException.Validation(errors);
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        if (await content.LockTopicAsync(topicId, cancellationToken) is null) throw ProblemException.NotFound("topic");
        var exercise = await db.SimulationExercises.SingleOrDefaultAsync(s => s.TopicId == topicId, cancellationToken);
        var before = exercise is null ? null : Dto(exercise);
        ETags.RequireMatch(ifMatch, before);
        if (exercise is null)
        {
            exercise = new SimulationExercise { Id = Guid.CreateVersion7(), TopicId = topicId, Title = "" };
            db.SimulationExercises.Add(exercise);
        }
        exercise.Title = request.Title!.Trim();
        exercise.Instructions = string.IsNullOrWhiteSpace(request.Instructions) ? null : request.Instructions.Trim();
        exercise.Payload = request.Payload is null ? null : JsonSerializer.SerializeToDocument(request.Payload, Json.Options);
        exercise.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        // As stored (jsonb's key order, the time in microseconds), so the answer's ETag is the next GET's.
        var after = await SimulationAsync(topicId, cancellationToken);
        audit.Changed("simulation", exercise.Id, before, after);
        return (after, before is null);
    }

    /// <summary>The topic's simulation exercise (the <c>Location</c> of its creation); 404 when it has none.</summary>
    public async Task<SimulationAdminDto> SimulationAsync(Guid topicId, CancellationToken cancellationToken)
    {
        await content.CourseOfTopicAsync(topicId, cancellationToken);
        var exercise = await db.SimulationExercises.AsNoTracking().SingleOrDefaultAsync(s => s.TopicId == topicId, cancellationToken)
            ?? throw ProblemException.NotFound("simulation");
        return Dto(exercise);
    }

    /// <summary>204 also when there was none (412 then, with an <c>If-Match</c>).</summary>
    public async Task DeleteSimulationAsync(Guid topicId, string? ifMatch, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        if (await content.LockTopicAsync(topicId, cancellationToken) is null) throw ProblemException.NotFound("topic");
        var exercise = await db.SimulationExercises.AsNoTracking().SingleOrDefaultAsync(s => s.TopicId == topicId, cancellationToken);
        var before = exercise is null ? null : Dto(exercise);
        ETags.RequireMatch(ifMatch, before);
        if (exercise is null)
        {
            audit.NothingChanged();
            return;
        }
        await db.SimulationExercises.Where(s => s.Id == exercise.Id).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        audit.Changed("simulation", exercise.Id, before, null);
    }

    private static SimulationAdminDto Dto(SimulationExercise s) =>
        new(s.Id, s.TopicId, s.Title, s.Instructions, s.Payload is null ? null : JsonNode.Parse(s.Payload.RootElement.GetRawText()), s.UpdatedAt);
}
