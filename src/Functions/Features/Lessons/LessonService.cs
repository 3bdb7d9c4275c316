using CoursePlatform.Functions.Courses;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace CoursePlatform.Functions.Features.Lessons;

public sealed record LessonLayoutDto(string Version, IReadOnlyList<LessonBlock> Blocks);

/// <summary>The study-persona narrations; a missing one falls back to <see cref="Normal"/>.</summary>
public sealed record StudyVariants(string? Normal, string? Sports, string? Cooking, string? Adventure);

public sealed record SimulationExerciseDto(string Title, string? Instructions, JsonNode? Payload);

public sealed record LessonContent(
    Guid Id,
    Guid CourseId,
    int ModuleNo,
    int TopicNumber,
    string Name,
    bool IsPreview,
    LearnerPersona? TutorPersona,
    StudyPersona StudyPersona,
    LessonLayoutDto Layout,
    StudyVariants Variants,
    [property: WebUrl] string? VideoUrl,
    [property: WebUrl] string? PptUrl,
    SimulationExerciseDto? SimulationExercise);

/// <summary>
/// The lesson endpoint: a topic's layout resolved for the caller's tutor persona (docs/product.md,
/// "Persona-filtered content"). Assets are read in one query that can only return the caller's
/// persona's rows and the defaults, so another persona's payload never even leaves the database.
/// </summary>
public sealed class LessonService(CoursePlatformDbContext db)
{
    public async Task<LessonContent> GetAsync(Guid topicId, Caller? caller, CancellationToken cancellationToken)
    {
        var topic = await ReadAsync(topicId, caller, cancellationToken) ?? throw ProblemException.NotFound("topic");

        var isStaff = caller is not null && CourseAccess.IsStaff(caller, topic.Teaches);
        if (!topic.IsPublished && !isStaff) throw ProblemException.NotFound("topic");
        if (!topic.IsPreview && !isStaff)
        {
            if (caller is null) throw ProblemException.Unauthorized("Sign in and enrol to read this lesson.");
            if (!topic.Enrolled) throw ProblemException.Forbidden("Enrol in the course to read this lesson.", ProblemCodes.NotEnrolled);
        }
        LearnerPersona? persona = Json.TryParseLabel<LearnerPersona>(topic.TutorPersona, out var p) ? p : null;
        var study = Json.TryParseLabel<StudyPersona>(topic.StudyPersona, out var sp) ? sp : StudyPersona.Normal;

        var layout = LessonLayout.Parse(topic.TextContent);
        IReadOnlyList<LessonBlock> blocks = layout is null
            ? string.IsNullOrWhiteSpace(topic.TextContent) ? [] : [LessonLayout.PlainText(topic.TextContent)]
            : LessonLayout.Resolve(layout, persona, Assets(topic.Assets));

        // Everything below is cleaned as the content rules would have stored it, for rows written before them
        // (SafeMarkdown.Clean returns safe text unchanged, without parsing text that has no '<' or ']').
        var normal = layout is null ? Safe(topic.TextContent) : FirstText(blocks);
        return new LessonContent(
            topic.Id, topic.CourseId, topic.ModuleNo, topic.TopicNumber, topic.Name, topic.IsPreview, persona, study,
            new LessonLayoutDto(LessonLayout.Version, blocks),
            new StudyVariants(normal, Safe(topic.TextContentSports) ?? normal, Safe(topic.TextContentCooking) ?? normal, Safe(topic.TextContentAdventure) ?? normal),
            ContentRules.IsSafeUrl(topic.VideoUrl) ? VideoLinks.ToEmbed(topic.VideoUrl) : null,
            ContentRules.IsSafeUrl(topic.PptUrl) ? topic.PptUrl : null,
            topic.ExerciseTitle is null ? null
                : new SimulationExerciseDto(topic.ExerciseTitle, Safe(topic.ExerciseInstructions),
                    topic.ExercisePayload is null ? null : ContentRules.FreeJsonForLearner(JsonNode.Parse(topic.ExercisePayload))));
    }

    /// <summary>
    /// One round trip: the topic, everything about the caller (staffing, enrolment, both personas) and, as one JSON
    /// array, the assets the caller's persona may see (its own rows and the defaults, nothing else). The staffing and
    /// enrolment tests are CourseAccess.Teaches and CourseAccess.ActiveEnrollment written in SQL; staffing is only
    /// looked up for a tutor, the one role it can change (CourseAccess.IsStaff). No statement is prepared (transaction
    /// pooling), so every request plans this one again: the lookups are scalar subqueries, which plan in about half
    /// the time of the same lookups as joins.
    /// </summary>
    private const string Query = """
        SELECT t.id, t.course_id, t.module_no, t.topic_number, t.name, t.is_preview, t.video_url, t.ppt_url,
               t.text_content, t.text_content_sports, t.text_content_cooking, t.text_content_adventure,
               (SELECT c.is_published FROM courses c WHERE c.id = t.course_id) AS is_published,
               s.title AS exercise_title, s.instructions AS exercise_instructions, s.payload::text AS exercise_payload,
               @is_tutor AND EXISTS (SELECT 1 FROM course_tutors ct WHERE ct.course_id = t.course_id
                                     AND ct.tutor_id = (SELECT tu.id FROM tutors tu WHERE tu.user_id = @user_id)) AS teaches,
               EXISTS (SELECT 1 FROM enrollments e
                       WHERE e.course_id = t.course_id AND e.user_id = @user_id AND e.status = 'active') AS enrolled,
               lp.persona_key::text AS tutor_persona,
               (SELECT tp.study_persona::text FROM topic_personalization tp
                WHERE tp.course_id = t.course_id AND tp.user_id = @user_id) AS study_persona,
               (SELECT coalesce(json_agg(json_build_object('key', a.content_key, 'own', a.persona_key IS NOT NULL, 'payload', a.payload)), '[]')
                FROM topic_content_assets a
                WHERE a.topic_id = t.id AND (a.persona_key IS NULL OR a.persona_key = lp.persona_key))::text AS assets
        FROM topics t
        LEFT JOIN simulation_exercises s ON s.topic_id = t.id
        LEFT JOIN learner_persona_profiles lp ON lp.course_id = t.course_id AND lp.user_id = @user_id
        WHERE t.id = @topic_id
        """;

    /// <summary>
    /// <see cref="Query"/> through ADO.NET (<see cref="RawSqlReads"/>), the columns read in the order the query lists them.
    /// The lesson is the read learners make most, and EF's SqlQuery cost about 0.3 ms a call on it, a third of the round
    /// trip (benchmark 'lesson': 1.7-1.8x its floor that way, 1.4-1.5x this way).
    /// </summary>
    private Task<LessonRow?> ReadAsync(Guid topicId, Caller? caller, CancellationToken cancellationToken) =>
        db.ReadAsync(Query,
            [
                new NpgsqlParameter<Guid>("topic_id", topicId),
                new NpgsqlParameter("user_id", NpgsqlDbType.Uuid) { Value = caller is null ? DBNull.Value : caller.UserId },
                new NpgsqlParameter<bool>("is_tutor", caller?.Role == UserRole.Tutor),
            ],
            async (reader, ct) =>
            {
                if (!await reader.ReadAsync(ct)) return null;
                string? Text(int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
                return new LessonRow(
                    reader.GetGuid(0), reader.GetGuid(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetString(4), reader.GetBoolean(5), Text(6), Text(7),
                    Text(8), Text(9), Text(10), Text(11), reader.GetBoolean(12),
                    Text(13), Text(14), Text(15),
                    reader.GetBoolean(16), reader.GetBoolean(17), Text(18), Text(19), reader.GetString(20));
            },
            cancellationToken);

    private sealed record LessonRow(
        Guid Id, Guid CourseId, int ModuleNo, int TopicNumber, string Name, bool IsPreview, string? VideoUrl, string? PptUrl,
        string? TextContent, string? TextContentSports, string? TextContentCooking, string? TextContentAdventure, bool IsPublished,
        string? ExerciseTitle, string? ExerciseInstructions, string? ExercisePayload,
        bool Teaches, bool Enrolled, string? TutorPersona, string? StudyPersona, string Assets);

    /// <summary>The assets array of the query, by content key: the persona's own payload and the default.</summary>
    private static Dictionary<string, AssetChoice> Assets(string json)
    {
        var choices = new Dictionary<string, AssetChoice>(StringComparer.Ordinal);
        foreach (var item in JsonNode.Parse(json)!.AsArray().OfType<JsonObject>())
        {
            var key = item["key"]!.GetValue<string>();
            var payload = item["payload"];
            item.Remove("payload"); // detached, so the block can own it
            choices.TryGetValue(key, out var choice);
            choice ??= new AssetChoice(null, null);
            choices[key] = item["own"]!.GetValue<bool>() ? choice with { PersonaPayload = payload } : choice with { DefaultPayload = payload };
        }
        return choices;
    }

    private static string? Safe(string? markdown) => markdown is null ? null : SafeMarkdown.Clean(markdown);

    private static string? FirstText(IReadOnlyList<LessonBlock> blocks) =>
        blocks.FirstOrDefault(b => b.Type == ContentType.Text)?.Data["markdown"]?.GetValue<string>();

}
