using System.Security.Cryptography;
using System.Text;
using CoursePlatform.FunctionsHost.Configuration;

namespace CoursePlatform.FunctionsHost.Http;

/// <summary>
/// Keys for <c>Function</c> and <c>Admin</c> auth levels. Set them with the app settings
/// <c>FunctionsHost:FunctionKey</c> / <c>FunctionsHost:MasterKey</c> (or <c>FunctionsHost__...</c> in the
/// environment); a missing function key is generated at start and printed, as the real host creates a default key.
/// Callers pass a key as <c>?code=</c> or in the <c>x-functions-key</c> header, as in Azure.
/// </summary>
public sealed class FunctionKeys
{
    public FunctionKeys(AppSettings settings)
    {
        MasterKey = Setting(settings, "MasterKey");
        FunctionKey = Setting(settings, "FunctionKey") ?? Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');
    }

    public string FunctionKey { get; }
    public string? MasterKey { get; }

    /// <summary>Anonymous: always; Function: the function or master key; Admin/System: the master key.</summary>
    public bool Allows(string? authLevel, HttpRequest request)
    {
        var level = (authLevel ?? "function").ToUpperInvariant();
        if (level == "ANONYMOUS") return true;
        var presented = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
        if (presented is null) return false;
        return Matches(presented, MasterKey) || (level == "FUNCTION" && Matches(presented, FunctionKey));
    }

    /// <summary>Admin endpoints (run a function now, Event Grid webhook) need the master key only when one is configured.</summary>
    public bool AllowsAdmin(HttpRequest request) => MasterKey is null || Allows("admin", request);

    private static bool Matches(string presented, string? key) =>
        key is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));

    private static string? Setting(AppSettings settings, string name) =>
        settings["FunctionsHost:" + name] ?? settings["FunctionsHost__" + name];
}
