using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Features.Ingestion.Extraction;

/// <summary>.txt and .md transcripts: one segment per paragraph (blank-line separated), text as written.</summary>
public static partial class PlainTextExtractor
{
    public static IReadOnlyList<ContentSegment> Extract(string text, ExtractionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        var budget = new CharacterBudget(limits.MaxCharacters);
        var segments = new List<ContentSegment>();
        foreach (var paragraph in ParagraphBreak().Split(text))
        {
            var clean = Whitespace().Replace(paragraph, " ").Trim();
            if (clean.Length == 0) continue;
            budget.Spend(clean.Length);
            segments.Add(new ContentSegment(clean, SegmentKind.Text));
        }
        return segments;
    }

    [GeneratedRegex(@"\n[ \t]*\n")]
    private static partial Regex ParagraphBreak();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
