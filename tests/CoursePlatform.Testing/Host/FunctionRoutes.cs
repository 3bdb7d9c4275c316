using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoursePlatform.Testing;

/// <summary>An HTTP function of the build as <c>functions.metadata</c> lists it: one entry per method.</summary>
public sealed record HttpRoute(string Function, string Method, string Route);

/// <summary>
/// The HTTP functions of the worker build, read from its <c>functions.metadata</c>, so tests that sweep every route
/// (admin checks, hostile input, outages, the audit trail) cover new functions without a hand-kept list.
/// </summary>
public static partial class FunctionRoutes
{
    /// <summary>A route parameter with its constraint, <c>{topicId:guid}</c>.</summary>
    [GeneratedRegex(@"\{[^}]+\}")]
    public static partial Regex Parameter();

    public static IReadOnlyList<HttpRoute> Http()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(Paths.FunctionsApp, "functions.metadata")));
        return [.. metadata.RootElement.EnumerateArray()
            .SelectMany(function => function.GetProperty("bindings").EnumerateArray()
                .Where(binding => binding.GetProperty("type").GetString() == "httpTrigger")
                .SelectMany(binding => binding.GetProperty("methods").EnumerateArray().Select(method => new HttpRoute(
                    function.GetProperty("name").GetString()!, method.GetString()!.ToUpperInvariant(), binding.GetProperty("route").GetString()!))))];
    }
}
