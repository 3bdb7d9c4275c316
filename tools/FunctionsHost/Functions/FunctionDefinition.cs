using System.Text.Json.Nodes;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace CoursePlatform.FunctionsHost.Functions;

/// <summary>One binding as written in functions.metadata or sent by the worker as a raw binding (JSON).</summary>
public sealed class BindingDefinition(JsonObject json)
{
    public JsonObject Json { get; } = json;
    public string Name => Get("name") ?? "";
    public string Type => Get("type") ?? "";
    public string Direction => Get("direction") ?? "in";
    public bool IsTrigger => Type.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase);
    public bool SupportsDeferredBinding =>
        string.Equals(Property("supportsDeferredBinding"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A top-level string property, matched case-insensitively (the SDK writes camelCase, hand-written JSON varies).</summary>
    public string? Get(string key)
    {
        var node = Json.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
        return node is JsonValue value ? value.ToString() : null;
    }

    public IReadOnlyList<string> GetList(string key) =>
        Json.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value is JsonArray array
            ? array.Select(n => n?.ToString() ?? "").Where(s => s.Length > 0).ToList()
            : [];

    private string? Property(string key) =>
        Json.FirstOrDefault(p => string.Equals(p.Key, "properties", StringComparison.OrdinalIgnoreCase)).Value is JsonObject properties
            ? properties.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value?.ToString()
            : null;

    public BindingInfo ToBindingInfo()
    {
        var info = new BindingInfo
        {
            Type = Type,
            Direction = Direction.ToUpperInvariant() switch
            {
                "OUT" => BindingInfo.Types.Direction.Out,
                "INOUT" => BindingInfo.Types.Direction.Inout,
                _ => BindingInfo.Types.Direction.In,
            },
            DataType = (Get("dataType") ?? "").ToUpperInvariant() switch
            {
                "STRING" => BindingInfo.Types.DataType.String,
                "BINARY" => BindingInfo.Types.DataType.Binary,
                "STREAM" => BindingInfo.Types.DataType.Stream,
                _ => BindingInfo.Types.DataType.Undefined,
            },
        };
        return info;
    }
}

/// <summary>A function the worker loaded: its id (from the worker), name and bindings.</summary>
public sealed class FunctionDefinition(string id, string name, IReadOnlyList<BindingDefinition> bindings, RpcFunctionMetadata metadata)
{
    public string Id { get; } = id;
    public string Name { get; } = name;
    public IReadOnlyList<BindingDefinition> Bindings { get; } = bindings;

    /// <summary>What is sent in the function_load_request.</summary>
    public RpcFunctionMetadata Metadata { get; } = metadata;

    public BindingDefinition? Trigger => Bindings.FirstOrDefault(b => b.IsTrigger);

    /// <summary>The host's name for the function, used in blob receipts and the Event Grid webhook.</summary>
    public string FullName => "Host.Functions." + Name;

    public static FunctionDefinition FromWorker(RpcFunctionMetadata metadata, string appDirectory)
    {
        var bindings = metadata.RawBindings.Select(raw => new BindingDefinition(JsonNode.Parse(raw)!.AsObject())).ToList();
        var load = metadata.Clone();
        if (string.IsNullOrEmpty(load.Directory)) load.Directory = appDirectory;
        // The worker indexes raw bindings; the typed map is what older hosts filled in, kept for completeness.
        foreach (var binding in bindings.Where(b => !load.Bindings.ContainsKey(b.Name)))
        {
            load.Bindings[binding.Name] = binding.ToBindingInfo();
        }
        return new FunctionDefinition(metadata.FunctionId, metadata.Name, bindings, load);
    }
}
