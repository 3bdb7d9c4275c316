using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

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
    TutorPersona? TutorPersona,
    StudyPersona StudyPersona,
    LessonLayoutDto Layout,
    StudyVariants Variants,
    string? VideoUrl,
    string? PptUrl,
    SimulationExerciseDto? SimulationExercise);

/// <summary>
/// The lesson endpoint: a topic's layout resolved for the caller's tutor persona (product.md,
/// "Persona-filtered content"). Assets are read in one query that can only return the caller's
/// persona's rows and the defaults, so another persona's payload never even leaves the database.
/// </summary>
public sealed class LessonService(CoursePlatformDbContext db)
{
    public async Task<LessonContent> GetAsync(Guid topicId, Caller? caller, CancellationToken cancellationToken)
    {
        var topic = await db.Topics.AsNoTracking()
            .Where(t => t.Id == topicId)
            .Select(t => new
            {
                t.Id, t.CourseId, t.ModuleNo, t.TopicNumber, t.Name, t.IsPreview, t.VideoUrl, t.PptUrl,
                t.TextContent, t.TextContentSports, t.TextContentCooking, t.TextContentAdventure,
                t.Course.IsPublished,
                Exercise = db.SimulationExercises.Where(e => e.TopicId == t.Id)
                    .Select(e => new { e.Title, e.Instructions, e.Payload }).FirstOrDefault(),
            })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("topic");

        // Everything about the caller in one round trip: staffing, enrolment and both personas.
        var facts = caller is null ? null : await CallerFactsAsync(caller.UserId, topic.CourseId, cancellationToken);
        var isStaff = caller is not null && CourseAccess.IsStaff(caller, facts?.Teaches == true);
        if (!topic.IsPublished && !isStaff) throw ProblemException.NotFound("topic");
        if (!topic.IsPreview && !isStaff)
        {
            if (caller is null) throw ProblemException.Unauthorized("Sign in and enrol to read this lesson.");
            if (facts?.Enrolled != true) throw ProblemException.Forbidden("Enrol in the course to read this lesson.", ProblemCodes.NotEnrolled);
        }
        var persona = facts?.Tutor;
        var study = facts?.Study ?? StudyPersona.Normal;

        var layout = LessonLayout.Parse(topic.TextContent);
        IReadOnlyList<LessonBlock> blocks = layout is null
            ? string.IsNullOrWhiteSpace(topic.TextContent) ? [] : [LessonLayout.PlainText(topic.TextContent)]
            : LessonLayout.Resolve(layout, persona, await AssetsAsync(topic.Id, layout, persona, cancellationToken));

        var normal = layout is null ? topic.TextContent : FirstText(blocks);
        return new LessonContent(
            topic.Id, topic.CourseId, topic.ModuleNo, topic.TopicNumber, topic.Name, topic.IsPreview, persona, study,
            new LessonLayoutDto(LessonLayout.Version, blocks),
            new StudyVariants(normal, topic.TextContentSports ?? normal, topic.TextContentCooking ?? normal, topic.TextContentAdventure ?? normal),
            VideoLinks.ToEmbed(topic.VideoUrl),
            topic.PptUrl,
            topic.Exercise is null ? null : new SimulationExerciseDto(topic.Exercise.Title, topic.Exercise.Instructions, ToNode(topic.Exercise.Payload)));
    }

    private sealed record CallerFacts(bool Teaches, bool Enrolled, TutorPersona? Tutor, StudyPersona? Study);

    private Task<CallerFacts?> CallerFactsAsync(Guid userId, Guid courseId, CancellationToken cancellationToken) =>
        db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new CallerFacts(
                db.CourseTutors.Any(CourseAccess.Teaches(courseId, userId)),
                db.Enrollments.Any(CourseAccess.ActiveEnrollment(courseId, userId)),
                db.LearnerPersonaProfiles.Where(p => p.UserId == userId && p.CourseId == courseId).Select(p => (TutorPersona?)p.PersonaKey).FirstOrDefault(),
                db.TopicPersonalizations.Where(p => p.UserId == userId && p.CourseId == courseId).Select(p => (StudyPersona?)p.StudyPersona).FirstOrDefault()))
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>One query for every content key of the layout: the persona's rows and the defaults, nothing else.</summary>
    private async Task<IReadOnlyDictionary<string, AssetChoice>> AssetsAsync(
        Guid topicId, IReadOnlyList<LayoutBlock> layout, TutorPersona? persona, CancellationToken cancellationToken)
    {
        var keys = layout.Where(b => b.ContentKey is not null).Select(b => b.ContentKey!).Distinct().ToList();
        if (keys.Count == 0) return new Dictionary<string, AssetChoice>();
        var rows = await db.TopicContentAssets.AsNoTracking()
            .Where(a => a.TopicId == topicId && keys.Contains(a.ContentKey) && (a.PersonaKey == null || a.PersonaKey == persona))
            .Select(a => new { a.ContentKey, a.PersonaKey, a.Payload })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.ContentKey).ToDictionary(
            g => g.Key,
            g => new AssetChoice(
                ToNode(g.FirstOrDefault(r => r.PersonaKey is not null)?.Payload),
                ToNode(g.FirstOrDefault(r => r.PersonaKey is null)?.Payload)));
    }

    private static string? FirstText(IReadOnlyList<LessonBlock> blocks) =>
        blocks.FirstOrDefault(b => b.Type == ContentType.Text)?.Data["markdown"]?.GetValue<string>();

    private static JsonNode? ToNode(JsonDocument? document) => document is null ? null : JsonNode.Parse(document.RootElement.GetRawText());
}
