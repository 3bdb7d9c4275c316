using System.Text.Json;

namespace CoursePlatform.Functions.Tests.ApiContract;

/// <summary>The document through the real tools a frontend uses: the Redocly linter, openapi-typescript and tsc.</summary>
public sealed class OpenApiToolingTests
{
    [Fact]
    public async Task Redocly_lints_the_document_with_no_errors()
    {
        var file = await ContractDocument.FileAsync();
        var (exitCode, output) = await NodeTools.RunAsync("redocly", "lint", file, "--format=json");
        var json = output[output.IndexOf('{', StringComparison.Ordinal)..(output.LastIndexOf('}') + 1)];
        using var report = JsonDocument.Parse(json);
        var errors = report.RootElement.GetProperty("totals").GetProperty("errors").GetInt32();
        var problems = report.RootElement.GetProperty("problems").EnumerateArray()
            .Where(p => p.GetProperty("severity").GetString() == "error")
            .Select(p => $"{p.GetProperty("ruleId").GetString()}: {p.GetProperty("message").GetString()}");
        Assert.True(errors == 0 && exitCode == 0, $"redocly lint: {errors} errors (exit {exitCode})\n{string.Join("\n", problems)}");
    }

    [Fact]
    public async Task A_typescript_client_generated_from_the_document_and_a_typed_script_compile()
    {
        var file = await ContractDocument.FileAsync();
        var generated = Path.Combine(Paths.OpenApiTools, "generated");
        Directory.CreateDirectory(generated);
        var client = Path.Combine(generated, "api.ts");
        File.Delete(client);

        var (generateExit, generateOutput) = await NodeTools.RunAsync("openapi-typescript", file, "-o", client);
        Assert.True(generateExit == 0 && File.Exists(client), $"openapi-typescript failed ({generateExit}):\n{generateOutput}");
        var types = await File.ReadAllTextAsync(client);
        Assert.Contains("\"/courses/{course}/quiz/attempts\"", types, StringComparison.Ordinal);
        Assert.Contains("\"quiz_cooldown\"", types, StringComparison.Ordinal);
        File.Copy(client, Path.Combine(Paths.TestResults("api-contract"), "api.ts"), overwrite: true);

        // tools/openapi/client/contract-usage.ts: typed calls against the generated paths, schemas and problem codes.
        var (compileExit, compileOutput) = await NodeTools.RunAsync("tsc", "-p", "tsconfig.json");
        Assert.True(compileExit == 0, $"tsc found errors:\n{compileOutput}");

        // samples/web: the reference frontend's ES modules, JSDoc-typed against the same generated client, without casts
        // for the enrolment union or the sources list.
        var (pageExit, pageOutput) = await NodeTools.RunAsync("tsc", "-p", Path.Combine(Paths.RepositoryRoot, "samples", "web", "tsconfig.json"));
        Assert.True(pageExit == 0, $"tsc found errors in samples/web:\n{pageOutput}");
    }
}
