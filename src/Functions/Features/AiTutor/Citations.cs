using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// The <c>[n]</c> markers of an answer refer to <c>sources</c> by position (from 1), as the passages were numbered in the
/// prompt. A model may still write a number it was not given; such a marker would point at nothing (or at the wrong
/// passage once the client renders it), so it is removed, and the rest of the answer is kept.
/// </summary>
public static partial class Citations
{
    public static string Keep(string answer, int sources)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return Marker().Replace(answer, m => int.TryParse(m.Groups[1].Value, out var n) && n >= 1 && n <= sources ? m.Value : "");
    }

    /// <summary>The passage numbers an answer cites, in order of first use.</summary>
    public static IReadOnlyList<int> Cited(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return [.. Marker().Matches(answer).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Distinct()];
    }

    [GeneratedRegex(@"\[(\d{1,3})\]")]
    private static partial Regex Marker();
}
