using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>
/// Lesson markdown that is safe for a frontend to render: no raw HTML (a <c>&lt;script&gt;</c>, an <c>onerror=</c>
/// attribute) and no link or image whose target is not an absolute http(s) URL (links may also be <c>mailto:</c>).
/// Markdown is parsed with Markdig, CommonMark's parser, so what counts as HTML or a link target is what a
/// CommonMark renderer will treat as one, entities and reference definitions included; code spans and blocks are text.
/// Writes are refused with <see cref="Problems"/>; reads go through <see cref="Clean"/>, for rows stored before the rules.
/// </summary>
public static class SafeMarkdown
{
    // CommonMark only: the extensions' syntax (raw HTML in tables, bare autolinks) is not what authors write here.
    // Precise source locations give every inline its span in the text, which Clean cuts out.
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePreciseSourceLocation().Build();

    public const string RawHtmlMessage = "Raw HTML is not allowed in lesson markdown; write it as markdown.";

    /// <summary>What makes <paramref name="markdown"/> unsafe, one message per kind; empty when it is safe.</summary>
    public static IReadOnlyList<string> Problems(string markdown)
    {
        if (!MayBeUnsafe(markdown)) return [];
        var problems = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (_, message) in Unsafe(Markdown.Parse(markdown, Pipeline))) problems.Add(message);
        return [.. problems];
    }

    /// <summary>
    /// <paramref name="markdown"/> without its unsafe parts: raw HTML is removed, an unsafe link or image becomes its
    /// text. Safe markdown comes back as the same string.
    /// </summary>
    public static string Clean(string markdown)
    {
        var text = markdown;
        // Removing one construct can join its neighbours into a new one, so clean until nothing is left (rarely twice).
        for (var round = 0; round < 4; round++)
        {
            if (!MayBeUnsafe(text)) return text;
            var document = Markdown.Parse(text, Pipeline);
            var found = Unsafe(document).Select(u => u.Node).ToList();
            if (found.Count == 0) return text;
            text = Without(text, found);
        }
        return Problems(text).Count == 0 ? text : Escaped(text);
    }

    /// <summary>Raw HTML, autolinks and links all need a '&lt;' or a ']'; text without either is safe without parsing it.</summary>
    private static bool MayBeUnsafe(string markdown) => markdown.AsSpan().IndexOfAny('<', ']') >= 0;

    private static IEnumerable<(MarkdownObject Node, string Message)> Unsafe(MarkdownDocument document)
    {
        foreach (var node in document.Descendants())
        {
            switch (node)
            {
                case HtmlBlock:
                case HtmlInline:
                    yield return (node, RawHtmlMessage);
                    break;
                case LinkInline link when !IsSafeTarget(link.Url, image: link.IsImage):
                    yield return (node, link.IsImage
                        ? $"An image's URL must be an absolute http or https URL, not '{Shown(link.Url)}'."
                        : $"A link's target must be an absolute http, https or mailto URL, not '{Shown(link.Url)}'.");
                    break;
                case AutolinkInline autolink when !autolink.IsEmail && !IsSafeTarget(autolink.Url, image: false):
                    yield return (node, $"A link's target must be an absolute http, https or mailto URL, not '{Shown(autolink.Url)}'.");
                    break;
                case LinkReferenceDefinition definition when !IsSafeTarget(definition.Url, image: false):
                    yield return (node, $"A link's target must be an absolute http, https or mailto URL, not '{Shown(definition.Url)}'.");
                    break;
            }
        }
    }

    /// <summary>An absolute http(s) URL with a host, or for a link also <c>mailto:</c>: never javascript:, data:, file: or //host.</summary>
    public static bool IsSafeTarget(string? url, bool image)
    {
        if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        if (uri.Scheme is "http" or "https") return uri.Host.Length > 0 && url.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase);
        return !image && uri.Scheme == Uri.UriSchemeMailto && url.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase);
    }

    private static string Shown(string? url) => url is null ? "" : url.Length > 40 ? url[..40] + "…" : url;

    /// <summary>The text with each unsafe node's source replaced: HTML by nothing, a link or image by its label's text.</summary>
    private static string Without(string text, List<MarkdownObject> nodes)
    {
        var builder = new StringBuilder(text.Length);
        var at = 0;
        foreach (var node in nodes.OrderBy(n => n.Span.Start))
        {
            var span = node.Span;
            if (span.Start < at || span.IsEmpty) continue; // inside one already replaced
            var end = Math.Min(span.End + 1, text.Length);
            builder.Append(text, at, span.Start - at);
            if (node is LinkInline link) builder.Append(Label(link));
            at = end;
        }
        builder.Append(text, at, text.Length - at);
        return builder.ToString();
    }

    private static string Label(ContainerInline link)
    {
        var label = new StringBuilder();
        foreach (var literal in link.Descendants<LiteralInline>()) label.Append(literal.Content.ToString());
        foreach (var code in link.Descendants<CodeInline>()) label.Append(code.Content);
        return Escaped(label.ToString());
    }

    /// <summary>Every ASCII punctuation character backslash-escaped: CommonMark then reads the text as text only.</summary>
    private static string Escaped(string text)
    {
        var builder = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (char.IsAscii(c) && char.IsPunctuation(c) || c is '<' or '>' or '`' or '^' or '|' or '~' or '+' or '=' or '$') builder.Append('\\');
            builder.Append(c);
        }
        return builder.ToString();
    }
}
