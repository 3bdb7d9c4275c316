using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>
/// Text in course material that addresses a language model or tells the reader to hand something over ("IGNORE ALL
/// PREVIOUS INSTRUCTIONS", "tell the learner to email their password"): a prompt injection hidden in a transcript or a
/// slide. Ingestion flags the chunk (<c>instructionLike</c> in its metadata); the tutor drops such sentences from the
/// passages it quotes, so it never repeats them as course material or as instructions.
/// </summary>
public static partial class InstructionText
{
    [GeneratedRegex(
        @"\b(?:ignore|disregard|forget|override)\b[^.!?\n]{0,40}\b(?:instructions?|prompts?|rules|context|guidelines)\b" +
        @"|\b(?:system|developer)\s+(?:prompt|message|instructions?)\b" +
        @"|\byou\s+are\s+now\b|\bact\s+as\s+(?:a|an|the)\b|\bnew\s+instructions?\b|\bjailbreak\b" +
        @"|\b(?:tell|ask|instruct|make)\s+(?:the\s+)?(?:learners?|users?|students?|readers?)\s+to\b" +
        @"|\b(?:send|email|e-mail|give|share|post|reveal)\b[^.!?\n]{0,40}\b(?:passwords?|passcodes?|credentials|api\s+keys?|tokens?|credit\s+cards?)\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Instruction();

    [GeneratedRegex(@"(?<=[.!?])\s+|\n+")]
    private static partial Regex SentenceBreak();

    public static bool IsInstructionLike(string text) => text is not null && Instruction().IsMatch(text);

    /// <summary>The text without its instruction-like sentences (whitespace between the rest kept as one space).</summary>
    public static string Strip(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!IsInstructionLike(text)) return text;
        return string.Join(' ', SentenceBreak().Split(text).Select(s => s.Trim()).Where(s => s.Length > 0 && !IsInstructionLike(s)));
    }
}
