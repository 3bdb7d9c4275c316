using System.Text.Json.Nodes;
using CoursePlatform.FunctionsHost.Configuration;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace CoursePlatform.FunctionsHost.Functions;

/// <summary>
/// Reads functions.metadata, which the worker SDK writes into the build output. Its presence is how the host
/// knows it was pointed at a Functions build output; it is also the fallback when the worker asks the host to
/// index functions itself (use_default_metadata_indexing).
/// </summary>
public static class FunctionsMetadataFile
{
    public const string FileName = "functions.metadata";

    public static void EnsureAppDirectory(string appDirectory)
    {
        if (!Directory.Exists(appDirectory))
        {
            throw new HostStartupException($"The app folder '{appDirectory}' does not exist. Pass the Functions build output, e.g. --app src/Functions/bin/Debug/net10.0 (run 'dotnet build' first).");
        }
        if (!File.Exists(Path.Combine(appDirectory, FileName)))
        {
            throw new HostStartupException($"'{appDirectory}' is not a Functions build output: {FileName} is missing. Pass the folder holding the built worker (e.g. src/Functions/bin/Debug/net10.0) and run 'dotnet build' first.");
        }
    }

    public static IReadOnlyList<RpcFunctionMetadata> Read(string appDirectory)
    {
        var file = Path.Combine(appDirectory, FileName);
        var functions = JsonNode.Parse(File.ReadAllText(file))?.AsArray()
            ?? throw new HostStartupException($"{file} is empty.");
        var result = new List<RpcFunctionMetadata>();
        foreach (var node in functions.OfType<JsonObject>())
        {
            var metadata = new RpcFunctionMetadata
            {
                FunctionId = Guid.NewGuid().ToString(),
                Name = node["name"]?.ToString() ?? throw new HostStartupException($"A function in {file} has no name."),
                // Left empty when the entry has none: the host reports that function in error (FunctionSetValidator).
                ScriptFile = node["scriptFile"]?.ToString() is { Length: > 0 } scriptFile ? Path.Combine(appDirectory, scriptFile) : "",
                EntryPoint = node["entryPoint"]?.ToString() ?? "",
                Language = node["language"]?.ToString() ?? "dotnet-isolated",
                Directory = appDirectory,
            };
            foreach (var binding in node["bindings"]?.AsArray() ?? [])
            {
                metadata.RawBindings.Add(binding!.ToJsonString());
            }
            result.Add(metadata);
        }
        return result;
    }
}
