using CoursePlatform.FunctionsHost.Configuration;
using CoursePlatform.FunctionsHost.Functions;
using CoursePlatform.Testing;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>The app's own functions (its build's functions.metadata) checked with the real host's rules, without a host.</summary>
public sealed class AppFunctionSetTests
{
    [Fact]
    public void Every_function_of_the_app_is_one_azure_runs()
    {
        var functions = FunctionsMetadataFile.Read(Paths.FunctionsApp).Select(FunctionMetadataEntry.From).ToList();
        // The app runs on Flex Consumption (infra/bicep/modules/functionapp.bicep), so that plan's rules apply.
        var options = new FunctionSetValidationOptions(HostJson.Load(Paths.FunctionsApp).RoutePrefix, FlexConsumption: true);

        var result = FunctionSetValidator.Validate(functions, options);

        var report = result.Errors.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"  {e.Key} (route '{Route(functions, e.Key)}'): {string.Join(" ", e.Value)}").ToList();
        Assert.True(result.HostError is null && report.Count == 0,
            (result.HostError is null ? "" : $"Host error: {result.HostError}\n")
            + $"{report.Count} of {functions.Count} functions are in error (Azure would not run them):\n{string.Join("\n", report)}");
    }

    private static string Route(IEnumerable<FunctionMetadataEntry> functions, string name) =>
        functions.First(f => f.Name == name).RawBindings
            .Select(raw => System.Text.Json.Nodes.JsonNode.Parse(raw)?["route"]?.ToString()).FirstOrDefault(r => r is not null) ?? "";
}
