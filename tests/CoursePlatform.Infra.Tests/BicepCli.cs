using System.Diagnostics;
using System.Reflection;
using System.Text.Json.Nodes;

namespace CoursePlatform.Infra.Tests;

/// <summary>Runs the Bicep CLI restored from NuGet (Azure.Bicep.CommandLine.linux-x64).</summary>
public static class BicepCli
{
    public sealed record Result(int ExitCode, string Output)
    {
        /// <summary>Diagnostic lines ("file(line,col) : Warning rule: text" / ": Error ").</summary>
        public IReadOnlyList<string> Diagnostics(string level) =>
            Output.Split('\n').Where(l => l.Contains($" : {level} ", StringComparison.Ordinal)).Select(l => l.Trim()).ToList();
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    public static string InfraDirectory => Path.Combine(RepoRoot, "infra", "bicep");

    /// <summary>Placeholders for the secrets example.bicepparam reads from the environment.</summary>
    public static IReadOnlyDictionary<string, string> ExampleEnvironment { get; } = new Dictionary<string, string>
    {
        ["GOOGLE_CLIENT_SECRET"] = "placeholder-google-client-secret",
        ["AUTH_SIGNING_KEY"] = Convert.ToBase64String(new byte[48]),
        ["POSTGRES_ADMIN_PASSWORD"] = "placeholder-Password-1",
        ["PG_ADMIN_OBJECT_ID"] = "00000000-0000-0000-0000-000000000001",
        ["PG_ADMIN_NAME"] = "deployer@example.com",
        ["STRIPE_SECRET_KEY"] = "sk_test_placeholder",
        ["STRIPE_WEBHOOK_SECRET"] = "whsec_placeholder",
    };

    public static string ExecutablePath
    {
        get
        {
            if (!OperatingSystem.IsLinux() || System.Runtime.InteropServices.RuntimeInformation.OSArchitecture != System.Runtime.InteropServices.Architecture.X64)
                throw new PlatformNotSupportedException("The Bicep CLI package used here is linux-x64 only.");
            var packageDirectory = typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "BicepPackageDirectory").Value;
            if (string.IsNullOrEmpty(packageDirectory))
                throw new InvalidOperationException("BicepPackageDirectory is empty: was Azure.Bicep.CommandLine.linux-x64 restored?");
            var path = Path.Combine(packageDirectory, "tools", "bicep");
            if (!File.Exists(path))
                throw new FileNotFoundException("Bicep CLI missing from its package folder.", path);
            var mode = File.GetUnixFileMode(path);
            if ((mode & UnixFileMode.UserExecute) == 0)
                File.SetUnixFileMode(path, mode | UnixFileMode.UserExecute);
            return path;
        }
    }

    public static Result Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(ExecutablePath)
        {
            WorkingDirectory = InfraDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
            start.ArgumentList.Add(argument);
        foreach (var (name, value) in ExampleEnvironment)
            start.Environment[name] = value;
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish in 5 minutes");
        }
        return new Result(process.ExitCode, stdout.Result + stderr.Result);
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoursePlatform.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("CoursePlatform.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Compiles main.bicep once for all tests of a class and keeps the ARM JSON.</summary>
public sealed class CompiledTemplate : IDisposable
{
    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "cp-bicep-" + Guid.NewGuid().ToString("N"));

    public CompiledTemplate()
    {
        Directory.CreateDirectory(_outputDirectory);
        var outFile = Path.Combine(_outputDirectory, "main.json");
        Build = BicepCli.Run("build", "main.bicep", "--outfile", outFile);
        Template = File.Exists(outFile)
            ? JsonNode.Parse(File.ReadAllText(outFile))!.AsObject()
            : new JsonObject();
    }

    public BicepCli.Result Build { get; }

    public JsonObject Template { get; }

    /// <summary>Every resource of the template and of its nested module templates, with the template declaring it.</summary>
    public IEnumerable<(JsonObject Resource, JsonObject Template)> Resources() => ResourcesOf(Template);

    public IEnumerable<JsonObject> ResourcesOfType(string type) =>
        Resources().Where(r => string.Equals((string?)r.Resource["type"], type, StringComparison.OrdinalIgnoreCase)).Select(r => r.Resource);

    public JsonObject OnlyOfType(string type) => Assert.Single(ResourcesOfType(type));

    private static readonly System.Text.Json.JsonSerializerOptions Unescaped = new()
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>JSON text of a node without \u0027 escapes, so ARM expressions read as written.</summary>
    public static string Text(JsonNode? node) => node?.ToJsonString(Unescaped) ?? "";

    private static IEnumerable<(JsonObject, JsonObject)> ResourcesOf(JsonObject template)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.OfType<JsonObject>(),
            JsonObject symbolic => symbolic.Select(p => p.Value).OfType<JsonObject>(),
            _ => [],
        };
        foreach (var resource in resources)
        {
            yield return (resource, template);
            if ((string?)resource["type"] == "Microsoft.Resources/deployments" && resource["properties"]?["template"] is JsonObject nested)
            {
                foreach (var inner in ResourcesOf(nested))
                    yield return inner;
            }
        }
    }

    public void Dispose()
    {
        try { Directory.Delete(_outputDirectory, recursive: true); } catch (IOException) { }
    }
}
