using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// The offline default behind <see cref="IChatClient"/>: no language model, no network. It reads the numbered
/// passages and the question the tutor's prompt carries as data (<see cref="AiTutorPrompt.Read"/>), picks the sentences that share
/// the most words with the question, and answers with them, each cited <c>[n]</c>, saying that the answer is
/// extractive. Deterministic, so tests can rely on what it cites.
/// </summary>
public sealed partial class ExtractiveChatClient : IChatClient
{
    public const string Preamble = "From the course material (an extractive answer: these are its own sentences, no language model wrote them):";
    private const int MaxSentences = 3;

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // The passages and the question come as data on the message, never parsed back out of its text.
        var (passages, question) = AiTutorPrompt.Read(messages.LastOrDefault(m => m.Role == ChatRole.User));
        var words = Words(question);
        var picked = passages
            .SelectMany(p => Sentences(p.Text).Select((sentence, i) => (p.Number, Sentence: sentence, Order: i, Score: Overlap(words, sentence))))
            .Where(s => s.Score > 0)
            .OrderByDescending(s => s.Score).ThenBy(s => s.Number).ThenBy(s => s.Order)
            .Take(MaxSentences)
            .OrderBy(s => s.Number).ThenBy(s => s.Order)
            .ToList();
        if (picked.Count == 0 && passages.Count > 0) picked = [.. Sentences(passages[0].Text).Take(2).Select((s, i) => (passages[0].Number, s, i, 0))];

        var answer = new StringBuilder(Preamble);
        foreach (var sentence in picked) answer.Append(' ').Append(sentence.Sentence).Append(" [").Append(sentence.Number).Append(']');
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer.ToString())) { ModelId = "extractive" });
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken);
        foreach (var update in response.ToChatResponseUpdates()) yield return update;
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceType == typeof(ExtractiveChatClient) ? this : null;

    public void Dispose() { }

    private static readonly HashSet<string> StopWords =
    [
        "a", "an", "the", "and", "or", "of", "to", "in", "on", "for", "is", "are", "was", "be", "it", "this", "that", "what", "which",
        "how", "why", "when", "do", "does", "i", "you", "my", "your", "with", "as", "at", "by", "from", "can", "should", "about", "me",
    ];

    private static HashSet<string> Words(string text) =>
        [.. WordPattern().Matches(text.ToLowerInvariant()).Select(m => Stem(m.Value)).Where(w => w.Length > 1 && !StopWords.Contains(w))];

    private static int Overlap(HashSet<string> question, string sentence) => Words(sentence).Count(question.Contains);

    /// <summary>A crude stem (plural and -ing/-ed endings), enough to match "subnets" with "subnet".</summary>
    private static string Stem(string word) =>
        word.Length > 4 && word.EndsWith("ing", StringComparison.Ordinal) ? word[..^3]
        : word.Length > 3 && word.EndsWith("ed", StringComparison.Ordinal) ? word[..^2]
        : word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) ? word[..^1]
        : word;

    /// <summary>Prose sentences only: a command line or a code fragment is no answer on its own.</summary>
    private static IEnumerable<string> Sentences(string text) =>
        SentencePattern().Split(text.Replace('\n', ' ')).Select(s => s.Trim())
            .Where(s => s.Length is > 0 and <= 400 && s.Count(c => char.IsLetter(c) || c == ' ') >= 0.8 * s.Length);

    [GeneratedRegex(@"[a-z0-9]+(?:[.:][a-z0-9]+)*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentencePattern();
}
