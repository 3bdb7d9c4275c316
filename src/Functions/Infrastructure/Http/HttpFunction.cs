using System.Text.Json;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>
/// An HTTP function as the build's <c>functions.metadata</c> lists it: the one reader of that file, for the OpenAPI
/// document and the 404/405 answers to unmatched requests.
/// </summary>
public sealed record HttpFunction(string Name, string EntryPoint, string Route, IReadOnlyList<string> Methods)
{
    /// <summary>The catch-all that answers unmatched requests with a problem: not an endpoint of its own.</summary>
    public bool IsFallback => Route.Contains("{*", StringComparison.Ordinal);

    /// <summary>Every HTTP function of the metadata file, in its order.</summary>
    public static IReadOnlyList<HttpFunction> ReadAll(string metadataPath)
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(metadataPath));
        var functions = new List<HttpFunction>();
        foreach (var function in metadata.RootElement.EnumerateArray())
        {
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (!binding.TryGetProperty("type", out var type) || !string.Equals(type.GetString(), "httpTrigger", StringComparison.OrdinalIgnoreCase)) continue;
                var name = function.GetProperty("name").GetString()!;
                var route = binding.TryGetProperty("route", out var r) ? r.GetString() ?? name : name;
                var methods = binding.TryGetProperty("methods", out var m) ? m.EnumerateArray().Select(x => x.GetString()!.ToUpperInvariant()).ToList() : [];
                functions.Add(new HttpFunction(name, function.GetProperty("entryPoint").GetString()!, route, methods));
            }
        }
        return functions;
    }
}
