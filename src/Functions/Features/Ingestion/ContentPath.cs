using System.Diagnostics.CodeAnalysis;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>
/// A blob path in the content container: <c>{courseId}/{fileName}</c> or <c>{courseId}/{topicId}/{fileName}</c>.
/// The whole path is the chunks' <c>source</c>: uploading the same file name again replaces its chunks.
/// </summary>
public sealed record ContentPath(Guid CourseId, Guid? TopicId, string FileName)
{
    public string BlobName => TopicId is { } topic ? $"{CourseId}/{topic}/{FileName}" : $"{CourseId}/{FileName}";

    /// <summary>The source's one name in the API: its path inside the course (<c>deck.pptx</c> or <c>{topicId}/deck.pptx</c>).</summary>
    public string CoursePath => TopicId is { } topic ? $"{topic}/{FileName}" : FileName;

    public static bool TryParse(string blobName, [NotNullWhen(true)] out ContentPath? path)
    {
        path = null;
        var parts = (blobName ?? "").Split('/');
        if (parts.Length is < 2 or > 3 || !Guid.TryParse(parts[0], out var course) || string.IsNullOrWhiteSpace(parts[^1])) return false;
        Guid? topic = null;
        if (parts.Length == 3)
        {
            if (!Guid.TryParse(parts[1], out var t)) return false;
            topic = t;
        }
        path = new ContentPath(course, topic, parts[^1]);
        return true;
    }
}

/// <summary>
/// How the API names a chunk's source, the same everywhere (upload ticket <c>path</c>, sources list, <c>?path=</c>,
/// ingestion log, search and tutor <c>source</c>): an upload by its path inside the course, the lesson text of a topic
/// as <c>lesson:{topicId}</c>. The blob name (with the course id in front) stays internal: every route that shows a
/// source is under its course already.
/// </summary>
public static class SourceNames
{
    public const string LessonPrefix = "lesson:";

    public static string Public(string source) =>
        ContentPath.TryParse(source, out var path) ? path.CoursePath : source;

    /// <summary>
    /// What a person reads: an upload's file name, a lesson's topic name (which the lesson indexer keeps as the chunk's
    /// <c>file</c>), else the source itself.
    /// </summary>
    public static string Display(string source, string? file) =>
        source.StartsWith(LessonPrefix, StringComparison.Ordinal) ? (string.IsNullOrWhiteSpace(file) ? source : file)
        : ContentPath.TryParse(source, out var path) ? path.FileName : file ?? source;

    /// <summary>An entity tag as HTTP writes it, quoted (<c>"0x8DC…"</c>), whatever form it was stored in.</summary>
    public static string QuotedETag(string etag) =>
        etag.StartsWith('"') || etag.StartsWith("W/", StringComparison.Ordinal) ? etag : $"\"{etag}\"";
}
