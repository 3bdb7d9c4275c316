using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Features.Ingestion.Extraction;

public enum SubtitleFormat { WebVtt, Srt }

/// <summary>
/// WebVTT and SubRip transcripts: one segment per cue with its start and end time. Markup (voice,
/// class, bold/italic, inline timestamps, SRT font tags, ASS overrides) and cue settings are
/// dropped; NOTE, STYLE and REGION blocks are skipped; a malformed cue is skipped, not fatal.
/// Expects text already decoded with \n line ends (see <see cref="TextDecoding"/>).
/// </summary>
public static partial class SubtitleExtractor
{
    public static IReadOnlyList<ContentSegment> Extract(string text, SubtitleFormat format, ExtractionLimits limits)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(limits);
        var blocks = BlankLines().Split(text.Trim('\n', ' ', '\t', '\uFEFF'));
        var first = 0;
        if (format == SubtitleFormat.WebVtt)
        {
            if (!WebVttHeader().IsMatch(blocks[0]))
                throw new ContentRejectedException("The file is not WebVTT: it does not start with 'WEBVTT'.");
            first = 1; // the header block may carry metadata lines; none of it is cue text
        }

        var budget = new CharacterBudget(limits.MaxCharacters);
        var segments = new List<ContentSegment>();
        for (var b = first; b < blocks.Length; b++)
        {
            var lines = blocks[b].Split('\n');
            if (format == SubtitleFormat.WebVtt && NonCueBlock().IsMatch(lines[0])) continue;

            var timing = Array.FindIndex(lines, l => l.Contains("-->", StringComparison.Ordinal));
            if (timing < 0 || timing > 1) continue; // no timing line, or more than one identifier line
            var times = Timing().Match(lines[timing]);
            if (!times.Success || !TryParseTime(times.Groups["start"].Value, out var start) || !TryParseTime(times.Groups["end"].Value, out var end))
                continue;

            var cueText = CleanCueText(lines.Skip(timing + 1));
            if (cueText.Length == 0) continue;
            if (segments.Count == limits.MaxCues)
                throw new ContentRejectedException($"The transcript has more than {limits.MaxCues:N0} cues, the configured limit (Ingestion:MaxCues).");
            budget.Spend(cueText.Length);
            segments.Add(new ContentSegment(cueText, SegmentKind.Cue) { Start = start, End = end < start ? start : end });
        }
        if (segments.Count == 0)
            throw new ContentRejectedException($"The {(format == SubtitleFormat.WebVtt ? "WebVTT" : "SRT")} file has no cues with text.");
        return segments;
    }

    private static string CleanCueText(IEnumerable<string> lines)
    {
        var joined = string.Join(' ', lines);
        var withoutTags = AssOverride().Replace(Tag().Replace(joined, ""), "");
        return Whitespace().Replace(WebUtility.HtmlDecode(withoutTags), " ").Trim();
    }

    /// <summary>hh:mm:ss.fff, mm:ss.fff (WebVTT) or hh:mm:ss,fff (SRT).</summary>
    internal static bool TryParseTime(string value, out TimeSpan time)
    {
        time = default;
        var parts = value.Replace(',', '.').Split(':');
        if (parts.Length is < 2 or > 3) return false;
        var hours = 0;
        if (parts.Length == 3 && !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out hours)) return false;
        if (!int.TryParse(parts[^2], NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) || minutes > 59) return false;
        if (!decimal.TryParse(parts[^1], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds) || seconds >= 60) return false;
        time = new TimeSpan(hours, minutes, 0) + TimeSpan.FromMilliseconds((double)Math.Round(seconds * 1000m));
        return true;
    }

    [GeneratedRegex(@"\n[ \t]*\n")]
    private static partial Regex BlankLines();

    [GeneratedRegex(@"\AWEBVTT(?:[ \t][^\n]*)?(?:\n|\z)")]
    private static partial Regex WebVttHeader();

    [GeneratedRegex(@"^(?:NOTE|STYLE|REGION)(?:[ \t]|$)")]
    private static partial Regex NonCueBlock();

    // Everything after the end time (WebVTT cue settings, SRT coordinates) is ignored.
    [GeneratedRegex(@"^\s*(?<start>[0-9:.,]+)\s+-->\s+(?<end>[0-9:.,]+)")]
    private static partial Regex Timing();

    [GeneratedRegex(@"<[^>\n]*>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\{\\[^}]*\}")]
    private static partial Regex AssOverride();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
