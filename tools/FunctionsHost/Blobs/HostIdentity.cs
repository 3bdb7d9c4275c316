using System.Text;
using CoursePlatform.FunctionsHost.Configuration;

namespace CoursePlatform.FunctionsHost.Blobs;

/// <summary>
/// The host id that scopes blob receipts: the AzureFunctionsJobHost__id setting if set, else derived from the
/// worker assembly name, so it stays the same across restarts of the same app.
/// </summary>
public sealed class HostIdentity(HostArguments arguments, AppSettings settings)
{
    public string HostId { get; } = Sanitize(
        settings["AzureFunctionsJobHost__id"] ?? settings["AzureFunctionsJobHost:id"]
        ?? Path.GetFileNameWithoutExtension(Directory.EnumerateFiles(arguments.AppDirectory, "*.deps.json").FirstOrDefault() ?? "local")
            .Replace(".deps", "", StringComparison.Ordinal));

    private static string Sanitize(string id)
    {
        var builder = new StringBuilder();
        foreach (var c in id.ToLowerInvariant()) builder.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        var result = builder.ToString().Trim('-');
        return result.Length > 32 ? result[..32].Trim('-') : result;
    }
}
