using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Features.ColdCalls;

public sealed record PostMessageRequest(
    [property: Required(ErrorMessage = "Write something."), MaxLength(ColdCallService.MaxContentLength)] string? Content,
    Guid? ParentId);

public sealed record OwnResponseDto(Guid Id, string Content, DateTimeOffset CreatedAt);

/// <summary>A prompt of a topic with the caller's own root response; <c>Revealed</c>: the caller may read the cohort's thread.</summary>
public sealed record ColdCallPromptDto(Guid Id, int DisplayOrder, string Prompt, OwnResponseDto? OwnResponse, bool Revealed, int? ResponseCount);

/// <summary>
/// A message of a thread. <c>StarCount</c> is shown on others' messages only (null on the caller's own);
/// <c>HiddenAt</c>/<c>HiddenById</c> only staff ever see (learners never get hidden messages). <c>UserId</c> and
/// <c>AuthorName</c> are null on a message whose author closed their account (its content then says so).
/// </summary>
public sealed record ColdCallMessageDto(
    Guid Id, Guid PromptId, Guid CohortId, Guid? UserId, string? AuthorName, Guid? ParentId, Guid? RootId, string Content,
    DateTimeOffset CreatedAt, bool Mine, int? StarCount, bool StarredByMe, DateTimeOffset? HiddenAt, Guid? HiddenById);

public sealed record StarDto(Guid MessageId, bool Starred);
