using System.Text;
using System.Text.RegularExpressions;
using CoursePlatform.Functions.Features.Ingestion.Extraction;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>A chunk ready to embed: its 0-based position in the source, its text and where it came from.</summary>
public sealed record ContentChunk(int Position, string Content, SegmentKind Kind)
{
    public int? SlideFrom { get; init; }
    public int? SlideTo { get; init; }
    public string? Title { get; init; }
    public TimeSpan? Start { get; init; }
    public TimeSpan? End { get; init; }
}

/// <summary>
/// Packs segments into chunks of about <see cref="TargetSize"/> characters. Text is cut only between
/// sentences (or cues, or slides), so no word is ever split; a sentence longer than a chunk is cut
/// between words. A new slide starts a new chunk when it would not fit the current one (unless that
/// one is still small), and such a clean slide cut carries no overlap; every other cut repeats up to
/// <see cref="Overlap"/> characters of whole sentences (or the tail words of a long one) so a
/// passage that straddles a cut is found from either side. The output depends only on the input,
/// so re-ingesting the same file yields the same positions.
/// </summary>
public static partial class Chunker
{
    public const int TargetSize = 900;
    public const int Overlap = 150;

    /// <summary>A slide is not moved to a fresh chunk while the current chunk is smaller than this.</summary>
    private const int MinSizeBeforeSlideCut = 300;

    /// <summary>Units are kept short enough that overlap + unit always fits a chunk.</summary>
    private const int MaxUnit = TargetSize - Overlap - 1;

    private sealed record Unit(string Text, int Segment, bool StartsSegment);

    public static IReadOnlyList<ContentChunk> Chunk(IReadOnlyList<ContentSegment> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        var units = Split(segments);
        var chunks = new List<ContentChunk>();
        var current = new List<Unit>();
        var length = 0;

        foreach (var unit in units)
        {
            if (current.Count > 0)
            {
                var kind = segments[unit.Segment].Kind;
                var cleanSlideCut = unit.StartsSegment && kind == SegmentKind.Slide && length >= MinSizeBeforeSlideCut
                    && length + 1 + segments[unit.Segment].Text.Length > TargetSize;
                if (cleanSlideCut || length + 1 + unit.Text.Length > TargetSize)
                {
                    chunks.Add(Build(chunks.Count, current, segments));
                    current = cleanSlideCut ? [] : Tail(current);
                    length = Length(current);
                }
            }
            length += (current.Count > 0 ? 1 : 0) + unit.Text.Length;
            current.Add(unit);
        }
        if (current.Count > 0) chunks.Add(Build(chunks.Count, current, segments));
        return chunks;
    }

    /// <summary>Sentences of each segment, each at most <see cref="MaxUnit"/> characters.</summary>
    private static List<Unit> Split(IReadOnlyList<ContentSegment> segments)
    {
        var units = new List<Unit>();
        for (var s = 0; s < segments.Count; s++)
        {
            var first = true;
            foreach (var sentence in SentenceEnd().Split(segments[s].Text))
            {
                var text = Whitespace().Replace(sentence, " ").Trim();
                if (text.Length == 0) continue;
                foreach (var piece in SplitLong(text, MaxUnit))
                {
                    units.Add(new Unit(piece, s, first));
                    first = false;
                }
            }
        }
        return units;
    }

    /// <summary>Cuts an over-long sentence between words; only a single "word" longer than the limit is cut inside.</summary>
    private static IEnumerable<string> SplitLong(string text, int max)
    {
        while (text.Length > max)
        {
            var cut = text.LastIndexOf(' ', max);
            if (cut <= 0) cut = max;
            yield return text[..cut].TrimEnd();
            text = text[cut..].TrimStart();
        }
        if (text.Length > 0) yield return text;
    }

    /// <summary>The overlap for the next chunk: trailing whole units up to <see cref="Overlap"/>, or the tail words of the last unit.</summary>
    private static List<Unit> Tail(List<Unit> chunk)
    {
        var tail = new List<Unit>();
        var length = 0;
        for (var i = chunk.Count - 1; i >= 0; i--)
        {
            var added = chunk[i].Text.Length + (tail.Count > 0 ? 1 : 0);
            if (length + added > Overlap) break;
            tail.Insert(0, chunk[i]);
            length += added;
        }
        if (tail.Count > 0) return tail;

        var last = chunk[^1];
        var start = last.Text.Length - Overlap;
        var space = last.Text.IndexOf(' ', start);
        return space < 0 ? [] : [last with { Text = last.Text[(space + 1)..], StartsSegment = false }];
    }

    private static int Length(List<Unit> units) => units.Count == 0 ? 0 : units.Sum(u => u.Text.Length) + units.Count - 1;

    private static ContentChunk Build(int position, List<Unit> units, IReadOnlyList<ContentSegment> segments)
    {
        var text = new StringBuilder();
        for (var i = 0; i < units.Count; i++)
        {
            // Within a segment sentences continue on the line; a new slide, cue or paragraph starts a new line.
            if (i > 0) text.Append(units[i].Segment == units[i - 1].Segment ? ' ' : '\n');
            text.Append(units[i].Text);
        }
        var covered = units.Select(u => segments[u.Segment]).Distinct().ToList();
        var first = covered[0];
        return new ContentChunk(position, text.ToString(), first.Kind)
        {
            SlideFrom = covered.Min(s => s.Slide),
            SlideTo = covered.Max(s => s.Slide),
            Title = first.Title,
            Start = covered.Min(s => s.Start),
            End = covered.Max(s => s.End),
        };
    }

    // After . ! ? or … (optionally followed by a closing quote or bracket), or at a line break.
    [GeneratedRegex(@"(?<=[.!?…][""'”’)\]]?)\s+|\n+")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
