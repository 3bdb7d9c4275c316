using CoursePlatform.Functions.Infrastructure.Http;

namespace CoursePlatform.Functions.Features.UnmatchedRoutes;

/// <summary>
/// The app's HTTP routes as the build wrote them to <c>functions.metadata</c>, to tell "no such route" (404)
/// from "this route, another method" (405 with <c>Allow</c>) for requests no function matched.
/// </summary>
public sealed class RouteTable
{
    private readonly List<(string[] Segments, string[] Methods)> routes;

    public RouteTable() : this(Path.Combine(AppContext.BaseDirectory, "functions.metadata")) { }

    public RouteTable(string metadataPath)
    {
        routes = File.Exists(metadataPath)
            ? [.. HttpFunction.ReadAll(metadataPath).Where(f => !f.IsFallback).Select(f => (f.Route.Trim('/').Split('/'), f.Methods.ToArray()))]
            : [];
    }

    /// <summary>The methods the functions whose route matches <paramref name="path"/> answer (empty: no route matches).</summary>
    public IReadOnlyList<string> MethodsFor(string path)
    {
        var segments = path.Trim('/').Split('/');
        return routes.Where(r => Matches(r.Segments, segments)).SelectMany(r => r.Methods).Distinct().Order(StringComparer.Ordinal).ToList();
    }

    private static bool Matches(string[] template, string[] path) =>
        template.Length == path.Length && template.Zip(path).All(p => Matches(p.First, p.Second));

    private static bool Matches(string template, string segment)
    {
        if (!template.StartsWith('{')) return string.Equals(template, segment, StringComparison.OrdinalIgnoreCase);
        // A parameter matches any segment, whatever its constraint: "/topics/not-a-guid/content" is the
        // topics route given a bad id, which the 404 names, rather than a method problem.
        return segment.Length > 0;
    }
}
