using System.Numerics;
using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// Removes personal data before a question is embedded, sent to a model or stored: email addresses (also written
/// out, <c>jane(at)roe dot com</c>), phone numbers, IBANs (checked with their mod-97 check digits, so a course code is
/// kept) and the name a learner gives in "my name is …" / "I am …" / "call me …". Names elsewhere in free text are not
/// found: no list of names is complete, and guessing from capital letters would scrub the course's own terms.
/// </summary>
public static partial class PiiScrubber
{
    /// <summary>Any letters (accented or not) around the @, a dotted domain with a letter-only top level.</summary>
    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    /// <summary>
    /// An address spelled out to dodge filters: <c>(at)</c>, <c>[at]</c>, <c>{at}</c> or a bare <c>at</c> for the @, and
    /// <c>dot</c> (bracketed or not) or a real dot before a 2 to 6 letter top level.
    /// </summary>
    [GeneratedRegex(
        @"[\p{L}\p{N}._%+\-]+\s*[\(\[\{]\s*at\s*[\)\]\}]\s*[\p{L}\p{N}\-]+(?:\s*(?:[\(\[\{]\s*dot\s*[\)\]\}]|\s+dot\s+|\.)\s*[\p{L}\p{N}\-]+)*\s*(?:[\(\[\{]\s*dot\s*[\)\]\}]|\s+dot\s+|\.)\s*\p{L}{2,6}\b" +
        // A bare "at" only with a spelled "dot": "see it at portal.azure.com" is a site, not an address.
        @"|[\p{L}\p{N}._%+\-]+\s+at\s+[\p{L}\p{N}\-]+(?:\s*(?:[\(\[\{]\s*dot\s*[\)\]\}]|\s+dot\s+)\s*[\p{L}\p{N}\-]+)*\s*(?:[\(\[\{]\s*dot\s*[\)\]\}]|\s+dot\s+)\s*\p{L}{2,6}\b",
        RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SpelledEmail();

    /// <summary>Seven or more digits (any script), optionally with a leading + and spaces, dots, dashes or brackets between them.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}.])\+?\(?\p{Nd}[\p{Nd}\s().\-]{5,}\p{Nd}\)?(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    /// <summary>What a networking course talks about and a phone number is not: IPv4 addresses and dotted versions.</summary>
    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){2,3}$")]
    private static partial Regex DottedNumbers();

    /// <summary>Two capital letters, two check digits, then 11 to 30 capitals or digits, in groups of four or not.</summary>
    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]){11,30}\b", RegexOptions.CultureInvariant)]
    private static partial Regex Iban();

    /// <summary>
    /// The name after "my name is" or "call me" (one to three capitalised words), or after "I am"/"I'm" when the name
    /// ends the clause ("I'm Jane Roe, …"), so "I am Confused about subnets" keeps its words.
    /// </summary>
    [GeneratedRegex(
        @"\b(?<lead>(?i:my\s+name\s+is|my\s+name's|call\s+me)\s*,?\s+)(?<name>\p{Lu}[\p{L}'\-]+(?:\s+\p{Lu}[\p{L}'\-]+){0,2})" +
        @"|\b(?<lead>(?i:i\s+am|i'm)\s+)(?<name>\p{Lu}[\p{L}'\-]+(?:\s+\p{Lu}[\p{L}'\-]+){0,2})(?=\s*(?:[,.!?;:]|$|\s(?i:and|from|here)\b))",
        RegexOptions.CultureInvariant)]
    private static partial Regex IntroducedName();

    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scrubbed = Email().Replace(text, "[email]");
        scrubbed = SpelledEmail().Replace(scrubbed, m => m.Value.Contains("[email]", StringComparison.Ordinal) ? m.Value : "[email]");
        scrubbed = Iban().Replace(scrubbed, m => IsIban(m.Value) ? "[iban]" : m.Value);
        scrubbed = Phone().Replace(scrubbed, m =>
            m.Value.Count(char.IsDigit) >= 7 && !DottedNumbers().IsMatch(m.Value) ? "[phone]" : m.Value);
        return IntroducedName().Replace(scrubbed, m => m.Groups["lead"].Value + "[name]");
    }

    /// <summary>The ISO 13616 check: the first four characters moved to the end, letters as 10..35, the number mod 97 is 1.</summary>
    public static bool IsIban(string candidate)
    {
        var compact = new string([.. candidate.Where(c => !char.IsWhiteSpace(c))]).ToUpperInvariant();
        if (compact.Length is < 15 or > 34) return false;
        var digits = new System.Text.StringBuilder();
        foreach (var c in compact[4..] + compact[..4])
        {
            if (c is >= '0' and <= '9') digits.Append(c);
            else if (c is >= 'A' and <= 'Z') digits.Append(c - 'A' + 10);
            else return false;
        }
        return BigInteger.Parse(digits.ToString(), System.Globalization.CultureInfo.InvariantCulture) % 97 == 1;
    }
}
