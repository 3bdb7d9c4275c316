namespace CoursePlatform.Functions.Features.Ingestion.Extraction;

/// <summary>Picks the extractor for a file name's extension.</summary>
public static class ContentExtractors
{
    public static readonly IReadOnlySet<string> SupportedExtensions =
        new HashSet<string>(StringComparer.OrdinalIgnoreCase) { ".pptx", ".vtt", ".srt", ".txt", ".md" };

    public static bool IsSupported(string fileName) => SupportedExtensions.Contains(Path.GetExtension(fileName));

    /// <summary>The one wording of "this file type is not ingested", for uploads and ingestion alike.</summary>
    public static string UnsupportedMessage(string fileName) =>
        $"Unsupported file type '{Path.GetExtension(fileName)}'; supported: {string.Join(", ", SupportedExtensions.Order(StringComparer.Ordinal))}.";

    /// <summary>Extracts the segments of <paramref name="content"/> (seekable), or throws <see cref="ContentRejectedException"/>.</summary>
    public static IReadOnlyList<ContentSegment> Extract(string fileName, Stream content, ExtractionLimits limits)
    {
        var extension = Path.GetExtension(fileName).ToLowerInvariant();
        return extension switch
        {
            ".pptx" => PptxExtractor.Extract(content, limits),
            ".vtt" => SubtitleExtractor.Extract(TextDecoding.Read(content), SubtitleFormat.WebVtt, limits),
            ".srt" => SubtitleExtractor.Extract(TextDecoding.Read(content), SubtitleFormat.Srt, limits),
            ".txt" or ".md" => PlainTextExtractor.Extract(TextDecoding.Read(content), limits),
            _ => throw new ContentRejectedException(UnsupportedMessage(fileName)),
        };
    }
}
