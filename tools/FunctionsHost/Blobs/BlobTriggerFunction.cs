using System.Text.RegularExpressions;
using CoursePlatform.FunctionsHost.Configuration;
using CoursePlatform.FunctionsHost.Functions;

namespace CoursePlatform.FunctionsHost.Blobs;

/// <summary>
/// A blob-trigger function with its path resolved: <c>"%Setting%/folder/{name}"</c> becomes a container, a listing
/// prefix and a pattern whose {parameters} are passed to the worker as trigger metadata.
/// </summary>
public sealed partial class BlobTriggerFunction
{
    private readonly Regex pattern;

    private BlobTriggerFunction(FunctionDefinition function, string container, string blobPattern, string connectionName, string connectionString, bool eventGridSource)
    {
        Function = function;
        Container = container;
        Prefix = blobPattern.Split('{')[0];
        ConnectionName = connectionName;
        ConnectionString = connectionString;
        IsEventGridSource = eventGridSource;
        Path = $"{container}/{blobPattern}";
        var regex = string.Concat(Parameter().Split(blobPattern).Select((part, i) => i % 2 == 0 ? Regex.Escape(part) : $"(?<{part}>.+?)"));
        pattern = new Regex($"^{regex}$", RegexOptions.CultureInvariant);
    }

    public FunctionDefinition Function { get; }
    public string Container { get; }
    public string Prefix { get; }
    public string Path { get; }
    public string ConnectionName { get; }
    public string ConnectionString { get; }
    public bool IsEventGridSource { get; }

    public static bool IsBlobTrigger(FunctionDefinition function) =>
        string.Equals(function.Trigger?.Type, "blobTrigger", StringComparison.OrdinalIgnoreCase);

    public static BlobTriggerFunction Create(FunctionDefinition function, AppSettings settings)
    {
        var trigger = function.Trigger!;
        var path = settings.Resolve(trigger.Get("path") ?? throw new HostStartupException($"Blob trigger '{function.Name}' has no path.")).Trim('/');
        var slash = path.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || path[..slash].Contains('{', StringComparison.Ordinal))
        {
            throw new HostStartupException($"Blob trigger '{function.Name}': path '{path}' must be '<container>/<blob pattern>' with a fixed container name.");
        }
        var connectionName = trigger.Get("connection") is { Length: > 0 } c ? c : "AzureWebJobsStorage";
        return new BlobTriggerFunction(
            function, path[..slash], path[(slash + 1)..], connectionName, settings.StorageConnectionString(connectionName),
            string.Equals(trigger.Get("source"), "EventGrid", StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The {parameters} captured from a blob name, or null when the blob does not match the path.</summary>
    public IReadOnlyDictionary<string, string>? Match(string blobName)
    {
        var match = pattern.Match(blobName);
        if (!match.Success) return null;
        return match.Groups.Values.Skip(1).ToDictionary(g => g.Name, g => g.Value);
    }

    [GeneratedRegex(@"\{([^{}]+)\}")]
    private static partial Regex Parameter();
}
