using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Ingestion.Extraction;

using CoursePlatform.Testing;

namespace CoursePlatform.Ingestion.Tests;

public class ExtractorTests
{
    private static readonly ExtractionLimits Limits = new(MaxSlides: 100, MaxCues: 1000, MaxCharacters: 100_000, MaxUncompressedXmlBytes: 10 * 1024 * 1024);

    private static IReadOnlyList<ContentSegment> Extract(string fileName, byte[] content, ExtractionLimits? limits = null)
    {
        using var stream = new MemoryStream(content);
        return ContentExtractors.Extract(fileName, stream, limits ?? Limits);
    }

    [Fact]
    public void Pptx_yields_slides_in_presentation_order_with_titles_body_tables_and_notes()
    {
        var deck = TestFiles.Pptx(
            new TestSlide("Welcome to networking", ["What a network is.", "Why it matters."]),
            new TestSlide("Subnet sizes", ["Common prefixes:"], Table: [["Prefix", "Hosts"], ["/24", "254"], ["/28", "14"]],
                Notes: "Remind learners that two addresses are reserved."),
            new TestSlide(null, ["A slide without a title."]),
            new TestSlide("Picture only", []));

        var segments = Extract("deck.pptx", deck);

        Assert.Equal([1, 2, 3, 4], segments.Select(s => s.Slide));
        Assert.All(segments, s => Assert.Equal(SegmentKind.Slide, s.Kind));
        Assert.Equal(["Welcome to networking", "Subnet sizes", null, "Picture only"], segments.Select(s => s.Title));
        Assert.Equal("Welcome to networking\nWhat a network is.\nWhy it matters.", segments[0].Text);
        Assert.Equal(
            "Subnet sizes\nCommon prefixes:\nPrefix | Hosts\n/24 | 254\n/28 | 14\nNotes: Remind learners that two addresses are reserved.",
            segments[1].Text);
        Assert.Equal("A slide without a title.", segments[2].Text);
        Assert.DoesNotContain(segments, s => s.Text.Contains("Notes: 2", StringComparison.Ordinal)); // slide-number placeholder of the notes page
    }

    [Fact]
    public void Pptx_over_the_slide_limit_is_rejected_with_the_count()
    {
        var error = Assert.Throws<ContentRejectedException>(() => Extract("deck.pptx", TestFiles.NumberedDeck(6), Limits with { MaxSlides = 5 }));
        Assert.Contains("6 slides", error.Message, StringComparison.Ordinal);
        Assert.Contains("MaxSlides", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Pptx_over_the_character_limit_is_rejected()
    {
        var error = Assert.Throws<ContentRejectedException>(() => Extract("deck.pptx", TestFiles.NumberedDeck(20), Limits with { MaxCharacters = 200 }));
        Assert.Contains("200 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Broken_pptx_files_are_rejected_with_a_reason()
    {
        var deck = TestFiles.Pptx(new TestSlide("Title", ["Body text."]));
        var truncated = Assert.Throws<ContentRejectedException>(() => Extract("deck.pptx", deck[..(deck.Length / 2)]));
        var notZip = Assert.Throws<ContentRejectedException>(() => Extract("deck.pptx", TestFiles.Utf8("This is a text file named like a deck.")));
        var bomb = Assert.Throws<ContentRejectedException>(() => Extract("deck.pptx", TestFiles.ZipWithHugeEntry(64L * 1024 * 1024)));
        var zipWithoutPresentation = Assert.Throws<ContentRejectedException>(() => Extract("deck.pptx", TestFiles.ZipWithHugeEntry(1024)));

        Assert.Contains("not a valid PowerPoint", truncated.Message, StringComparison.Ordinal);
        Assert.Contains("not a valid PowerPoint", notZip.Message, StringComparison.Ordinal);
        Assert.Contains("MaxUncompressedXmlBytes", bomb.Message, StringComparison.Ordinal);
        Assert.Contains("PowerPoint", zipWithoutPresentation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Vtt_cues_keep_times_and_lose_tags_settings_notes_and_styles()
    {
        var vtt = """
            WEBVTT - Lecture 3
            Kind: captions

            STYLE
            ::cue { color: yellow }

            NOTE This block is a comment
            spanning two lines --> with an arrow

            intro
            00:00:01.000 --> 00:00:04.500 align:start position:10%
            <v Ana>Welcome back, <b>everyone</b>.</v>

            00:04.500 --> 00:00:09.250 line:0
            Today we look at <c.highlight>routing</c>
            across two lines &amp; more.

            NOTE
            a note between cues

            01:02:03.040 --> 01:02:05.000
            <00:01:02.500>Timed <i>karaoke</i> text.
            """;

        var segments = Extract("lecture.vtt", TestFiles.Utf8(vtt.Replace("\n", "\r\n", StringComparison.Ordinal), bom: true));

        Assert.Equal(["Welcome back, everyone.", "Today we look at routing across two lines & more.", "Timed karaoke text."],
            segments.Select(s => s.Text));
        Assert.All(segments, s => Assert.Equal(SegmentKind.Cue, s.Kind));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(4.5), new TimeSpan(0, 1, 2, 3, 40)], segments.Select(s => s.Start));
        Assert.Equal([TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(9.25), new TimeSpan(0, 1, 2, 5)], segments.Select(s => s.End));
    }

    [Fact]
    public void Srt_with_crlf_line_ends_yields_cues_with_times()
    {
        var srt = "1\r\n00:00:01,000 --> 00:00:03,000\r\n<i>Hello</i> and welcome.\r\n\r\n" +
                  "2\r\n00:00:03,500 --> 00:00:07,250 X1:10 X2:20 Y1:5 Y2:6\r\n{\\an8}Subnets split a network\r\ninto smaller parts.\r\n\r\n" +
                  "3\r\n00:00:08,000 --> 00:00:09,000\r\n<font color=\"#ff0000\">The end.</font>\r\n";

        var segments = Extract("lecture.srt", TestFiles.Utf8(srt));

        Assert.Equal(["Hello and welcome.", "Subnets split a network into smaller parts.", "The end."], segments.Select(s => s.Text));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3.5), TimeSpan.FromSeconds(8)], segments.Select(s => s.Start));
        Assert.Equal([TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(7.25), TimeSpan.FromSeconds(9)], segments.Select(s => s.End));
    }

    [Fact]
    public void Subtitles_without_a_header_or_cues_are_rejected_and_the_cue_limit_holds()
    {
        var noHeader = Assert.Throws<ContentRejectedException>(() => Extract("a.vtt", TestFiles.Utf8("00:00:01.000 --> 00:00:02.000\nHi\n")));
        var noCues = Assert.Throws<ContentRejectedException>(() => Extract("a.srt", TestFiles.Utf8("just some words\nwithout any timing\n")));
        var manyCues = string.Join("\n\n", Enumerable.Range(0, 11).Select(i => $"{i + 1}\n00:00:{i:00},000 --> 00:00:{i:00},900\nCue {i}"));
        var tooMany = Assert.Throws<ContentRejectedException>(() => Extract("a.srt", TestFiles.Utf8(manyCues), Limits with { MaxCues = 10 }));

        Assert.Contains("WEBVTT", noHeader.Message, StringComparison.Ordinal);
        Assert.Contains("no cues", noCues.Message, StringComparison.Ordinal);
        Assert.Contains("10 cues", tooMany.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Text_and_markdown_become_paragraph_segments()
    {
        var segments = Extract("notes.md", TestFiles.Utf8("# Routing\r\n\r\nRouters forward packets\r\nbetween networks.\r\n\r\n\r\n- static routes\n- dynamic routes\n", bom: true));

        Assert.Equal(["# Routing", "Routers forward packets between networks.", "- static routes - dynamic routes"], segments.Select(s => s.Text));
        Assert.All(segments, s => Assert.Equal(SegmentKind.Text, s.Kind));
    }

    [Fact]
    public void Binary_or_non_utf8_text_and_unknown_types_are_rejected()
    {
        Assert.Contains("binary", Assert.Throws<ContentRejectedException>(() => Extract("a.txt", [0x41, 0x00, 0x42])).Message, StringComparison.Ordinal);
        Assert.Contains("UTF-8", Assert.Throws<ContentRejectedException>(() => Extract("a.txt", [0x41, 0xC3, 0x28, 0xFF])).Message, StringComparison.Ordinal);
        Assert.Contains("Unsupported", Assert.Throws<ContentRejectedException>(() => Extract("a.pdf", [1, 2, 3])).Message, StringComparison.Ordinal);
    }
}
