using System.Text;
using System.Text.RegularExpressions;
using CoursePlatform.Data;
using Microsoft.Extensions.AI;
using ChatRole = CoursePlatform.Data.ChatRole;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// The messages the chat model gets, in this order: the instructions (grounding rules and the learner's
/// tutor persona), the rolling summary, the recent turns, then the numbered passages and the question.
/// </summary>
public static partial class AiTutorPrompt
{
    public const string Grounding =
        "You are the course's tutor. Answer only from the numbered course passages in the last message; if they do not " +
        "answer the question, say that the course material does not cover it. Mark every statement with the number of the " +
        "passage it comes from, like [1] or [2]. Never invent passages, numbers or links.";

    /// <summary>The five learner personas of docs/product.md as answer styles.</summary>
    public static string PersonaInstructions(LearnerPersona? persona) => persona switch
    {
        LearnerPersona.NonItMigrant => "The learner comes from outside IT: use plain words, explain every technical term, and give an everyday analogy.",
        LearnerPersona.RoteMemorizer => "The learner tends to memorise: explain the concept and why it works before any list, and connect it to what they know.",
        LearnerPersona.EnglishHesitant => "The learner is not confident in English: use short, simple sentences and common words, one idea per sentence.",
        LearnerPersona.LastMinutePanic => "The learner is short of time and anxious: give a calm, numbered action plan with the few things that matter most.",
        LearnerPersona.PseudoCoder => "The learner likes code: show a small example and explain it line by line.",
        _ => "Answer clearly and briefly for a learner new to the topic.",
    };

    public static List<ChatMessage> Build(LearnerPersona? persona, string? summary, IReadOnlyList<(ChatRole Role, string Content)> history,
        IReadOnlyList<RetrievedPassage> passages, string question)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(passages);
        var messages = new List<ChatMessage> { new(Microsoft.Extensions.AI.ChatRole.System, Grounding + "\n" + PersonaInstructions(persona)) };
        if (!string.IsNullOrWhiteSpace(summary))
            messages.Add(new(Microsoft.Extensions.AI.ChatRole.System, "Summary of the conversation so far: " + summary));
        foreach (var (role, content) in history)
            messages.Add(new(role == ChatRole.Assistant ? Microsoft.Extensions.AI.ChatRole.Assistant : Microsoft.Extensions.AI.ChatRole.User, content));
        var last = new StringBuilder("Course passages:\n");
        for (var i = 0; i < passages.Count; i++) last.Append('[').Append(i + 1).Append("] ").Append(passages[i].Content.ReplaceLineEndings(" ")).Append('\n');
        last.Append("\nQuestion: ").Append(question);
        messages.Add(new(Microsoft.Extensions.AI.ChatRole.User, last.ToString()));
        return messages;
    }

    /// <summary>The passages and the question back out of the last message (what the extractive answerer reads).</summary>
    public static (IReadOnlyList<(int Number, string Text)> Passages, string Question) Parse(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var split = prompt.LastIndexOf("\nQuestion: ", StringComparison.Ordinal);
        var question = split < 0 ? prompt : prompt[(split + "\nQuestion: ".Length)..];
        var passages = PassageLine().Matches(split < 0 ? "" : prompt[..split])
            .Select(m => (int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), m.Groups[2].Value)).ToList();
        return (passages, question);
    }

    [GeneratedRegex(@"^\[(\d+)\] (.*)$", RegexOptions.Multiline)]
    private static partial Regex PassageLine();
}
