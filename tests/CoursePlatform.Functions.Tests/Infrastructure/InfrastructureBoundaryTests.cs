using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Tests.Infrastructure;

/// <summary>Plumbing lives once in Infrastructure/ and serves every feature, so it may name none of them.</summary>
public sealed partial class InfrastructureBoundaryTests
{
    [GeneratedRegex(@"CoursePlatform\.Functions\.Features\b|\bFeatures\.[A-Z]")]
    private static partial Regex FeatureReference();

    [Fact]
    public void No_file_under_Infrastructure_references_a_feature()
    {
        var folder = Path.Combine(Paths.RepositoryRoot, "src", "Functions", "Infrastructure");
        var files = Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(files);
        var offenders = files
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .Where(x => FeatureReference().IsMatch(x.line))
            .Select(x => $"{Path.GetRelativePath(folder, x.file)}:{x.number}: {x.line.Trim()}")
            .ToList();
        Assert.True(offenders.Count == 0, "Infrastructure references features:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_check_catches_a_feature_namespace()
    {
        Assert.Matches(FeatureReference(), "using CoursePlatform.Functions.Features.Cart;");
        Assert.Matches(FeatureReference(), "var x = new Features.Cart.CartService();");
        Assert.DoesNotMatch(FeatureReference(), "using CoursePlatform.Functions.Infrastructure.Auth;");
    }
}
