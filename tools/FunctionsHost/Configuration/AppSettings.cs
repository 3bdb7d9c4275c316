using System.Collections;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace CoursePlatform.FunctionsHost.Configuration;

/// <summary>
/// The function app's settings as Core Tools builds them: the <c>Values</c> of local.settings.json, with
/// environment variables taking precedence. The worker gets them as its environment; the host resolves
/// <c>%Name%</c> expressions and connection names from them.
/// </summary>
public sealed partial class AppSettings
{
    private readonly Dictionary<string, string> values;

    public AppSettings(IDictionary<string, string> values, LocalHostSection? host = null)
    {
        this.values = new Dictionary<string, string>(values, StringComparer.OrdinalIgnoreCase);
        Host = host ?? new LocalHostSection(null, [], false);
    }

    /// <summary>The <c>Host</c> section of local.settings.json (port and CORS), as Core Tools reads it.</summary>
    public LocalHostSection Host { get; }

    public IReadOnlyDictionary<string, string> Values => values;

    public string? this[string name] => values.TryGetValue(name, out var value) ? value : null;

    /// <summary>local.settings.json: <paramref name="settingsFile"/> if given, else the one in the app folder, if any.</summary>
    public static AppSettings Load(string? settingsFile, string appDirectory)
    {
        var merged = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        LocalHostSection? host = null;
        var file = settingsFile ?? Path.Combine(appDirectory, "local.settings.json");
        if (settingsFile is not null && !File.Exists(settingsFile))
        {
            throw new HostStartupException($"Settings file '{settingsFile}' does not exist.");
        }
        if (File.Exists(file))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (json.RootElement.TryGetProperty(nameof(Values), out var section))
            {
                foreach (var setting in section.EnumerateObject())
                {
                    merged[setting.Name] = setting.Value.ValueKind == JsonValueKind.String ? setting.Value.GetString()! : setting.Value.GetRawText();
                }
            }
            if (json.RootElement.TryGetProperty(nameof(Host), out var hostSection))
            {
                host = LocalHostSection.Parse(hostSection);
            }
        }
        foreach (DictionaryEntry variable in Environment.GetEnvironmentVariables())
        {
            merged[(string)variable.Key] = (string?)variable.Value ?? "";
        }
        return new AppSettings(merged, host);
    }

    /// <summary>Replaces every <c>%Name%</c> with the setting's value, as the host does for trigger paths and schedules.</summary>
    public string Resolve(string expression) =>
        SettingReference().Replace(expression, match =>
            this[match.Groups[1].Value] ?? throw new HostStartupException($"App setting '{match.Groups[1].Value}' (used in '{expression}') is not set."));

    /// <summary>A storage connection string by connection name, looked up like the host: <c>AzureWebJobs{name}</c>, then <c>{name}</c>.</summary>
    public string StorageConnectionString(string? connectionName)
    {
        var name = string.IsNullOrEmpty(connectionName) ? "AzureWebJobsStorage" : connectionName;
        return this["AzureWebJobs" + name] ?? this[name]
            ?? throw new HostStartupException($"Storage connection '{name}' is not set (an app setting '{name}' with a connection string is expected).");
    }

    [GeneratedRegex("%([^%]+)%")]
    private static partial Regex SettingReference();
}
