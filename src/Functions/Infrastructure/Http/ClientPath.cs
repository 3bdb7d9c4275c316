using CoursePlatform.Functions.Infrastructure.Problems;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>
/// The one check of a blob path or file name a client sends (a source's <c>?path=</c>, an upload's <c>fileName</c>).
/// Storage SDKs and URLs resolve <c>.</c> and <c>..</c> segments, so <c>?path=..</c> reached the container or the
/// course's folder; refused are an empty value, empty, <c>.</c> and <c>..</c> segments, backslashes (a separator
/// elsewhere) and control characters, and more segments than the value may have (a file name has one).
/// </summary>
public static class ClientPath
{
    /// <summary><paramref name="value"/> when it is a safe relative path; otherwise a validation problem naming <paramref name="field"/>.</summary>
    public static string Require(string field, string? value, int maxSegments, string hint)
    {
        if (Problem(value, maxSegments) is { } problem) throw ProblemException.Validation(field, $"{problem} {hint}");
        return value!;
    }

    /// <summary>What is wrong with <paramref name="value"/> as a path of at most <paramref name="maxSegments"/> segments, or null.</summary>
    public static string? Problem(string? value, int maxSegments)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSegments);
        if (string.IsNullOrEmpty(value)) return "Required.";
        if (value.Any(char.IsControl)) return "Must not contain control characters.";
        if (value.Contains('\\', StringComparison.Ordinal)) return "Must not contain a backslash.";
        var segments = value.Split('/');
        if (segments.Any(string.IsNullOrWhiteSpace)) return "Must not have empty segments (a leading, trailing or doubled '/').";
        if (segments.Any(s => s is "." or "..")) return "Must not contain '.' or '..' segments.";
        if (segments.Length > maxSegments) return maxSegments == 1 ? "Must be a file name, without '/'." : $"Must have at most {maxSegments} segments.";
        return null;
    }
}
