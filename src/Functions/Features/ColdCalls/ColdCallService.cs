using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Cohorts;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Features.ColdCalls;

/// <summary>
/// Cold calls (docs/product.md): a learner of an active cohort of the course answers a topic's prompts blind: until
/// their own root response is posted in their current cohort they see nobody else's; then they read that cohort's
/// thread, reply in it and star others' messages. A root response is never deleted (it opened the thread, and
/// deleting it would let its author answer again after reading). The course's tutors and admins see every cohort,
/// reply, and hide messages (a hidden message and the replies under it disappear for learners and stay for staff
/// with who hid it and when).
/// </summary>
public sealed class ColdCallService(CoursePlatformDbContext db, CourseAccess access, CohortMembership membership, AuditScope audit, TimeProvider time)
{
    public const int MaxContentLength = 4000;

    private sealed record PromptContext(Guid PromptId, Guid CourseId, bool IsStaff, Guid? CohortId);

    public async Task<IReadOnlyList<ColdCallPromptDto>> PromptsAsync(Caller caller, Guid topicId, CancellationToken cancellationToken)
    {
        var topic = await db.Topics.AsNoTracking().Where(t => t.Id == topicId).Select(t => new { t.CourseId, t.Course.IsPublished })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("topic");
        var (isStaff, cohortId) = await WhoAsync(caller, topic.CourseId, topic.IsPublished, cancellationToken);
        var userId = caller.UserId;
        var prompts = await db.ColdCallPrompts.AsNoTracking().Where(p => p.TopicId == topicId).OrderBy(p => p.DisplayOrder)
            .Select(p => new
            {
                p.Id, p.DisplayOrder, p.Prompt,
                Own = db.ColdCallMessages.Where(m => m.PromptId == p.Id && m.UserId == userId && m.ParentId == null && (isStaff || m.CohortId == cohortId))
                    .Select(m => new OwnResponseDto(m.Id, m.Content, m.CreatedAt)).FirstOrDefault(),
                Responses = db.ColdCallMessages.Count(m => m.PromptId == p.Id && m.ParentId == null
                                                            && (isStaff || (m.CohortId == cohortId && m.HiddenAt == null))),
            })
            .ToListAsync(cancellationToken);
        return [.. prompts.Select(p =>
        {
            var revealed = isStaff || p.Own is not null;
            // Rows stored before the content rules are served as the rules would have stored them.
            return new ColdCallPromptDto(p.Id, p.DisplayOrder, SafeMarkdown.Clean(p.Prompt), p.Own, revealed, revealed ? p.Responses : null);
        })];
    }

    /// <summary>A root response (no <c>ParentId</c>; one per learner and prompt) or a reply in the caller's cohort's thread.</summary>
    public async Task<ColdCallMessageDto> PostAsync(Caller caller, Guid promptId, PostMessageRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestBody.Validate(request);
        var content = request.Content!.Trim();
        if (content.Length == 0) throw ProblemException.Validation("content", "Write something.");
        var context = await ContextAsync(caller, promptId, cancellationToken);

        Guid cohortId;
        Guid? rootId = null;
        if (request.ParentId is not { } parentId)
        {
            if (context.IsStaff) throw ProblemException.Validation("parentId", "Tutors and admins reply to responses; name the message you answer.");
            cohortId = context.CohortId!.Value;
        }
        else
        {
            var parent = await db.ColdCallMessages.AsNoTracking().Where(m => m.Id == parentId && m.PromptId == promptId)
                .Select(m => new { m.Id, m.CohortId, m.RootId, m.HiddenAt }).SingleOrDefaultAsync(cancellationToken);
            if (parent is null || (!context.IsStaff && (parent.CohortId != context.CohortId || parent.HiddenAt is not null
                                                         || await UnderHiddenAsync(parent.Id, cancellationToken))))
                throw ProblemException.NotFound("message of this prompt in your cohort");
            if (!context.IsStaff) await RequireOwnRootAsync(caller.UserId, promptId, context.CohortId!.Value, cancellationToken);
            cohortId = parent.CohortId;
            rootId = parent.RootId ?? parent.Id;
        }

        var message = new ColdCallMessage
        {
            Id = Guid.CreateVersion7(), PromptId = promptId, CohortId = cohortId, UserId = caller.UserId, ParentId = request.ParentId, RootId = rootId,
            Content = content, CreatedAt = time.GetUtcNow(),
        };
        db.ColdCallMessages.Add(message);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict("You have already responded to this prompt; reply in the thread instead.", ProblemCodes.AlreadyResponded);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            throw ProblemException.NotFound("message you replied to (its author deleted it)");
        }
        return await MessageAsync(caller, message.Id, context.IsStaff, cancellationToken);
    }

    /// <summary>
    /// The thread: the caller's cohort after their own root response in it (403 before), without hidden messages and
    /// the replies under them; staff see every cohort (<paramref name="cohortFilter"/>) and everything.
    /// </summary>
    public async Task<PagedList<ColdCallMessageDto>> ThreadAsync(Caller caller, Guid promptId, Guid? cohortFilter, PageRequest page, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        var context = await ContextAsync(caller, promptId, cancellationToken);
        var query = db.ColdCallMessages.AsNoTracking().Where(m => m.PromptId == promptId);
        if (context.IsStaff) query = cohortFilter is { } cohort ? query.Where(m => m.CohortId == cohort) : query;
        else
        {
            var cohortId = context.CohortId!.Value;
            await RequireOwnRootAsync(caller.UserId, promptId, cohortId, cancellationToken);
            var hidden = await HiddenSubtreesAsync(promptId, cohortId, cancellationToken);
            query = query.Where(m => m.CohortId == cohortId && !hidden.Contains(m.Id));
        }
        return await Project(query.OrderBy(m => m.CreatedAt).ThenBy(m => m.Id), caller.UserId, context.IsStaff).ToPageAsync(page, cancellationToken);
    }

    /// <summary>Stars or unstars another's message the caller can see; one star per user and message, never one's own.</summary>
    public async Task<StarDto> ToggleStarAsync(Caller caller, Guid messageId, CancellationToken cancellationToken)
    {
        var message = await VisibleMessageAsync(caller, messageId, cancellationToken);
        if (message.UserId == caller.UserId) throw ProblemException.Forbidden("You cannot star your own message.");
        var removed = await db.ColdCallStars.Where(s => s.MessageId == messageId && s.UserId == caller.UserId).ExecuteDeleteAsync(cancellationToken);
        if (removed > 0) return new StarDto(messageId, false);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO cold_call_stars (id, message_id, user_id, created_at) VALUES ({Guid.CreateVersion7()}, {messageId}, {caller.UserId}, {time.GetUtcNow()})
            ON CONFLICT (message_id, user_id) DO NOTHING
            """, cancellationToken);
        return new StarDto(messageId, true);
    }

    /// <summary>One message the caller can see, as the thread shows it (the <c>Location</c> of a post); 404 otherwise.</summary>
    public async Task<ColdCallMessageDto> GetMessageAsync(Caller caller, Guid messageId, CancellationToken cancellationToken)
    {
        var message = await VisibleMessageAsync(caller, messageId, cancellationToken);
        var context = await ContextAsync(caller, message.PromptId, cancellationToken);
        return await MessageAsync(caller, messageId, context.IsStaff, cancellationToken);
    }

    /// <summary>Hides a message from learners, or shows it again (the course's tutors and admins).</summary>
    public async Task<ColdCallMessageDto> SetHiddenAsync(Caller caller, Guid messageId, bool hidden, CancellationToken cancellationToken)
    {
        var message = await db.ColdCallMessages.AsNoTracking().Where(m => m.Id == messageId)
            .Select(m => new { m.PromptId, m.Prompt.Topic.CourseId, m.UserId, m.ParentId, m.HiddenAt }).SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("message");
        if (!await access.IsStaffAsync(caller, message.CourseId, cancellationToken))
        {
            // Access before existence: a message the caller cannot see answers as one that does not exist.
            await VisibleMessageAsync(caller, messageId, cancellationToken);
            throw ProblemException.Forbidden("Only the course's tutors and admins may do this.");
        }
        var now = time.GetUtcNow();
        // Staff moderation of someone's words (or of a staff reply) is on the audit trail, like an admin write.
        if ((message.HiddenAt is not null) == hidden) audit.NothingChanged();
        else audit.Changed("cold_call_message", messageId, new { hidden = !hidden, authorId = message.UserId, message.ParentId }, new { hidden, authorId = message.UserId, message.ParentId });
        await db.ColdCallMessages.Where(m => m.Id == messageId).ExecuteUpdateAsync(s => s
            .SetProperty(m => m.HiddenAt, m => hidden ? (m.HiddenAt ?? now) : null)
            .SetProperty(m => m.HiddenById, m => hidden ? (m.HiddenById ?? caller.UserId) : null), cancellationToken);
        return await MessageAsync(caller, messageId, true, cancellationToken);
    }

    /// <summary>
    /// An author deletes their own reply, in one statement: not one that has replies (a reply saved a moment earlier
    /// wins; one saved later finds its parent gone, 404), and not one the course staff hid (it stays for them).
    /// A root response is never deleted: posting it revealed the thread, and deleting it would let its author post
    /// a polished answer after reading everyone else's (the blind-response rule).
    /// </summary>
    public async Task DeleteOwnAsync(Caller caller, Guid messageId, CancellationToken cancellationToken)
    {
        var deleted = await db.ColdCallMessages
            .Where(m => m.Id == messageId && m.UserId == caller.UserId && m.ParentId != null && m.HiddenAt == null
                        && !db.ColdCallMessages.Any(r => r.ParentId == m.Id))
            .ExecuteDeleteAsync(cancellationToken);
        if (deleted == 1) return;
        var message = await db.ColdCallMessages.AsNoTracking().Where(m => m.Id == messageId && m.UserId == caller.UserId)
            .Select(m => new { m.ParentId, m.HiddenAt }).SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("message of yours");
        throw ProblemException.Conflict(message.HiddenAt is not null ? "A hidden message stays for the course staff."
            : message.ParentId is null ? "Your response opened the thread to you, so it stays: answering again after reading the others would not be blind."
            : "A reply that has replies stays: the thread would lose its middle.", ProblemCodes.MessageNotDeletable);
    }

    /// <summary>
    /// Staff (the course's tutor or an admin) or a learner with an active cohort of the course (else 403). Reached by a
    /// prompt or message id (<paramref name="hiddenAs"/> set), a caller not enrolled in the course gets that id's 404:
    /// ids are not public, so an id of another course answers exactly like one that does not exist.
    /// </summary>
    private async Task<(bool IsStaff, Guid? CohortId)> WhoAsync(Caller caller, Guid courseId, bool isPublished, CancellationToken cancellationToken, string? hiddenAs = null)
    {
        if (await access.IsStaffAsync(caller, courseId, cancellationToken)) return (true, null);
        if (!isPublished) throw ProblemException.NotFound(hiddenAs ?? "topic");
        var enrolledCohort = await db.Enrollments.AsNoTracking().Where(e => e.UserId == caller.UserId && e.CourseId == courseId && e.Status == EnrollmentStatus.Active)
            .Select(e => new { e.CohortId }).SingleOrDefaultAsync(cancellationToken)
            ?? throw (hiddenAs is null ? ProblemException.Forbidden("Enrol in the course to take part in its cold calls.", ProblemCodes.NotEnrolled) : ProblemException.NotFound(hiddenAs));
        var matches = await membership.FindAsync(caller.UserId, courseId, enrolledCohort.CohortId, cancellationToken);
        var match = matches.FirstOrDefault(m => m.CohortId == enrolledCohort.CohortId && m.IsActive) ?? matches.FirstOrDefault(m => m.IsActive);
        if (match is null)
            throw ProblemException.Forbidden(matches.Count > 0
                ? "Your cohort for this course is not active, so its cold calls are closed."
                : "Cold calls are for the members of the course's cohorts; you are in none.", matches.Count > 0 ? ProblemCodes.CohortInactive : ProblemCodes.NotInCohort);
        return (false, match.CohortId);
    }

    private async Task<PromptContext> ContextAsync(Caller caller, Guid promptId, CancellationToken cancellationToken, string what = "cold-call prompt")
    {
        var prompt = await db.ColdCallPrompts.AsNoTracking().Where(p => p.Id == promptId)
            .Select(p => new { p.Topic.CourseId, p.Topic.Course.IsPublished }).SingleOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound(what);
        var (isStaff, cohortId) = await WhoAsync(caller, prompt.CourseId, prompt.IsPublished, cancellationToken, what);
        return new PromptContext(promptId, prompt.CourseId, isStaff, cohortId);
    }

    /// <summary>The learner's root response in this cohort opens its thread; one given in a cohort they left does not.</summary>
    private async Task RequireOwnRootAsync(Guid userId, Guid promptId, Guid cohortId, CancellationToken cancellationToken)
    {
        if (!await db.ColdCallMessages.AnyAsync(m => m.PromptId == promptId && m.UserId == userId && m.CohortId == cohortId && m.ParentId == null, cancellationToken))
            throw ProblemException.Forbidden("Post your own response first: the thread opens once you have answered in your cohort (blind response).", ProblemCodes.BlindResponseRequired);
    }

    /// <summary>The cohort's hidden messages of the prompt and every reply under them, however deep: what learners do not see.</summary>
    private Task<List<Guid>> HiddenSubtreesAsync(Guid promptId, Guid cohortId, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<Guid>($"""
            WITH RECURSIVE hidden AS (
                SELECT id FROM cold_call_messages WHERE prompt_id = {promptId} AND cohort_id = {cohortId} AND hidden_at IS NOT NULL
                UNION
                SELECT m.id FROM cold_call_messages m JOIN hidden h ON m.parent_id = h.id)
            SELECT id AS "Value" FROM hidden
            """).ToListAsync(cancellationToken);

    /// <summary>Whether the message or one of the messages it answers is hidden.</summary>
    private async Task<bool> UnderHiddenAsync(Guid messageId, CancellationToken cancellationToken) =>
        (await db.Database.SqlQuery<bool>($"""
            WITH RECURSIVE up AS (
                SELECT id, parent_id, hidden_at FROM cold_call_messages WHERE id = {messageId}
                UNION ALL
                SELECT m.id, m.parent_id, m.hidden_at FROM cold_call_messages m JOIN up ON m.id = up.parent_id)
            SELECT EXISTS (SELECT 1 FROM up WHERE hidden_at IS NOT NULL) AS "Value"
            """).ToListAsync(cancellationToken))[0];

    /// <summary>A message the caller may see: staff any of their course; a learner one of their cohort, not hidden, once they responded.</summary>
    private async Task<ColdCallMessage> VisibleMessageAsync(Caller caller, Guid messageId, CancellationToken cancellationToken)
    {
        var message = await db.ColdCallMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId, cancellationToken)
            ?? throw ProblemException.NotFound("message");
        var context = await ContextAsync(caller, message.PromptId, cancellationToken, "message");
        if (context.IsStaff) return message;
        if (message.CohortId != context.CohortId || await UnderHiddenAsync(message.Id, cancellationToken)) throw ProblemException.NotFound("message");
        await RequireOwnRootAsync(caller.UserId, message.PromptId, message.CohortId, cancellationToken);
        return message;
    }

    private async Task<ColdCallMessageDto> MessageAsync(Caller caller, Guid messageId, bool isStaff, CancellationToken cancellationToken) =>
        await Project(db.ColdCallMessages.AsNoTracking().Where(m => m.Id == messageId), caller.UserId, isStaff).SingleAsync(cancellationToken);

    private IQueryable<ColdCallMessageDto> Project(IQueryable<ColdCallMessage> query, Guid userId, bool isStaff) =>
        query.Select(m => new ColdCallMessageDto(
            m.Id, m.PromptId, m.CohortId, m.UserId, m.User!.FullName, m.ParentId, m.RootId, m.Content, m.CreatedAt,
            m.UserId == userId,
            m.UserId == userId ? null : db.ColdCallStars.Count(s => s.MessageId == m.Id),
            db.ColdCallStars.Any(s => s.MessageId == m.Id && s.UserId == userId),
            isStaff ? m.HiddenAt : null,
            isStaff ? m.HiddenById : null));
}
