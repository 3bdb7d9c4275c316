using CoursePlatform.Functions.Infrastructure.Problems;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>
/// Typed query values: a value that does not parse is a 400, never a silent default. Functions pass
/// <c>request.Query["name"]</c> themselves, which is how the OpenAPI document finds the values a function reads.
/// </summary>
public static class QueryValues
{
    /// <summary><c>true</c> or <c>false</c> (any case) in <paramref name="text"/>; absent or empty gives <paramref name="fallback"/>.</summary>
    public static bool Flag(string? text, string name, bool fallback = false)
    {
        if (string.IsNullOrEmpty(text)) return fallback;
        return bool.TryParse(text, out var value)
            ? value
            : throw ProblemException.Validation(new Dictionary<string, string[]> { [name] = ["Must be true or false."] });
    }
}
