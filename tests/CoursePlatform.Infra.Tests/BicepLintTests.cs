namespace CoursePlatform.Infra.Tests;

/// <summary>The templates compile and lint clean: zero errors, zero warnings (bicepconfig.json raises the security rules to errors).</summary>
public sealed class BicepLintTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        var dir = BicepCli.InfraDirectory;
        foreach (var file in Directory.EnumerateFiles(dir, "*.bicep", SearchOption.AllDirectories)
                     .Concat(Directory.EnumerateFiles(dir, "*.bicepparam", SearchOption.AllDirectories))
                     .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(dir, file));
        }
        return data;
    }

    [Fact]
    public void Main_template_builds_without_errors_or_warnings()
    {
        Assert.True(compiled.Build.ExitCode == 0, compiled.Build.Output);
        Assert.Empty(compiled.Build.Diagnostics("Error"));
        Assert.Empty(compiled.Build.Diagnostics("Warning"));
        Assert.NotNull(compiled.Template["resources"]);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void File_lints_without_errors_or_warnings(string file)
    {
        var lint = BicepCli.Run("lint", file);

        Assert.True(lint.ExitCode == 0, lint.Output);
        Assert.Empty(lint.Diagnostics("Error"));
        Assert.Empty(lint.Diagnostics("Warning"));
    }

    [Fact]
    public void Example_parameters_compile_against_main()
    {
        var build = BicepCli.Run("build-params", "example.bicepparam", "--stdout");

        Assert.True(build.ExitCode == 0, build.Output);
        Assert.Empty(build.Diagnostics("Error"));
        Assert.Empty(build.Diagnostics("Warning"));
    }

    [Fact]
    public void Linter_configuration_treats_secret_rules_as_errors()
    {
        var config = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "bicepconfig.json")))!;
        var rules = config["analyzers"]!["core"]!["rules"]!;
        foreach (var rule in new[] { "outputs-should-not-contain-secrets", "secure-parameter-default", "secure-secrets-in-params", "use-secure-value-for-secure-inputs" })
            Assert.Equal("error", (string?)rules[rule]?["level"]);
    }
}
