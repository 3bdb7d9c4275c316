using System.Diagnostics;
using System.Text.RegularExpressions;

namespace CoursePlatform.Infra.Tests;

/// <summary>
/// The azd hooks of azure.yaml: every one exists for POSIX sh and for PowerShell, the sh scripts are executable
/// (in the work tree and in git) and parse, the twins read the same environment values, and every value a hook
/// requires is an output of main.bicep (azd turns outputs into environment values). What the migration hook does
/// is exercised against the local database by MigrationHookTests (CoursePlatform.Data.Tests).
/// </summary>
public sealed partial class HookScriptTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private static readonly string ScriptsDirectory = Path.Combine(BicepCli.InfraDirectory, "scripts");

    /// <summary>(event, platform, shell, run) of every hook in azure.yaml.</summary>
    private static List<(string Event, string Platform, string Shell, string Run)> Hooks()
    {
        var hooks = new List<(string, string, string, string)>();
        string? hookEvent = null, platform = null, shell = null;
        var inHooks = false;
        foreach (var line in File.ReadAllLines(Path.Combine(BicepCli.RepoRoot, "azure.yaml")))
        {
            if (line.StartsWith("hooks:", StringComparison.Ordinal)) { inHooks = true; continue; }
            if (!inHooks || line.TrimStart().StartsWith('#') || line.Trim().Length == 0) continue;
            if (!line.StartsWith(' ')) break;
            var indent = line.Length - line.TrimStart().Length;
            var text = line.Trim();
            if (indent == 2) hookEvent = text.TrimEnd(':');
            else if (indent == 4) platform = text.TrimEnd(':');
            else if (text.StartsWith("shell:", StringComparison.Ordinal)) shell = text["shell:".Length..].Trim();
            else if (text.StartsWith("run:", StringComparison.Ordinal)) hooks.Add((hookEvent!, platform!, shell!, text["run:".Length..].Trim()));
        }
        return hooks;
    }

    [Fact]
    public void Every_hook_has_a_posix_sh_and_a_powershell_script_that_exist()
    {
        var hooks = Hooks();
        Assert.Equal(["preprovision", "postprovision", "postdeploy"], hooks.Select(h => h.Event).Distinct());
        foreach (var group in hooks.GroupBy(h => h.Event))
        {
            var posix = Assert.Single(group, h => h.Platform == "posix");
            var windows = Assert.Single(group, h => h.Platform == "windows");
            Assert.Equal(("sh", ".sh"), (posix.Shell, Path.GetExtension(posix.Run)));
            Assert.Equal(("pwsh", ".ps1"), (windows.Shell, Path.GetExtension(windows.Run)));
            Assert.Equal(Path.ChangeExtension(posix.Run, null), Path.ChangeExtension(windows.Run, null));
            foreach (var hook in group)
                Assert.True(File.Exists(Path.Combine(BicepCli.RepoRoot, hook.Run)), $"{hook.Event}/{hook.Platform}: {hook.Run} does not exist");
        }
    }

    [Fact]
    public void Sh_scripts_are_executable_posix_scripts_that_parse()
    {
        var scripts = Directory.GetFiles(ScriptsDirectory, "*.sh");
        Assert.Contains(scripts, s => s.EndsWith("migrate-database.sh", StringComparison.Ordinal));
        foreach (var script in scripts)
        {
            var text = File.ReadAllText(script);
            Assert.StartsWith("#!/bin/sh\n", text, StringComparison.Ordinal);
            Assert.Contains("\nset -eu\n", text, StringComparison.Ordinal);
            if (!OperatingSystem.IsWindows())
                Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, $"{script} is not executable");
            var (exit, output) = Run("sh", "-n", script);
            Assert.True(exit == 0, $"sh -n {script}: {output}");
            Assert.True(File.Exists(Path.ChangeExtension(script, ".ps1")), $"{script} has no PowerShell twin");
        }

        // The executable bit must also be what git stores, or a fresh clone cannot run the hooks.
        var (gitExit, index) = Run("git", "-C", BicepCli.RepoRoot, "ls-files", "-s", "--", "infra/bicep/scripts");
        if (gitExit != 0) return; // not a git checkout (a source archive): the file mode check above stands
        foreach (var line in index.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.EndsWith(".sh", StringComparison.Ordinal)))
            Assert.StartsWith("100755 ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void PowerShell_twins_stop_on_errors_and_read_the_same_values_as_the_sh_scripts()
    {
        foreach (var script in Directory.GetFiles(ScriptsDirectory, "*.ps1"))
        {
            var ps = File.ReadAllText(script);
            Assert.Contains("$ErrorActionPreference = 'Stop'", ps, StringComparison.Ordinal);
            var sh = File.ReadAllText(Path.ChangeExtension(script, ".sh"));
            var shNames = EnvironmentName().Matches(sh).Select(m => m.Value).ToHashSet();
            var psNames = EnvironmentName().Matches(ps).Select(m => m.Value).ToHashSet();
            Assert.True(shNames.SetEquals(psNames),
                $"{Path.GetFileName(script)} and its .sh twin read different values: only sh {string.Join(", ", shNames.Except(psNames))}; only ps1 {string.Join(", ", psNames.Except(shNames))}");
        }
    }

    [Fact]
    public void Every_value_a_hook_requires_is_an_output_of_the_template()
    {
        var outputs = compiled.Template["outputs"]!.AsObject().Select(p => p.Key).ToHashSet();
        var required = Directory.GetFiles(ScriptsDirectory, "*.sh")
            .SelectMany(f => RequiredVariable().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Name: m.Groups[1].Value)))
            .ToList();
        Assert.Contains(required, r => r.Name == "POSTGRES_ENTRA_ADMIN_NAME");
        foreach (var (file, name) in required)
            Assert.True(outputs.Contains(name), $"{file} requires {name}, which main.bicep does not output");

        // Optional values the migration hook reads from outputs when present.
        foreach (var name in new[] { "POSTGRES_APP_ROLE", "AZURE_MANAGED_IDENTITY_PRINCIPAL_ID", "AZURE_FUNCTION_APP_NAME" })
            Assert.Contains(name, outputs);
    }

    [Fact]
    public void The_migration_hook_closes_the_firewall_on_every_exit_and_documents_the_local_switch()
    {
        var sh = File.ReadAllText(Path.Combine(ScriptsDirectory, "migrate-database.sh"));
        Assert.Contains("trap cleanup EXIT", sh, StringComparison.Ordinal);
        Assert.Contains("firewall-rule delete", sh, StringComparison.Ordinal);
        Assert.Contains("--local", sh, StringComparison.Ordinal);
        var ps = File.ReadAllText(Path.Combine(ScriptsDirectory, "migrate-database.ps1"));
        Assert.Contains("finally {", ps, StringComparison.Ordinal);
        Assert.Contains("firewall-rule delete", ps, StringComparison.Ordinal);
        Assert.Contains("[switch] $Local", ps, StringComparison.Ordinal);
        var readme = File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "README.md"));
        Assert.Contains("migrate-database.sh --local", readme, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output) Run(string file, params string[] arguments)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output.Result + error);
    }

    [GeneratedRegex(@"\b(?:AZURE|POSTGRES|MIGRATE|EVENT_GRID|HEALTH|RETRY|MIGRATIONS|APP_DB)_[A-Z_]+\b")]
    private static partial Regex EnvironmentName();

    [GeneratedRegex(@":\s+""\$\{([A-Z_]+):\?")]
    private static partial Regex RequiredVariable();
}
