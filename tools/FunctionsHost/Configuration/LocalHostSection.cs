using System.Text.Json;

namespace CoursePlatform.FunctionsHost.Configuration;

/// <summary>
/// local.settings.json's <c>Host</c> section: <c>LocalHttpPort</c> (used when --port is not given) and
/// <c>CORS</c> / <c>CORSCredentials</c> (allowed origins, comma-separated), as Core Tools applies them.
/// </summary>
public sealed record LocalHostSection(int? LocalHttpPort, IReadOnlyList<string> CorsOrigins, bool CorsCredentials)
{
    public static LocalHostSection Parse(JsonElement host)
    {
        int? port = host.TryGetProperty(nameof(LocalHttpPort), out var p) && p.TryGetInt32(out var value) ? value : null;
        var origins = host.TryGetProperty("CORS", out var cors) && cors.ValueKind == JsonValueKind.String
            ? cors.GetString()!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : [];
        var credentials = host.TryGetProperty("CORSCredentials", out var c) && c.ValueKind == JsonValueKind.True;
        return new LocalHostSection(port, origins, credentials);
    }
}
