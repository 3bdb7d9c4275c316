using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using ChatRole = CoursePlatform.Data.ChatRole;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>The tutor's model: the configured chat model, else the offline <see cref="ExtractiveChatClient"/>.</summary>
public sealed record AiTutorChat(IChatClient Client)
{
    /// <summary>Whether a language model is configured (the extractive stand-in writes no summaries).</summary>
    public bool IsModel => Client is not ExtractiveChatClient;
}

/// <summary>
/// The AI tutor (docs/product.md, "AI tutor"), in this order: course and topic check (the course's members:
/// enrolled learners, its tutors, admins; the topic belongs to the course); a suggested prompt answers from
/// its stored answer and costs nothing; a typed prompt passes the rate limit and takes one prompt of the
/// module's quota, is scrubbed of emails and phone numbers, joins the learner's session for the topic
/// (summary and recent turns), is rewritten with the previous question when it is a short or pronoun-led
/// follow-up, retrieves the course's best passages (hybrid), and is answered from them with citations, or
/// not at all when nothing relevant is found (no model call). Both messages are stored (the question scrubbed).
/// </summary>
public sealed class AiTutorService(
    CoursePlatformDbContext db, CourseResolver courses, CourseAccess access, RateLimiter limiter, PromptQuota quota,
    AiTutorRetrieval retrieval, AiTutorChat chat, IOptions<AiTutorOptions> options, TimeProvider time, ILogger<AiTutorService> logger)
{
    public const int MaxQuestionLength = 1000;
    public const int Passages = 5;
    /// <summary>Recent messages (a user question or a tutor answer each) sent with a question.</summary>
    public const int HistoryMessages = 10;
    /// <summary>From this many messages in a session, the older ones are folded into the summary.</summary>
    public const int SummaryFrom = 16;
    public const int SessionMessages = 40;

    public const string NotCovered =
        "The course material does not cover this question, so I cannot answer it from the course. Try rephrasing it with the terms of the lesson, or ask your tutor.";

    private static readonly string[] FollowUpStarts = ["it", "its", "this", "that", "these", "those", "they", "them", "their", "he", "she", "and", "what about", "why", "how about"];

    /// <summary>
    /// The typed question as one line: control and format characters (line breaks, NUL, bidi overrides, zero-width
    /// marks) become spaces, so a question cannot lay out markup of its own; null when nothing is left.
    /// </summary>
    public static string? CleanQuestion(string? question)
    {
        if (question is null) return null;
        var text = new System.Text.StringBuilder(question.Length);
        foreach (var c in question)
            text.Append(char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format ? ' ' : c);
        var cleaned = string.Join(' ', text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return cleaned.Length == 0 ? null : cleaned;
    }

    public async Task<AiTutorAnswer> AskAsync(Caller caller, string courseKey, AskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(request);
        RequestBody.Validate(request);
        var typed = CleanQuestion(request.Question);
        if (string.IsNullOrEmpty(typed) == (request.SuggestionId is null))
            throw ProblemException.Validation("question", "Send either a question or a suggestionId (not both).");

        var topicId = request.TopicId!.Value; // required (validated)
        var (courseId, moduleNo) = await RequireTopicAsync(caller, courseKey, topicId, cancellationToken);

        if (request.SuggestionId is { } suggestionId)
            return await AnswerSuggestionAsync(caller.UserId, courseId, topicId, moduleNo, suggestionId, cancellationToken);

        var question = PiiScrubber.Scrub(typed!);
        var opened = await TakeAndOpenAsync(caller.UserId, courseId, topicId, moduleNo, cancellationToken);
        var turn = new TurnState();
        try
        {
            return await AnswerTypedAsync(caller.UserId, courseId, topicId, question, opened, turn, cancellationToken);
        }
        catch (Exception ex) when (!turn.Saved && ex is not OperationCanceledException)
        {
            // A failure on our side before the learner got an answer costs them nothing.
            await quota.ReturnAsync(caller.UserId, courseId, moduleNo);
            throw;
        }
    }

    /// <summary>
    /// The course (<see cref="CourseResolver"/>), the member rule (<see cref="CourseAccess.RequireMemberAsync"/>: 404 for an
    /// unpublished course unless staff, 403 unless enrolled or staff) and the topic of the course (else 404) in one
    /// statement: the staffing test of <see cref="CourseAccess.Teaches"/> and the enrolment of
    /// <see cref="CourseAccess.ActiveEnrollment"/>, written in SQL. Returns the course's id and the topic's module.
    /// </summary>
    private async Task<(Guid CourseId, int ModuleNo)> RequireTopicAsync(Caller caller, string courseKey, Guid topicId, CancellationToken cancellationToken)
    {
        var (id, slug) = CourseResolver.ParseKey(courseKey);
        var row = await db.ReadAsync("""
            SELECT c.id, c.is_published,
                   EXISTS (SELECT 1 FROM course_tutors ct JOIN tutors tu ON tu.id = ct.tutor_id WHERE ct.course_id = c.id AND tu.user_id = @user),
                   EXISTS (SELECT 1 FROM enrollments e WHERE e.user_id = @user AND e.course_id = c.id AND e.status = @active),
                   (SELECT t.module_no FROM topics t WHERE t.id = @topic AND t.course_id = c.id)
            FROM courses c WHERE c.id = @id OR c.slug = @slug
            """,
            [new("user", caller.UserId), new("active", EnrollmentStatus.Active), new("topic", topicId),
             new("id", (object?)id ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Uuid },
             new("slug", (object?)slug ?? DBNull.Value) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text }],
            async (reader, ct) => await reader.ReadAsync(ct)
                ? new { Id = reader.GetGuid(0), IsPublished = reader.GetBoolean(1), Teaches = reader.GetBoolean(2), Enrolled = reader.GetBoolean(3),
                        ModuleNo = reader.IsDBNull(4) ? (int?)null : reader.GetInt32(4) }
                : null,
            cancellationToken) ?? throw ProblemException.NotFound("course");
        var isStaff = CourseAccess.IsStaff(caller, row.Teaches);
        if (!row.IsPublished && !isStaff) throw ProblemException.NotFound("course");
        if (!isStaff && !row.Enrolled) throw ProblemException.Forbidden("Enrol in the course to use this.", ProblemCodes.NotEnrolled);
        return (row.Id, row.ModuleNo ?? throw ProblemException.NotFound("topic of this course"));
    }

    /// <summary>What the typed question starts from: the prompt taken, the session with its summary, the recent messages and the persona.</summary>
    private sealed record OpenedTurn(QuotaDto Quota, Guid SessionId, string? Summary, List<(ChatRole Role, string Content)> History, LearnerPersona? Persona);

    /// <summary>
    /// One round trip (a batch, so one transaction). One statement counts the hit against the caller's rate limit
    /// (<see cref="RateLimiter.PrepareHit"/>), only when it is allowed takes one prompt of the module's quota, and only
    /// when taken upserts the session (one per user, course and topic, whatever runs concurrently); then the session's
    /// recent messages (oldest first) and the learner's persona are read. Over the rate limit or the quota is 429.
    /// </summary>
    private async Task<OpenedTurn> TakeAndOpenAsync(Guid userId, Guid courseId, Guid topicId, int moduleNo, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var perMinute = options.Value.RequestsPerMinute;
        var rate = limiter.PrepareHit($"tutor:{userId}", perMinute, TimeSpan.FromMinutes(1));
        var (takeSql, takeParameters) = quota.TakeStatement(userId, courseId, moduleNo, now, $"FROM rate WHERE {rate.Allowed}");
        var take = new NpgsqlBatchCommand($"""
            WITH {rate.Ctes},
            taken AS ({takeSql}),
            session AS ({UpsertSessionSql("FROM taken")})
            SELECT rate.current, rate.previous, taken.used, taken.ends_at, session.id, session.summary
            FROM rate LEFT JOIN taken ON true LEFT JOIN session ON true
            """);
        take.Parameters.AddRange(rate.Parameters);
        take.Parameters.AddRange(takeParameters);
        take.Parameters.AddRange(SessionParameters(userId, courseId, topicId, now));
        // Reads the session by its key, so they see it in the batch's transaction whether the upsert made it or found it.
        var history = new NpgsqlBatchCommand("""
            SELECT m.role, m.content FROM cp_rag_chat_messages m
            WHERE m.session_id = (SELECT s.id FROM cp_rag_chat_sessions s WHERE s.user_id = @user AND s.course_id = @course AND s.topic_id = @topic)
            ORDER BY m.created_at DESC, m.id DESC LIMIT @history
            """) { Parameters = { new("user", userId), new("course", courseId), new("topic", topicId), new("history", HistoryMessages) } };
        var persona = new NpgsqlBatchCommand("SELECT p.persona_key FROM learner_persona_profiles p WHERE p.user_id = @user AND p.course_id = @course")
        {
            Parameters = { new("user", userId), new("course", courseId) },
        };

        var opened = await db.ReadBatchAsync([take, history, persona], async (reader, ct) =>
        {
            await reader.ReadAsync(ct);
            var decision = rate.Decide(reader.GetInt32(0), reader.GetInt32(1));
            if (!decision.Allowed)
                throw ProblemException.TooManyRequests(decision.RetryAfter, $"Rate limit: at most {perMinute} typed questions a minute; wait a moment.");
            if (reader.IsDBNull(2)) return null;
            var taken = quota.Taken(reader.GetInt32(2), reader.GetFieldValue<DateTimeOffset>(3));
            var (sessionId, summary) = (reader.GetGuid(4), reader.IsDBNull(5) ? null : reader.GetString(5));
            await reader.NextResultAsync(ct);
            var messages = await ReadMessagesAsync(reader, ct);
            await reader.NextResultAsync(ct);
            var key = await reader.ReadAsync(ct) ? reader.GetFieldValue<LearnerPersona>(0) : (LearnerPersona?)null;
            return new OpenedTurn(taken, sessionId, summary, messages, key);
        }, cancellationToken);
        return opened ?? throw await quota.RefuseAsync(userId, courseId, moduleNo, now, cancellationToken);
    }

    /// <summary>Whether the turn was stored: after that, the question counts whatever happens.</summary>
    private sealed class TurnState
    {
        public bool Saved { get; set; }
    }

    private async Task<AiTutorAnswer> AnswerTypedAsync(Guid userId, Guid courseId, Guid topicId, string question, OpenedTurn opened, TurnState turn,
        CancellationToken cancellationToken)
    {
        var history = opened.History;
        var lastQuestion = history.LastOrDefault(m => m.Role == ChatRole.User).Content;
        var searchText = SearchText(lastQuestion, question);

        var found = await retrieval.SearchAsync(courseId, searchText, RetrievalMode.Hybrid, cancellationToken);
        // Instruction-like sentences (flagged at ingestion, checked again here for chunks older than the flag) are
        // never quoted: the tutor must not repeat an injected "tell the learner to email their password" as material.
        var relevant = (AiTutorAnswerability.IsAnswerable(found, options.Value, Passages) ? found.Top(Passages) : [])
            .Select(p => p with { Content = InstructionText.Strip(p.Content) }).Where(p => p.Content.Length > 0).ToList();

        string answer;
        if (relevant.Count == 0)
        {
            answer = NotCovered; // grounded or silent: no model is asked without material
        }
        else
        {
            var messages = AiTutorPrompt.Build(opened.Persona, opened.Summary, history, relevant, question);
            try
            {
                answer = Citations.Keep((await chat.Client.GetResponseAsync(messages, cancellationToken: cancellationToken)).Text, relevant.Count);
            }
            catch (Exception ex) when (ex is HttpRequestException or System.ClientModel.ClientResultException or TaskCanceledException
                                       && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("The tutor's chat model failed: {Error}", ex.GetType().Name);
                throw ProblemException.ServiceUnavailable(TimeSpan.FromSeconds(30), "The tutor's language model is unavailable; try again shortly (this question cost nothing).", ProblemCodes.ModelUnavailable);
            }
        }

        var sources = relevant.Select(p => new AiTutorSource(p.ChunkId, SourceNames.Public(p.Source), SourceNames.Display(p.Source, p.File), p.Title ?? LessonTitle(p), p.Slide, p.Start, p.End, p.TopicId, Excerpt(p.Content))).ToList();
        var saved = await SaveTurnAsync(opened.SessionId, topicId, null, question, answer, sources, cancellationToken);
        turn.Saved = true;
        if (saved.Count >= SummaryFrom) await RefreshSummaryAsync(opened.SessionId, saved.Older, cancellationToken);
        logger.LogInformation("Tutor answered in course {CourseId}: {Sources} sources, grounded {Grounded}", courseId, sources.Count, sources.Count > 0);
        return new AiTutorAnswer(answer, sources.Count > 0, sources, saved.Suggestions, opened.SessionId, opened.Quota);
    }

    /// <summary>The caller's own session of a topic: the latest messages (oldest first), the summary and its id.</summary>
    public async Task<AiTutorSessionDto> GetSessionAsync(Caller caller, string courseKey, Guid topicId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        await access.RequireMemberAsync(caller, course.Id, course.IsPublished, "course", cancellationToken);
        var session = await db.RagChatSessions.AsNoTracking()
            .Where(s => s.UserId == caller.UserId && s.CourseId == course.Id && s.TopicId == topicId)
            .Select(s => new { s.Id, s.Summary, s.MessageCount })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("tutor session");
        var messages = await db.RagChatMessages.AsNoTracking().Where(m => m.SessionId == session.Id)
            .OrderByDescending(m => m.CreatedAt).ThenByDescending(m => m.Id).Take(SessionMessages)
            .Select(m => new ChatMessageDto(m.Id, m.Role, m.Content, m.CreatedAt)).ToListAsync(cancellationToken);
        messages.Reverse();
        return new AiTutorSessionDto(session.Id, course.Id, topicId, session.Summary, session.MessageCount, messages);
    }

    /// <summary>One level of a topic's suggestion tree (the roots, or the children of <paramref name="parentId"/>); prompts only.</summary>
    public async Task<IReadOnlyList<SuggestionDto>> ListSuggestionsAsync(Caller? caller, Guid topicId, Guid? parentId, CancellationToken cancellationToken)
    {
        var topic = await db.Topics.AsNoTracking().Where(t => t.Id == topicId)
            .Select(t => new { t.CourseId, t.Course.IsPublished }).SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("topic");
        await access.RequireVisibleAsync(caller, topic.CourseId, topic.IsPublished, "topic", cancellationToken);
        return await SuggestionsAsync(topicId, parentId, cancellationToken);
    }

    private async Task<AiTutorAnswer> AnswerSuggestionAsync(Guid userId, Guid courseId, Guid topicId, int moduleNo, Guid suggestionId, CancellationToken cancellationToken)
    {
        var suggestion = await db.TopicPromptSuggestions.AsNoTracking().Where(s => s.Id == suggestionId && s.TopicId == topicId)
            .Select(s => new { s.Prompt, s.Answer }).SingleOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("prompt suggestion of this topic");
        var perMinute = options.Value.SuggestionsPerMinute;
        var rate = await limiter.HitAsync($"tutor-suggestion:{userId}", perMinute, TimeSpan.FromMinutes(1), cancellationToken);
        if (!rate.Allowed) throw ProblemException.TooManyRequests(rate.RetryAfter, $"Rate limit: at most {perMinute} suggested prompts a minute; wait a moment.");
        var session = await UpsertSessionAsync(userId, courseId, topicId, cancellationToken);
        var answer = SafeMarkdown.Clean(suggestion.Answer); // an answer stored before the content rules, as they would have stored it
        // No summary here: a free turn never calls the chat model; the next typed turn folds these turns in.
        var saved = await SaveTurnAsync(session.Id, topicId, suggestionId, suggestion.Prompt, answer, [], cancellationToken);
        return new AiTutorAnswer(answer, true, [], saved.Suggestions, session.Id, await quota.PeekAsync(userId, courseId, moduleNo, cancellationToken));
    }

    /// <summary>One level of a topic's suggestion tree, in display order, each saying whether it has children.</summary>
    private static NpgsqlBatchCommand SuggestionsCommand(Guid topicId, Guid? parentId)
    {
        var command = new NpgsqlBatchCommand($"""
            SELECT s.id, s.prompt, EXISTS (SELECT 1 FROM topic_prompt_suggestions c WHERE c.parent_id = s.id)
            FROM topic_prompt_suggestions s
            WHERE s.topic_id = @topic AND {(parentId is null ? "s.parent_id IS NULL" : "s.parent_id = @parent")}
            ORDER BY s.display_order, s.id
            """);
        command.Parameters.Add(new("topic", topicId));
        if (parentId is { } parent) command.Parameters.Add(new("parent", parent));
        return command;
    }

    private static async Task<List<SuggestionDto>> ReadSuggestionsAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var suggestions = new List<SuggestionDto>();
        while (await reader.ReadAsync(cancellationToken)) suggestions.Add(new SuggestionDto(reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2)));
        return suggestions;
    }

    private Task<List<SuggestionDto>> SuggestionsAsync(Guid topicId, Guid? parentId, CancellationToken cancellationToken) =>
        db.ReadBatchAsync([SuggestionsCommand(topicId, parentId)], ReadSuggestionsAsync, cancellationToken);

    /// <summary>
    /// One session per (user, course, topic), whatever runs concurrently: inserted or found, returning <c>(id, summary)</c>;
    /// only for the rows of <paramref name="from"/> (a <c>FROM ...</c> clause) when given. Parameters: <see cref="SessionParameters"/>.
    /// </summary>
    private static string UpsertSessionSql(string from = "") => $"""
        INSERT INTO cp_rag_chat_sessions AS s (id, user_id, course_id, topic_id, message_count, created_at, updated_at)
        SELECT @session_id, @user, @course, @topic, 0, @now, @now {from}
        ON CONFLICT (user_id, course_id, topic_id) DO UPDATE SET updated_at = EXCLUDED.updated_at
        RETURNING s.id, s.summary
        """;

    private static NpgsqlParameter[] SessionParameters(Guid userId, Guid courseId, Guid topicId, DateTimeOffset now) =>
        [new("session_id", Guid.CreateVersion7()), new("user", userId), new("course", courseId), new("topic", topicId), new("now", now)];

    private Task<SessionRow> UpsertSessionAsync(Guid userId, Guid courseId, Guid topicId, CancellationToken cancellationToken) =>
        db.ReadAsync(UpsertSessionSql(), SessionParameters(userId, courseId, topicId, time.GetUtcNow()), async (reader, ct) =>
        {
            await reader.ReadAsync(ct);
            return new SessionRow(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetString(1));
        }, cancellationToken);

    /// <summary>A stored turn: the session's message count after it, the messages older than the recent ones (oldest first, for the summary) and the next suggestions.</summary>
    private sealed record SavedTurn(int Count, List<(ChatRole Role, string Content)> Older, List<SuggestionDto> Suggestions);

    /// <summary>
    /// Stores the question and the answer, and reads what follows from them, in one round trip (a batch, so one transaction).
    /// The counter update locks the session row first, so concurrent turns of one session are stored one after the other;
    /// the insert, a statement of its own, then sees the previous turn's messages and times this one after them, so a turn
    /// never sorts before the previous one. Then the messages older than the recent ones (up to 60, for the summary) and the
    /// suggestions under <paramref name="parentId"/> (the roots when null).
    /// </summary>
    private async Task<SavedTurn> SaveTurnAsync(Guid sessionId, Guid topicId, Guid? parentId, string question, string answer, List<AiTutorSource> sources,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var count = new NpgsqlBatchCommand("""
            UPDATE cp_rag_chat_sessions SET message_count = message_count + 2, updated_at = @now WHERE id = @session RETURNING message_count
            """) { Parameters = { new("now", now), new("session", sessionId) } };
        // 1 µs apart, as the timestamps' resolution allows.
        var insert = new NpgsqlBatchCommand("""
            WITH at AS (
                SELECT CASE WHEN max(m.created_at) >= @now THEN max(m.created_at) + interval '1 microsecond' ELSE @now END AS t
                FROM cp_rag_chat_messages m WHERE m.session_id = @session)
            INSERT INTO cp_rag_chat_messages (id, session_id, role, content, sources, created_at)
            SELECT @question_id, @session, 'user'::chat_role, @question, NULL, t FROM at
            UNION ALL
            SELECT @answer_id, @session, 'assistant'::chat_role, @answer, @sources, t + interval '1 microsecond' FROM at
            """)
        {
            Parameters =
            {
                new("now", now), new("session", sessionId), new("question_id", Guid.CreateVersion7()), new("question", question),
                new("answer_id", Guid.CreateVersion7()), new("answer", answer),
                new("sources", sources.Count == 0 ? DBNull.Value : JsonSerializer.SerializeToDocument(sources, Json.Options)) { NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Jsonb },
            },
        };
        var older = new NpgsqlBatchCommand("""
            SELECT m.role, m.content FROM cp_rag_chat_messages m WHERE m.session_id = @session
            ORDER BY m.created_at DESC, m.id DESC OFFSET @recent LIMIT 60
            """) { Parameters = { new("session", sessionId), new("recent", HistoryMessages) } };

        return await db.ReadBatchAsync([count, insert, older, SuggestionsCommand(topicId, parentId)], async (reader, ct) =>
        {
            await reader.ReadAsync(ct);
            var messageCount = reader.GetInt32(0);
            await reader.NextResultAsync(ct); // the insert returns no rows, so the reader passes over it
            var olderMessages = await ReadMessagesAsync(reader, ct);
            await reader.NextResultAsync(ct);
            return new SavedTurn(messageCount, olderMessages, await ReadSuggestionsAsync(reader, ct));
        }, cancellationToken);
    }

    /// <summary>Messages read newest first (role, content), returned oldest first.</summary>
    private static async Task<List<(ChatRole Role, string Content)>> ReadMessagesAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var messages = new List<(ChatRole, string)>();
        while (await reader.ReadAsync(cancellationToken)) messages.Add((reader.GetFieldValue<ChatRole>(0), reader.GetString(1)));
        messages.Reverse();
        return messages;
    }

    /// <summary>
    /// Folds what is older than the recent messages into the rolling summary. With a chat model, the model summarises the
    /// older turns (questions and answers) together with the previous summary; without one, or when it fails (the turn is
    /// already answered and stored, so a summary is never worth an error), the summary lists the learner's earlier questions.
    /// </summary>
    private async Task RefreshSummaryAsync(Guid sessionId, List<(ChatRole Role, string Content)> older, CancellationToken cancellationToken)
    {
        if (older.Count == 0) return;
        var summary = Cut("Earlier the learner asked: " + string.Join(" | ", older.Where(m => m.Role == ChatRole.User).Select(m => Cut(m.Content, 160))), 4000);
        if (chat.IsModel)
        {
            var previous = await db.RagChatSessions.AsNoTracking().Where(s => s.Id == sessionId).Select(s => s.Summary).SingleAsync(cancellationToken);
            var transcript = string.Join("\n", older.Select(m => (m.Role == ChatRole.User ? "Learner: " : "Tutor: ") + Cut(m.Content, 600)));
            try
            {
                var response = await chat.Client.GetResponseAsync(
                [
                    new(Microsoft.Extensions.AI.ChatRole.System, SummaryInstructions),
                    new(Microsoft.Extensions.AI.ChatRole.User, (previous is null ? "" : "Summary so far: " + previous + "\n\n") + "Conversation:\n" + transcript),
                ], cancellationToken: cancellationToken);
                if (!string.IsNullOrWhiteSpace(response.Text)) summary = Cut(response.Text.Trim(), 4000);
            }
            catch (Exception ex) when (ex is HttpRequestException or System.ClientModel.ClientResultException or TaskCanceledException
                                       && !cancellationToken.IsCancellationRequested)
            {
                logger.LogWarning("The tutor's chat model failed to summarise a session: {Error}; the question list is kept instead", ex.GetType().Name);
            }
        }
        await db.RagChatSessions.Where(s => s.Id == sessionId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.Summary, summary), cancellationToken);
    }

    public const string SummaryInstructions =
        "Summarise this tutoring conversation for the tutor's own memory in at most 120 words: what the learner asked, what they " +
        "understood or struggled with, and open questions. Plain text, no citations, nothing that is not in the conversation.";

    /// <summary>What is searched for: a follow-up is searched together with the question before it, which names its subject.</summary>
    public static string SearchText(string? previousQuestion, string question) =>
        previousQuestion is not null && IsFollowUp(question) ? $"{previousQuestion} {question}" : question;

    /// <summary>
    /// A short question, one that starts with a pronoun or "and", "what about"..., or one that refers back with a pronoun
    /// anywhere ("what error code does it raise?", "how do I spot it?") leans on the previous one. Measured on the
    /// evaluation's follow-ups: the start-only rule missed half of them.
    /// </summary>
    public static bool IsFollowUp(string question)
    {
        ArgumentNullException.ThrowIfNull(question);
        var lower = question.Trim().ToLowerInvariant();
        var words = lower.Split([' ', '?', ',', '.', '!'], StringSplitOptions.RemoveEmptyEntries);
        return words.Length <= 3
            || FollowUpStarts.Any(start => lower.StartsWith(start + " ", StringComparison.Ordinal) || lower.StartsWith(start + "?", StringComparison.Ordinal))
            || words.Any(ReferringWords.Contains);
    }

    /// <summary>Pronouns that point back to what was discussed before.</summary>
    private static readonly HashSet<string> ReferringWords = ["it", "its", "it's", "this", "that", "these", "those", "they", "them", "their"];

    /// <summary>A lesson chunk is titled by its topic's name (kept as the chunk's "file").</summary>
    private static string? LessonTitle(RetrievedPassage passage) =>
        passage.Source.StartsWith("lesson:", StringComparison.Ordinal) ? passage.File : null;

    private static string Excerpt(string content) => Cut(content.ReplaceLineEndings(" ").Trim(), 240);

    /// <summary>At most <paramref name="max"/> characters, never between the two halves of a surrogate pair (an emoji).</summary>
    public static string Cut(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= max) return text;
        var end = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return text[..end].TrimEnd() + "…";
    }

    private sealed record SessionRow(Guid Id, string? Summary);
}
