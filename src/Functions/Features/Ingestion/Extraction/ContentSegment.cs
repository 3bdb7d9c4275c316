namespace CoursePlatform.Functions.Features.Ingestion.Extraction;

public enum SegmentKind { Text, Slide, Cue }

/// <summary>
/// A piece of extracted text with where it came from: one slide, one subtitle cue, or one paragraph
/// of a plain transcript. The chunker packs segments into chunks and keeps their locations.
/// </summary>
public sealed record ContentSegment(string Text, SegmentKind Kind)
{
    public int? Slide { get; init; }
    public string? Title { get; init; }
    public TimeSpan? Start { get; init; }
    public TimeSpan? End { get; init; }
}

/// <summary>Limits an extractor enforces while it reads, so a hostile file fails early instead of exhausting memory.</summary>
public sealed record ExtractionLimits(int MaxSlides, int MaxCues, int MaxCharacters, long MaxUncompressedXmlBytes);

/// <summary>The file cannot be ingested; the message is the reason shown to admins in the ingestion log.</summary>
public sealed class ContentRejectedException : Exception
{
    public ContentRejectedException(string reason) : base(reason) { }
    public ContentRejectedException(string reason, Exception inner) : base(reason, inner) { }
    public ContentRejectedException() { }
}

/// <summary>Counts extracted characters against the limit.</summary>
internal sealed class CharacterBudget(int max)
{
    private long _used;

    public void Spend(int characters)
    {
        _used += characters;
        if (_used > max)
            throw new ContentRejectedException($"The file holds more than {max:N0} characters of text, the configured limit (Ingestion:MaxExtractedCharacters).");
    }
}
