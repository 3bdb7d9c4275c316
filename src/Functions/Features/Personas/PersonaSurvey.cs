using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Features.Personas;

public enum Background { NonIt, It, Student }
public enum StudyStyle { Memorize, Understand, Practice }
public enum ExamHorizon { Days, Weeks, Months, None }
public enum CodingExperience { None, Some, Confident }

/// <summary>
/// The tutor-persona survey. Every answer is a closed choice, so both classifiers see the same facts
/// and the rule-based one can be documented as a table (Features/Lessons/README.md).
/// </summary>
public sealed record PersonaSurvey(
    [property: Required] Background? Background,
    [property: Required] StudyStyle? StudyStyle,
    [property: Required] ExamHorizon? ExamHorizon,
    [property: Required] CodingExperience? CodingExperience,
    [property: Required, Range(1, 5)] int? EnglishComfort, // 1 (uncomfortable) to 5 (fluent)
    [property: MaxLength(500)] string? Goal);

public sealed record PersonaSurveyRequest([property: Required] PersonaSurvey? Answers);
