using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>Removes email addresses and phone numbers before a question is embedded, sent to a model or stored.</summary>
public static partial class PiiScrubber
{
    [GeneratedRegex(@"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}", RegexOptions.CultureInvariant)]
    private static partial Regex Email();

    /// <summary>Seven or more digits, optionally with a leading + and spaces, dots, dashes or brackets between them.</summary>
    [GeneratedRegex(@"(?<![\w.])\+?\(?\d[\d\s().\-]{5,}\d(?![\w.])", RegexOptions.CultureInvariant)]
    private static partial Regex Phone();

    public static string Scrub(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var scrubbed = Email().Replace(text, "[email]");
        return Phone().Replace(scrubbed, m => m.Value.Count(char.IsAsciiDigit) >= 7 ? "[phone]" : m.Value);
    }
}
