using System.IO.Compression;
using System.Text;
using CoursePlatform.Testing;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>Files the tests build themselves: real .pptx decks written with the OpenXML SDK, transcripts, broken archives.</summary>
public static class TestFiles
{
    /// <summary>A deck with these slides (see <see cref="PptxDeck.Write"/>).</summary>
    public static byte[] Pptx(params TestSlide[] slides) => PptxDeck.Write(slides);

    /// <summary>A deck of <paramref name="count"/> slides with a sentence or two each.</summary>
    public static byte[] NumberedDeck(int count) =>
        Pptx(Enumerable.Range(1, count).Select(i => new TestSlide($"Slide {i}", [$"Point number {i} of the deck."])).ToArray());

    /// <summary>A zip whose single XML entry inflates to <paramref name="uncompressedBytes"/> (a zip bomb in miniature).</summary>
    public static byte[] ZipWithHugeEntry(long uncompressedBytes)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("ppt/slides/slide1.xml", CompressionLevel.SmallestSize).Open();
            var block = new byte[1 << 20];
            Array.Fill(block, (byte)' ');
            for (long written = 0; written < uncompressedBytes; written += block.Length) entry.Write(block);
        }
        return stream.ToArray();
    }

    public static byte[] Utf8(string text, bool bom = false) =>
        bom ? [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)] : Encoding.UTF8.GetBytes(text);
}
