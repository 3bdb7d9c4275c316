using System.Reflection;

namespace CoursePlatform.Testing;

/// <summary>Build outputs of the host and the worker apps, for the configuration the tests were built in.</summary>
public static class Paths
{
    public static string Configuration { get; } =
        typeof(Paths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "Configuration").Value!;

    public static string RepositoryRoot { get; } = FindRoot();

    public static string HostDll => Path.Combine(RepositoryRoot, "tools", "FunctionsHost", "bin", Configuration, "net10.0", "CoursePlatform.FunctionsHost.dll");

    public static string FunctionsApp => Path.Combine(RepositoryRoot, "src", "Functions", "bin", Configuration, "net10.0");

    public static string FixtureApp => Path.Combine(RepositoryRoot, "tests", "FunctionsHost.FixtureApp", "bin", Configuration, "net10.0");

    /// <summary>
    /// Where tests leave files for people to look at (screenshots, generated documents): <c>.local/test-results</c>,
    /// the folder test.sh collects its TRX files in.
    /// </summary>
    public static string TestResults(string subfolder)
    {
        var folder = Path.Combine(RepositoryRoot, ".local", "test-results", subfolder);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>The pinned npm tools of the OpenAPI checks (tools/openapi, installed by scripts/install-openapi-tools.sh).</summary>
    public static string OpenApiTools => Path.Combine(RepositoryRoot, "tools", "openapi");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CoursePlatform.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("CoursePlatform.sln not found above " + AppContext.BaseDirectory);
    }
}
