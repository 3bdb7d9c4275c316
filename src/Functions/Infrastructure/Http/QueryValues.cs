using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>Typed query values: a value that does not parse is a 400, never a silent default.</summary>
public static class QueryValues
{
    /// <summary><c>true</c> or <c>false</c> (any case); absent or empty gives <paramref name="fallback"/>.</summary>
    public static bool Flag(HttpRequestData request, string name, bool fallback = false)
    {
        ArgumentNullException.ThrowIfNull(request);
        var text = request.Query[name];
        if (string.IsNullOrEmpty(text)) return fallback;
        return bool.TryParse(text, out var value)
            ? value
            : throw ProblemException.Validation(new Dictionary<string, string[]> { [name] = ["Must be true or false."] });
    }
}
