using System.Diagnostics.CodeAnalysis;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>
/// A blob path in the content container: <c>{courseId}/{fileName}</c> or <c>{courseId}/{topicId}/{fileName}</c>.
/// The whole path is the chunks' <c>source</c>: uploading the same file name again replaces its chunks.
/// </summary>
public sealed record ContentPath(Guid CourseId, Guid? TopicId, string FileName)
{
    public string BlobName => TopicId is { } topic ? $"{CourseId}/{topic}/{FileName}" : $"{CourseId}/{FileName}";

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
