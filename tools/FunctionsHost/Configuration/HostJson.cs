using System.Text.Json.Nodes;

namespace CoursePlatform.FunctionsHost.Configuration;

/// <summary>The parts of host.json the local host honours.</summary>
public sealed record HostJson(string RoutePrefix, int PoisonBlobThreshold, TimeSpan FunctionTimeout, IReadOnlyDictionary<string, LogLevel> LogLevels)
{
    public static HostJson Load(string appDirectory)
    {
        var file = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(file)) return new HostJson("api", 5, TimeSpan.FromMinutes(30), new Dictionary<string, LogLevel>());

        var root = JsonNode.Parse(File.ReadAllText(file), documentOptions: new() { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var routePrefix = root?["extensions"]?["http"]?["routePrefix"]?.GetValue<string>() ?? "api";
        var threshold = root?["extensions"]?["blobs"]?["poisonBlobThreshold"]?.GetValue<int>() ?? 5;
        var timeout = root?["functionTimeout"]?.GetValue<string>() is { } t && TimeSpan.TryParse(t, System.Globalization.CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : TimeSpan.FromMinutes(30);
        var levels = new Dictionary<string, LogLevel>(StringComparer.OrdinalIgnoreCase);
        if (root?["logging"]?["logLevel"] is JsonObject logLevel)
        {
            foreach (var (category, level) in logLevel)
            {
                if (Enum.TryParse<LogLevel>(level?.ToString(), ignoreCase: true, out var parsedLevel)) levels[category] = parsedLevel;
            }
        }
        return new HostJson(routePrefix.Trim('/'), Math.Max(1, threshold), timeout, levels);
    }

    /// <summary>
    /// The minimum level for a worker log category, from host.json logging.logLevel (longest matching prefix,
    /// then "default"): the real host filters the worker's logs the same way.
    /// </summary>
    public LogLevel MinimumLevel(string category)
    {
        var match = LogLevels.Keys
            .Where(prefix => !prefix.Equals("default", StringComparison.OrdinalIgnoreCase)
                             && (category.Equals(prefix, StringComparison.OrdinalIgnoreCase) || category.StartsWith(prefix + ".", StringComparison.OrdinalIgnoreCase)))
            .MaxBy(prefix => prefix.Length);
        return match is not null ? LogLevels[match] : LogLevels.TryGetValue("default", out var level) ? level : LogLevel.Information;
    }
}
