using CoursePlatform.Functions.Infrastructure.Http;
using System.Text.RegularExpressions;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.OpenApi;

namespace CoursePlatform.Functions.Tests.ApiContract;

/// <summary>
/// Every <c>Location</c> the API sends is a URL that answers GET. The created paths are interpolated strings in the
/// function classes, so they are read from the source: each must match a GET route of the build. The HTTP walk in
/// <see cref="ApiContractHttpTests"/> then follows real Locations.
/// </summary>
public sealed partial class LocationRoutesTests
{
    [GeneratedRegex(@"Created(?:OrOk)?Async\((?:[^$]|\$(?!""))*\$""(?<path>[^""]+)""")]
    private static partial Regex CreatedCall();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Placeholder();

    [Fact]
    public void Every_created_location_is_a_route_that_answers_get()
    {
        var getRoutes = HttpFunction.ReadAll(ContractDocument.MetadataPath)
            .Where(f => !f.IsFallback && f.Methods.Contains("GET"))
            .Select(f => new Regex("^" + Placeholder().Replace(Regex.Escape(f.Route).Replace(@"\{", "{", StringComparison.Ordinal), "[^/]+") + "$"))
            .ToList();
        var features = Path.Combine(Paths.RepositoryRoot, "src", "Functions", "Features");
        var locations = Directory.EnumerateFiles(features, "*Functions.cs", SearchOption.AllDirectories)
            .SelectMany(file => CreatedCall().Matches(File.ReadAllText(file)).Select(m => (File: Path.GetFileName(file), Path: m.Groups["path"].Value)))
            .ToList();
        Assert.True(locations.Count >= 15, $"only {locations.Count} created locations found: the pattern no longer matches the code");

        var dangling = locations
            .Select(l => (l.File, l.Path, Sample: Placeholder().Replace(l.Path.Split('?')[0], "x")))
            .Where(l => !getRoutes.Any(route => route.IsMatch(l.Sample)))
            .Select(l => $"{l.File}: {l.Path}")
            .ToList();
        Assert.True(dangling.Count == 0, "Locations without a GET route:\n" + string.Join("\n", dangling));
    }

    [Fact]
    public void A_location_is_path_absolute_under_the_api_prefix_with_its_query_kept()
    {
        Assert.Equal("/api/cart/lines/intro%20course", HttpResponses.Location("cart/lines/intro course"));
        Assert.Equal("/api/manage/topics/1/assets/hero?persona=pseudo_coder", HttpResponses.Location("manage/topics/1/assets/hero?persona=pseudo_coder"));
    }
}
