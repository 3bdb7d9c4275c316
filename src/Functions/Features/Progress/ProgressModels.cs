using System.ComponentModel.DataAnnotations;
using CoursePlatform.Data;

namespace CoursePlatform.Functions.Features.Progress;

/// <summary>
/// <c>PUT /topics/{topicId}/progress</c>. <c>progress</c> is clamped to 0..1; when it is left out, a
/// completed topic counts as 1, a topic not started as 0, and a topic in progress keeps its fraction.
/// </summary>
public sealed record TopicProgressRequest([property: Required] ProgressStatus? Status, double? Progress);

public sealed record TopicProgressState(
    Guid TopicId, ProgressStatus Status, double Progress, DateTimeOffset? CompletedAt, DateTimeOffset UpdatedAt);

public sealed record TopicProgressEntry(
    Guid Id, int TopicNumber, string Name, ProgressStatus Status, double Progress, DateTimeOffset? CompletedAt);

public sealed record ModuleProgressEntry(
    int ModuleNo, ModuleState State, int TopicsCompleted, int TopicsTotal, IReadOnlyList<TopicProgressEntry> Topics);

/// <summary><c>GET /courses/{course}/progress</c>: the caller's own progress, per topic and per module.</summary>
public sealed record CourseProgress(
    Guid CourseId, string CourseSlug, int TopicsCompleted, int TopicsTotal, double Percent, IReadOnlyList<ModuleProgressEntry> Modules);
