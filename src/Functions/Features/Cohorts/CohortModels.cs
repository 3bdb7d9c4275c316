using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoursePlatform.Functions.Features.Cohorts;

public sealed record CohortDto(
    Guid Id, Guid CourseId, string Name, bool IsActive, DateOnly? StartsOn, DateOnly? EndsOn, int MemberCount,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record CreateCohortRequest(
    [property: Required(ErrorMessage = "Give the cohort a name."), MaxLength(200)] string? Name,
    bool? IsActive,
    DateOnly? StartsOn,
    DateOnly? EndsOn);

/// <summary>
/// A partial update: only the properties present in the JSON change. The setters record presence, so
/// <c>"endsOn": null</c> clears the date while an absent <c>endsOn</c> leaves it alone.
/// </summary>
public sealed class UpdateCohortRequest
{
    private string? name;
    private bool? isActive;
    private DateOnly? startsOn;
    private DateOnly? endsOn;

    [MaxLength(200)]
    public string? Name { get => name; set { name = value; HasName = true; } }
    public bool? IsActive { get => isActive; set { isActive = value; HasIsActive = true; } }
    public DateOnly? StartsOn { get => startsOn; set { startsOn = value; HasStartsOn = true; } }
    public DateOnly? EndsOn { get => endsOn; set { endsOn = value; HasEndsOn = true; } }

    [JsonIgnore] public bool HasName { get; private set; }
    [JsonIgnore] public bool HasIsActive { get; private set; }
    [JsonIgnore] public bool HasStartsOn { get; private set; }
    [JsonIgnore] public bool HasEndsOn { get; private set; }
}

public sealed record CohortMemberDto(Guid Id, string Email, int BatchNo, Guid? UserId, DateTimeOffset CreatedAt);

public sealed record MemberEntry(string? Email, int? BatchNo);

public sealed record UpsertMembersRequest([property: Required(ErrorMessage = "Send members: a list of objects with email and batchNo.")] IReadOnlyList<MemberEntry?>? Members);

/// <summary>
/// <c>received</c> entries in the request, <c>distinct</c> addresses after normalising and merging
/// duplicates (the last entry wins); each distinct address was <c>inserted</c>, <c>updated</c> (its batch
/// changed) or <c>unchanged</c>.
/// </summary>
public sealed record UpsertMembersResult(int Received, int Distinct, int Inserted, int Updated, int Unchanged);

public sealed record RemoveMembersRequest([property: Required(ErrorMessage = "Send emails: a list of email addresses.")] IReadOnlyList<string?>? Emails);

public sealed record RemoveMembersResult(int Requested, int Removed);

public sealed record ProjectBriefRequest(
    [property: Required(ErrorMessage = "Give the project a title."), MaxLength(200)] string? Title,
    [property: Required(ErrorMessage = "Give the project a tagline."), MaxLength(300)] string? Tagline,
    [property: Required(ErrorMessage = "Describe the project."), MaxLength(10000)] string? Description,
    [property: MaxLength(10000)] string? Notes);

/// <summary>A batch's project brief: the stored payload <c>{ title, tagline, description, notes? }</c>.</summary>
public sealed record ProjectBriefDto(
    Guid CohortId, int BatchNo, string Title, string Tagline, string Description, string? Notes, DateTimeOffset UpdatedAt);

/// <summary>The caller's own cohort of a course.</summary>
public sealed record CohortMembershipDto(Guid CohortId, string CohortName, int BatchNo, bool IsActive);

/// <summary>The stored payload of a batch project brief.</summary>
public sealed record ProjectBrief(string Title, string Tagline, string Description, string? Notes)
{
    public static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>Reads a stored payload; fields an older writer left out come back empty rather than failing.</summary>
    public static ProjectBrief From(JsonDocument payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var root = payload.RootElement;
        return new ProjectBrief(Text(root, "title") ?? "", Text(root, "tagline") ?? "", Text(root, "description") ?? "", Text(root, "notes"));

        static string? Text(JsonElement root, string name) =>
            root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() : null;
    }
}
