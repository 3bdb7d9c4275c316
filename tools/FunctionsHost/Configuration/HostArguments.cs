namespace CoursePlatform.FunctionsHost.Configuration;

/// <summary>Command line of the local host: <c>--app &lt;build output&gt; [--port 7071] [--settings local.settings.json]</c>.</summary>
public sealed record HostArguments(
    string AppDirectory,
    int? Port,
    string? SettingsFile,
    TimeSpan StartupTimeout,
    string? ExtractProtocolTo,
    bool FailOnFunctionErrors = false)
{
    public const string Usage =
        "Usage: CoursePlatform.FunctionsHost --app <functions build output> [--port <n>, default: Host.LocalHttpPort of the settings file, else 7071] [--settings <local.settings.json>] [--startup-timeout <seconds>] [--fail-on-function-errors]\n" +
        "       CoursePlatform.FunctionsHost --app <functions build output> --extract-protocol <out.pb>";

    public static HostArguments Parse(IReadOnlyList<string> args)
    {
        string? app = null, settings = null, extract = null;
        int? port = null;
        var failOnFunctionErrors = false;
        var startupTimeout = TimeSpan.FromSeconds(60);
        for (var i = 0; i < args.Count; i++)
        {
            string Value() => i + 1 < args.Count ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.\n{Usage}");
            switch (args[i])
            {
                case "--app" or "--script-root": app = Value(); break;
                case "--port" or "-p": port = int.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--settings": settings = Value(); break;
                case "--startup-timeout": startupTimeout = TimeSpan.FromSeconds(double.Parse(Value(), System.Globalization.CultureInfo.InvariantCulture)); break;
                case "--extract-protocol": extract = Value(); break;
                case "--fail-on-function-errors": failOnFunctionErrors = true; break;
                case "--help" or "-h": throw new ArgumentException(Usage);
                default: throw new ArgumentException($"Unknown argument '{args[i]}'.\n{Usage}");
            }
        }
        if (app is null) throw new ArgumentException($"--app is required.\n{Usage}");
        return new HostArguments(Path.GetFullPath(app), port, settings is null ? null : Path.GetFullPath(settings), startupTimeout, extract, failOnFunctionErrors);
    }
}
