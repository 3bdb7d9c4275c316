using System.Diagnostics;

namespace CoursePlatform.Infra.Tests;

/// <summary>
/// The postdeploy hook (postdeploy.sh → subscribe-blob-events.sh) run for real with stub <c>az</c> and <c>curl</c> on
/// PATH (no Azure here): it restarts the app while health names an unresolved Key Vault reference, retries the
/// Event Grid subscription when the validation handshake fails, and starts the content re-scan once.
/// </summary>
public sealed class PostDeployHookTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cp-postdeploy").FullName;

    public PostDeployHookTests()
    {
        var bin = Path.Combine(_directory, "bin");
        Directory.CreateDirectory(bin);
        // az: records calls; "deployment group create" fails the first $AZ_DEPLOY_FAILS times (a failed handshake).
        Write(Path.Combine(bin, "az"), """
            #!/bin/sh
            echo "az $*" >> "$STUB_LOG"
            case "$*" in
              *"systemKeys.blobs_extension"*) echo bx-key ;;
              *"masterKey"*) echo master-key ;;
              "functionapp show"*) echo func-test.azurewebsites.net ;;
              "deployment group create"*)
                n=$(cat "$STUB_DIR/deploys" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$STUB_DIR/deploys"
                [ "$n" -gt "${AZ_DEPLOY_FAILS:-0}" ] || { echo "validation handshake failed" >&2; exit 1; } ;;
            esac
            exit 0
            """);
        // curl: records the URL; health answers from $HEALTH_ANSWERS ("503|body;200|body"), one entry per call.
        Write(Path.Combine(bin, "curl"), """
            #!/bin/sh
            out=/dev/null; url=
            while [ $# -gt 0 ]; do
              case "$1" in
                -o) out=$2; shift ;;
                https://*) url=$1 ;;
              esac
              shift
            done
            echo "curl $url" >> "$STUB_LOG"
            case "$url" in
              */api/health)
                n=$(cat "$STUB_DIR/health" 2>/dev/null || echo 0); n=$((n + 1)); echo "$n" > "$STUB_DIR/health"
                answer=$(echo "$HEALTH_ANSWERS" | tr ';' '\n' | sed -n "${n}p")
                [ -n "$answer" ] || answer=$(echo "$HEALTH_ANSWERS" | tr ';' '\n' | tail -n 1)
                printf '%s' "${answer#*|}" > "$out"; printf '%s' "${answer%%|*}" ;;
              */admin/functions/RescanCourseContent) printf 202 ;;
              *) printf 404 ;;
            esac
            """);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void Restarts_while_a_key_vault_reference_is_unresolved_then_subscribes_with_retries_and_starts_the_rescan()
    {
        var (exit, output, calls) = Run(new Dictionary<string, string>
        {
            ["HEALTH_ANSWERS"] = "503|{\"status\":\"unhealthy\",\"settings\":\"unresolved Key Vault reference: Auth__SigningKey\"};200|{\"status\":\"healthy\"}",
            ["AZ_DEPLOY_FAILS"] = "2",
        });

        Assert.True(exit == 0, output);
        Assert.Equal(
        [
            "az functionapp show --resource-group rg-test --name func-test --query defaultHostName --output tsv",
            "curl https://func-test.azurewebsites.net/api/health",
            "az functionapp restart --resource-group rg-test --name func-test --output none",
            "curl https://func-test.azurewebsites.net/api/health",
            "az functionapp keys list -g rg-test -n func-test --query systemKeys.blobs_extension -o tsv",
        ], calls.Take(5));
        Assert.Equal(3, calls.Count(c => c.StartsWith("az deployment group create", StringComparison.Ordinal)));
        Assert.Equal("curl https://func-test.azurewebsites.net/admin/functions/RescanCourseContent", calls[^1]);
        Assert.Contains("Content re-scan started", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Gives_up_when_the_handshake_keeps_failing_and_never_starts_the_rescan()
    {
        var (exit, output, calls) = Run(new Dictionary<string, string>
        {
            ["HEALTH_ANSWERS"] = "200|{\"status\":\"healthy\"}",
            ["AZ_DEPLOY_FAILS"] = "99",
        });

        Assert.NotEqual(0, exit);
        Assert.Contains("could not be created after 5 attempts", output, StringComparison.Ordinal);
        Assert.Equal(5, calls.Count(c => c.StartsWith("az deployment group create", StringComparison.Ordinal)));
        Assert.DoesNotContain(calls, c => c.Contains("RescanCourseContent", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.Contains("restart", StringComparison.Ordinal));
    }

    [Fact]
    public void Fails_with_the_health_body_when_the_app_never_gets_healthy_restarting_at_most_three_times()
    {
        var (exit, output, calls) = Run(new Dictionary<string, string>
        {
            ["HEALTH_ANSWERS"] = "503|{\"settings\":\"unresolved Key Vault reference: Google__ClientSecret\"}",
            ["HEALTH_ATTEMPTS"] = "6",
        });

        Assert.NotEqual(0, exit);
        Assert.Contains("unresolved Key Vault reference: Google__ClientSecret", output, StringComparison.Ordinal);
        Assert.Equal(3, calls.Count(c => c.StartsWith("az functionapp restart", StringComparison.Ordinal)));
        Assert.DoesNotContain(calls, c => c.StartsWith("az deployment", StringComparison.Ordinal));
    }

    private (int ExitCode, string Output, List<string> Calls) Run(Dictionary<string, string> environment)
    {
        var log = Path.Combine(_directory, "calls.log");
        var start = new ProcessStartInfo("sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(BicepCli.InfraDirectory, "scripts", "postdeploy.sh"));
        start.Environment["PATH"] = Path.Combine(_directory, "bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        start.Environment["STUB_LOG"] = log;
        start.Environment["STUB_DIR"] = _directory;
        start.Environment["AZURE_RESOURCE_GROUP"] = "rg-test";
        start.Environment["AZURE_FUNCTION_APP_NAME"] = "func-test";
        start.Environment["EVENT_GRID_SYSTEM_TOPIC_NAME"] = "evgt-test";
        start.Environment["HEALTH_DELAY_SECONDS"] = "0";
        start.Environment["RETRY_DELAY_SECONDS"] = "0";
        foreach (var (key, value) in environment) start.Environment[key] = value;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(1)), "postdeploy.sh did not finish");
        return (process.ExitCode, stdout.Result + stderr, File.Exists(log) ? [.. File.ReadAllLines(log)] : []);
    }

    private static void Write(string path, string script)
    {
        File.WriteAllText(path, script.Replace("\r", "", StringComparison.Ordinal) + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}
