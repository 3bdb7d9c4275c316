using System.ComponentModel.DataAnnotations;
using CoursePlatform.Functions.Features.Ingestion.Extraction;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>App settings <c>Ingestion__*</c>: limits that keep a hostile or huge upload from exhausting the worker.</summary>
public sealed class IngestionOptions
{
    public const string Section = "Ingestion";

    /// <summary>The blob container admins upload into; fixed because the blob trigger's path names it.</summary>
    public const string Container = "course-content";

    /// <summary>Largest file accepted, in bytes (default 50 MB, at most 1 GB: files are read into memory). Larger files fail without being downloaded.</summary>
    [Range(1, 1L << 30)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    [Range(1, 100_000)]
    public int MaxSlides { get; set; } = 500;

    [Range(1, 1_000_000)]
    public int MaxCues { get; set; } = 20_000;

    /// <summary>Most characters of text extracted from one file (default 2,000,000, about 300,000 words).</summary>
    [Range(1, 100_000_000)]
    public int MaxExtractedCharacters { get; set; } = 2_000_000;

    /// <summary>Most bytes the XML parts of a .pptx may inflate to (default 100 MB): the zip-bomb guard.</summary>
    [Range(1, 1L << 34)]
    public long MaxUncompressedXmlBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>Attempts at one blob version before it is marked failed for good (infrastructure errors only; bad files fail at once).</summary>
    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Seconds after a re-ingest request before the same source may be queued again (429 with Retry-After meanwhile):
    /// one admin's clicks cannot keep the worker embedding one file over and over.
    /// </summary>
    [Range(1, 24 * 60 * 60)]
    public int ReingestCooldownSeconds { get; set; } = 60;

    /// <summary>How long an upload URL stays valid.</summary>
    [Range(1, 24 * 60)]
    public int UploadUrlMinutes { get; set; } = 15;

    /// <summary>
    /// A "running" ingestion is retried at once when its worker is gone (its lease ends with the worker's connection), and after
    /// this long even when its lease is still held: a connection that never closed.
    /// </summary>
    [Range(1, 24 * 60)]
    public int StaleRunningMinutes { get; set; } = 15;

    public ExtractionLimits Limits => new(MaxSlides, MaxCues, MaxExtractedCharacters, MaxUncompressedXmlBytes);
}
