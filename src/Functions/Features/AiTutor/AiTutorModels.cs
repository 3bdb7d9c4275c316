using System.ComponentModel.DataAnnotations;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.OpenApi;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary><c>{ topicId, question? | suggestionId? }</c>: exactly one of question and suggestionId.</summary>
[Exclusive(ExclusiveAttribute.Mode.ExactlyOne, nameof(AskRequest.Question), nameof(AskRequest.SuggestionId))]
public sealed record AskRequest(
    [property: Required] Guid? TopicId,
    [property: MaxLength(AiTutorService.MaxQuestionLength)] string? Question,
    Guid? SuggestionId);

/// <summary>
/// A passage an answer cites as <c>[n]</c>: n is its position in <c>sources</c>, from 1. <c>Source</c> is named as search
/// names it (the path inside the course, or <c>lesson:{topicId}</c>), <c>SourceName</c> is what to show.
/// </summary>
public sealed record AiTutorSource(
    Guid ChunkId, string Source, string SourceName, string? Title, int? Slide, string? Start, string? End, Guid? TopicId, string Excerpt);

public sealed record SuggestionDto(Guid Id, string Prompt, bool HasChildren);

public sealed record QuotaDto(int Remaining, int Limit, DateTimeOffset? ResetsAt);

public sealed record AiTutorAnswer(
    string Answer, bool Grounded, IReadOnlyList<AiTutorSource> Sources, IReadOnlyList<SuggestionDto> NextSuggestions,
    Guid SessionId, QuotaDto Quota);

public sealed record ChatMessageDto(Guid Id, ChatRole Role, string Content, DateTimeOffset CreatedAt);

public sealed record AiTutorSessionDto(Guid Id, Guid CourseId, Guid TopicId, string? Summary, int MessageCount, IReadOnlyList<ChatMessageDto> Messages);
