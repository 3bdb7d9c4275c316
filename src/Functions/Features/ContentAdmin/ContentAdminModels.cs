using CoursePlatform.Functions.Features.Lessons;
using System.ComponentModel.DataAnnotations;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.OpenApi;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>
/// A course as admins write it, with the names the catalog uses in responses. <c>POST</c> takes it whole;
/// <c>PATCH</c> takes any part of it (a JSON merge patch), checked by the same rules.
/// </summary>
public sealed record CourseRequest(
    [property: Required(ErrorMessage = "Give the course a slug."), MaxLength(120),
        RegularExpression("^[a-z0-9]+(-[a-z0-9]+)*$", ErrorMessage = "Lower-case letters and digits in words joined by '-', like cloud-foundations.")] string? Slug,
    [property: Required(ErrorMessage = "Give the course a name."), MaxLength(200)] string? Name,
    [property: MaxLength(8000)] string? Description,
    [property: Range(typeof(decimal), "0", "99999999.99", ErrorMessage = "From 0 to 99,999,999.99.")] decimal? Price,
    [property: RegularExpression("^[A-Z]{3}$", ErrorMessage = "An ISO 4217 code in capitals, like USD.")] string? Currency,
    EnrollmentMode? EnrollmentMode,
    bool? IsPublished,
    [property: MaxLength(2048), WebUrl] string? ThumbnailUrl);

public sealed record CourseAdminDto(
    Guid Id, string Slug, string Name, string? Description, string? ThumbnailUrl, decimal Price, string Currency,
    EnrollmentMode EnrollmentMode, bool IsPublished, int ModuleCount, int TopicCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>The legacy study-persona narrations of a lesson's text (the lesson endpoint's <c>variants</c>).</summary>
public sealed record StudyTexts(
    [property: MaxLength(ContentRules.MaxMarkdownLength)] string? Sports,
    [property: MaxLength(ContentRules.MaxMarkdownLength)] string? Cooking,
    [property: MaxLength(ContentRules.MaxMarkdownLength)] string? Adventure);

/// <summary>
/// A topic as admins write it. Its lesson is a <c>layout</c> (<c>{ version: "1", blocks }</c>, checked block by
/// block) or, for legacy topics, plain <c>text</c>; not both.
/// </summary>
[Exclusive(ExclusiveAttribute.Mode.NotBoth, nameof(TopicRequest.Layout), nameof(TopicRequest.Text))]
public sealed record TopicRequest(
    [property: Required(ErrorMessage = "Give the module number."), Range(1, 1000)] int? ModuleNo,
    [property: Required(ErrorMessage = "Give the topic's number in its module."), Range(1, 1000)] int? TopicNumber,
    [property: Required(ErrorMessage = "Give the topic a name."), MaxLength(200)] string? Name,
    bool? IsPreview,
    [property: MaxLength(2048), WebUrl] string? VideoUrl,
    [property: MaxLength(2048), WebUrl] string? PptUrl,
    JsonObject? Layout,
    [property: MaxLength(ContentRules.MaxMarkdownLength)] string? Text,
    StudyTexts? Variants);

public sealed record AssetDto(Guid Id, string ContentKey, LearnerPersona? Persona, ContentType ContentType, JsonNode Payload, DateTimeOffset UpdatedAt);

/// <summary>
/// A topic as admins see it: the stored layout, every asset, and the layout's content keys that have no default
/// asset (<c>MissingDefaultAssets</c>): a learner without a persona-specific one would not see those blocks.
/// </summary>
public sealed record TopicAdminDto(
    Guid Id, Guid CourseId, int ModuleNo, int TopicNumber, string Name, bool IsPreview, string? VideoUrl, string? PptUrl,
    JsonObject? Layout, string? Text, StudyTexts Variants, IReadOnlyList<AssetDto> Assets, IReadOnlyList<string> MissingDefaultAssets,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record AssetRequest(
    [property: Required(ErrorMessage = "One of text, image, video, ppt.")] ContentType? ContentType,
    [property: Required(ErrorMessage = "Send the payload object.")] JsonObject? Payload);

public sealed record QuizOptionRequest(
    [property: Required(ErrorMessage = "Give the option's text."), MaxLength(1000)] string? Text,
    bool IsCorrect);

public sealed record QuizQuestionRequest(
    [property: Required(ErrorMessage = "Give the module number."), Range(1, 1000)] int? ModuleNo,
    [property: Required(ErrorMessage = "Give the topic pair (1 covers topics 1-2 of the module)."), Range(1, 500)] int? TopicPairIndex,
    [property: Required(ErrorMessage = "Write the question."), MaxLength(2000)] string? Question,
    [property: MaxLength(4000)] string? Explanation,
    [property: Required(ErrorMessage = "Give 2 to 8 options, exactly one correct."), MinLength(2, ErrorMessage = "Give at least 2 options."), MaxLength(8, ErrorMessage = "At most 8 options."),
        ExactlyOneTrue(nameof(QuizOptionRequest.IsCorrect))]
    IReadOnlyList<QuizOptionRequest>? Options);

public sealed record QuizOptionAdminDto(Guid Id, string Text, bool IsCorrect, int DisplayOrder);

public sealed record QuizQuestionAdminDto(
    Guid Id, Guid CourseId, int ModuleNo, int TopicPairIndex, string Question, string? Explanation, IReadOnlyList<QuizOptionAdminDto> Options, DateTimeOffset CreatedAt);

public sealed record PromptSuggestionRequest(
    [property: Required(ErrorMessage = "Write the prompt a learner taps."), MaxLength(500)] string? Prompt,
    [property: Required(ErrorMessage = "Write the answer it gives."), MaxLength(8000)] string? Answer,
    Guid? ParentId,
    [property: Range(0, 10_000)] int? DisplayOrder);

public sealed record PromptSuggestionAdminDto(Guid Id, Guid TopicId, Guid? ParentId, string Prompt, string Answer, int DisplayOrder, DateTimeOffset CreatedAt);

public sealed record ColdCallPromptRequest(
    [property: Required(ErrorMessage = "Write the prompt."), MaxLength(4000)] string? Prompt,
    [property: Range(1, 10_000)] int? DisplayOrder);

public sealed record ColdCallPromptAdminDto(Guid Id, Guid TopicId, int DisplayOrder, string Prompt, int MessageCount, DateTimeOffset CreatedAt);

public sealed record SimulationRequest(
    [property: Required(ErrorMessage = "Give the exercise a title."), MaxLength(200)] string? Title,
    [property: MaxLength(8000)] string? Instructions,
    JsonObject? Payload);

public sealed record SimulationAdminDto(Guid Id, Guid TopicId, string Title, string? Instructions, JsonNode? Payload, DateTimeOffset UpdatedAt);

public sealed record CmsPageRequest(
    [property: Required(ErrorMessage = "Give the page a title."), MaxLength(200)] string? Title,
    [property: Required(ErrorMessage = "Send the page's content as a JSON object.")] JsonObject? Content);

public sealed record AuditEntryDto(
    Guid Id, Guid? ActorId, string? ActorEmail, string Action, string Method, string Path, int Status, string? ResourceType, Guid? ResourceId,
    JsonNode? Before, JsonNode? After, DateTimeOffset At);
