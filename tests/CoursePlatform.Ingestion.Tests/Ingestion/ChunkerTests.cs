using System.Text.RegularExpressions;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Ingestion.Extraction;

namespace CoursePlatform.Ingestion.Tests;

public partial class ChunkerTests
{
    private static readonly string[] Topics = ["routing", "subnets", "firewalls", "load balancers", "DNS", "certificates", "queues", "caches"];

    /// <summary>About 9,000 characters of varied sentences in paragraphs.</summary>
    private static List<ContentSegment> LongText()
    {
        var segments = new List<ContentSegment>();
        for (var p = 0; p < 12; p++)
        {
            var sentences = Enumerable.Range(0, 8).Select(s =>
                $"Paragraph {p} sentence {s} explains how {Topics[(p + s) % Topics.Length]} behave under load, and why operators care about them.");
            segments.Add(new ContentSegment(string.Join(' ', sentences), SegmentKind.Text));
        }
        return segments;
    }

    private static string[] Words(string text) => WhitespaceRegex().Split(text.Trim());

    [Fact]
    public void Chunks_stay_within_the_size_overlap_between_neighbours_and_cover_every_sentence()
    {
        var segments = LongText();
        var chunks = Chunker.Chunk(segments);

        Assert.InRange(chunks.Count, 10, 16);
        Assert.All(chunks, c => Assert.InRange(c.Content.Length, 1, Chunker.TargetSize));
        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.Position));
        // Most chunks fill up: the target is a size, not a ceiling reached by chance.
        Assert.True(chunks.Take(chunks.Count - 1).Average(c => c.Content.Length) > 700);

        for (var i = 1; i < chunks.Count; i++)
        {
            var previous = chunks[i - 1].Content;
            var overlap = Enumerable.Range(1, Math.Min(previous.Length, chunks[i].Content.Length))
                .Where(n => chunks[i].Content.StartsWith(previous[^n..].TrimStart(), StringComparison.Ordinal)).DefaultIfEmpty(0).Max();
            Assert.InRange(overlap, 20, Chunker.Overlap);
        }

        var all = string.Join("\n", chunks.Select(c => c.Content));
        foreach (var sentence in segments.SelectMany(s => SentenceRegex().Matches(s.Text).Select(m => m.Value.Trim())))
            Assert.Contains(sentence, all, StringComparison.Ordinal);
    }

    [Fact]
    public void No_chunk_starts_or_ends_inside_a_word()
    {
        var words = LongText().SelectMany(s => Words(s.Text)).ToHashSet(StringComparer.Ordinal);
        // One very long sentence forces cuts between words rather than sentences.
        var longSentence = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i}"));
        words.UnionWith(Words(longSentence));

        var chunks = Chunker.Chunk([.. LongText(), new ContentSegment(longSentence, SegmentKind.Text)]);

        Assert.All(chunks, c => Assert.All(Words(c.Content), w => Assert.Contains(w, words)));
    }

    [Fact]
    public void The_same_input_gives_the_same_chunks()
    {
        Assert.Equal(Chunker.Chunk(LongText()), Chunker.Chunk(LongText()));
    }

    [Fact]
    public void Slides_start_new_chunks_and_keep_their_numbers()
    {
        var slide = (int n, int sentences) => new ContentSegment(
            string.Join(' ', Enumerable.Range(0, sentences).Select(s => $"Slide {n} makes point {s} about cloud networking in detail.")),
            SegmentKind.Slide) { Slide = n, Title = $"Title {n}" };
        var segments = new[] { slide(1, 3), slide(2, 3), slide(3, 20), slide(4, 6), slide(5, 1) };

        var chunks = Chunker.Chunk(segments);

        // Slides 1 and 2 are small and share a chunk; slide 3 does not fit beside them, so it starts a fresh
        // chunk without overlap; slide 3 is longer than a chunk and is cut (with overlap) between sentences.
        Assert.True(segments[0].Text.Length + segments[1].Text.Length > 300);
        Assert.Equal((1, 2), (chunks[0].SlideFrom, chunks[0].SlideTo));
        Assert.Equal("Title 1", chunks[0].Title);
        Assert.StartsWith("Slide 3 makes point 0", chunks[1].Content, StringComparison.Ordinal);
        Assert.Equal((3, 3), (chunks[1].SlideFrom, chunks[1].SlideTo));
        Assert.All(chunks, c => Assert.Equal(SegmentKind.Slide, c.Kind));
        Assert.All(chunks, c => Assert.InRange(c.Content.Length, 1, Chunker.TargetSize));
        Assert.Equal(3, chunks[2].SlideFrom); // the rest of slide 3, with slides 4 and 5 that fit beside it
        Assert.StartsWith("Slide 3 makes point", chunks[2].Content, StringComparison.Ordinal); // overlap within the slide
        var slide4 = chunks.First(c => c.Content.Contains("Slide 4", StringComparison.Ordinal));
        Assert.InRange(4, slide4.SlideFrom!.Value, slide4.SlideTo!.Value);
        Assert.Equal(5, chunks[^1].SlideTo);
    }

    [Fact]
    public void Cue_chunks_span_the_times_of_their_cues()
    {
        var cues = Enumerable.Range(0, 60).Select(i => new ContentSegment($"Cue {i} says something about how routers pick a path.", SegmentKind.Cue)
        {
            Start = TimeSpan.FromSeconds(i * 4), End = TimeSpan.FromSeconds(i * 4 + 3.5),
        }).ToList();

        var chunks = Chunker.Chunk(cues);

        Assert.True(chunks.Count > 2);
        Assert.Equal(TimeSpan.Zero, chunks[0].Start);
        Assert.Equal(cues[^1].End, chunks[^1].End);
        foreach (var chunk in chunks)
        {
            var numbers = CueNumberRegex().Matches(chunk.Content).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.Equal(TimeSpan.FromSeconds(numbers.Min() * 4), chunk.Start);
            Assert.Equal(TimeSpan.FromSeconds(numbers.Max() * 4 + 3.5), chunk.End);
        }
        // Neighbouring chunks share cues (overlap), so their time ranges overlap too.
        Assert.True(chunks[1].Start < chunks[0].End);
    }

    [Fact]
    public void Nothing_in_gives_nothing_out()
    {
        Assert.Empty(Chunker.Chunk([]));
        Assert.Empty(Chunker.Chunk([new ContentSegment("   \n ", SegmentKind.Text)]));
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespaceRegex();

    [GeneratedRegex(@"[^.]+\.")]
    private static partial Regex SentenceRegex();

    [GeneratedRegex(@"Cue (\d+) says")]
    private static partial Regex CueNumberRegex();
}
