using System.Text.Json;

namespace CoursePlatform.DevTool;

/// <summary>
/// Settings as the Functions app sees them: the <c>Values</c> of a <c>local.settings.json</c>, overlaid by
/// environment variables of the same name (<c>Database__ConnectionString</c>, ...).
/// </summary>
public sealed class DevToolSettings
{
    public const string ConnectionStringKey = "Database__ConnectionString";
    public const string EnvironmentKey = "AZURE_FUNCTIONS_ENVIRONMENT";
    public const string AdminEmailKey = "DemoSeed__AdminEmail";
    public const string AdminPasswordKey = "DemoSeed__AdminPassword";
    public const string TutorEmailKey = "DemoSeed__TutorEmail";
    public const string TutorPasswordKey = "DemoSeed__TutorPassword";
    public const string StorageKey = "AzureWebJobsStorage";
    /// <summary>The local host's CORS origins (<c>Host.CORS</c> of local.settings.json; an environment variable of this name wins).</summary>
    public const string HostCorsKey = "Host__CORS";

    private static readonly string[] Keys =
        [ConnectionStringKey, EnvironmentKey, AdminEmailKey, AdminPasswordKey, TutorEmailKey, TutorPasswordKey, StorageKey, HostCorsKey];

    private readonly Dictionary<string, string> _values;

    private DevToolSettings(Dictionary<string, string> values, string? source)
    {
        _values = values;
        SettingsFile = source;
    }

    /// <summary>The settings file that was read, if any.</summary>
    public string? SettingsFile { get; }

    public string? this[string key] => _values.TryGetValue(key, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    public string? ConnectionString => this[ConnectionStringKey];
    public string? Environment => this[EnvironmentKey];

    public DemoSeedOptions ToSeedOptions() => new()
    {
        AdminEmail = this[AdminEmailKey] ?? "admin@example.com",
        AdminPassword = this[AdminPasswordKey],
        TutorEmail = this[TutorEmailKey] ?? "tutor@example.com",
        TutorPassword = this[TutorPasswordKey],
    };

    /// <param name="settingsPath">An explicit <c>--settings</c> file (must exist), or null for the repository's
    /// <c>local.settings.json</c> when present.</param>
    /// <param name="environment">Environment variables (name to value).</param>
    public static DevToolSettings Load(string? settingsPath, IReadOnlyDictionary<string, string?> environment)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        string? source = null;
        if (settingsPath is not null)
        {
            if (!File.Exists(settingsPath))
                throw new DevToolException($"Settings file not found: {settingsPath}");
            source = Path.GetFullPath(settingsPath);
        }
        else
        {
            source = FindDefaultSettingsFile();
        }

        if (source is not null) ReadValues(source, values);

        foreach (var key in Keys)
        {
            if (environment.TryGetValue(key, out var value) && !string.IsNullOrEmpty(value))
                values[key] = value;
        }
        return new DevToolSettings(values, source);
    }

    public static IReadOnlyDictionary<string, string?> ProcessEnvironment()
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var key in Keys) result[key] = System.Environment.GetEnvironmentVariable(key);
        return result;
    }

    private static void ReadValues(string path, Dictionary<string, string> values)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var document = JsonDocument.Parse(stream, new JsonDocumentOptions
            {
                CommentHandling = JsonCommentHandling.Skip,
                AllowTrailingCommas = true,
            });
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("Host", out var host)
                && host.ValueKind == JsonValueKind.Object && host.TryGetProperty("CORS", out var cors) && cors.ValueKind == JsonValueKind.String)
                values[HostCorsKey] = cors.GetString()!;
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("Values", out var section)
                || section.ValueKind != JsonValueKind.Object)
                return;
            foreach (var property in section.EnumerateObject())
            {
                if (property.Value.ValueKind is JsonValueKind.String)
                    values[property.Name] = property.Value.GetString()!;
                else if (property.Value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    values[property.Name] = property.Value.GetRawText();
            }
        }
        catch (JsonException e)
        {
            throw new DevToolException($"Settings file {path} is not valid JSON: {e.Message}");
        }
    }

    /// <summary><c>local.settings.json</c> at the repository root (the folder holding CoursePlatform.sln), searched upwards from the working directory.</summary>
    private static string? FindDefaultSettingsFile()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoursePlatform.sln")))
            {
                var candidate = Path.Combine(dir.FullName, "local.settings.json");
                return File.Exists(candidate) ? candidate : null;
            }
        }
        var local = Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json");
        return File.Exists(local) ? local : null;
    }
}

/// <summary>A problem the tool reports as a message and exit code, without a stack trace.</summary>
public sealed class DevToolException(string message, int exitCode = 1) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
