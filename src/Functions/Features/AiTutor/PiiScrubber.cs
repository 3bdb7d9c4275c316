using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>Removes email addresses and phone numbers before a question is embedded, sent to a model or stored.</summary>
public static partial class PiiScrubber
{
    /// <summary>Any letters (accented or not) around the @, a dotted domain with a letter-only top level.</summary>
    [GeneratedRegex(@"[\p{L}\p{N}._%+\-]+@[\p{L}\p{N}\-]+(?:\.[\p{L}\p{N}\-]+)*\.\p{L}{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    /// <summary>Seven or more digits (any script), optionally with a leading + and spaces, dots, dashes or brackets between them.</summary>
    [GeneratedRegex(@"(?<![\p{L}\p{N}.])\+?\(?\p{Nd}[\p{Nd}\s().\-]{5,}\p{Nd}\)?(?![\p{L}\p{N}])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    /// <summary>What a networking course talks about and a phone number is not: IPv4 addresses and dotted versions.</summary>
    [GeneratedRegex(@"^\d{1,3}(\.\d{1,3}){2,3}$")]
    private static partial Regex DottedNumbers();

    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scrubbed = Email().Replace(text, "[email]");
        return Phone().Replace(scrubbed, m =>
            m.Value.Count(char.IsDigit) >= 7 && !DottedNumbers().IsMatch(m.Value) ? "[phone]" : m.Value);
    }
}
