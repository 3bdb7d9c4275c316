using System.Text.Json.Nodes;
using CoursePlatform.Functions.Features.ApiContract;
using CoursePlatform.Functions.Infrastructure.OpenApi;

namespace CoursePlatform.Functions.Tests.ApiContract;

/// <summary>The OpenAPI document of the build under test, generated once per test run from its output folder.</summary>
public static class ContractDocument
{
    private static readonly Lazy<Task<(byte[] Bytes, string Path)>> Generated = new(async () =>
    {
        var bytes = await ApiDocument.GenerateAsync(typeof(ApiContractDocuments).Assembly, MetadataPath,
            Path.Combine(Paths.FunctionsApp, "CoursePlatform.Functions.xml"));
        var path = Path.Combine(Paths.TestResults("api-contract"), "openapi.json");
        await File.WriteAllBytesAsync(path, bytes);
        return (bytes, path);
    });

    public static string MetadataPath => Path.Combine(Paths.FunctionsApp, "functions.metadata");

    public static async Task<byte[]> BytesAsync() => (await Generated.Value).Bytes;

    /// <summary>The document written to the test results (the file the npm tools read).</summary>
    public static async Task<string> FileAsync() => (await Generated.Value).Path;

    public static async Task<JsonObject> JsonAsync() => JsonNode.Parse(await BytesAsync())!.AsObject();

    public static IReadOnlyList<FunctionFacts> Facts() =>
        ApiDocument.Scan(typeof(ApiContractDocuments).Assembly, MetadataPath);
}
