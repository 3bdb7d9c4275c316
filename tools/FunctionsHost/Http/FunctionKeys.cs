using System.Security.Cryptography;
using System.Text;
using CoursePlatform.FunctionsHost.Configuration;

namespace CoursePlatform.FunctionsHost.Http;

/// <summary>
/// Keys for <c>Function</c> and <c>Admin</c> auth levels. Set them with the app settings
/// <c>FunctionsHost:FunctionKey</c> / <c>FunctionsHost:MasterKey</c> (or <c>FunctionsHost__...</c> in the
/// environment); a missing key is generated at start and printed, as the real host creates its default and master keys.
/// Callers pass a key in the <c>x-functions-key</c> header or as <c>?code=</c> (the header wins), as in Azure
/// (<c>AuthenticationLevelHandler</c> in Azure/azure-functions-host).
/// </summary>
public sealed class FunctionKeys
{
    public FunctionKeys(AppSettings settings)
    {
        var configured = Setting(settings, "MasterKey");
        MasterKeyConfigured = configured is not null;
        MasterKey = configured ?? NewKey();
        FunctionKey = Setting(settings, "FunctionKey") ?? NewKey();
    }

    public string FunctionKey { get; }
    public string MasterKey { get; }
    /// <summary>False when the master key was generated at start (printed, and different each run).</summary>
    public bool MasterKeyConfigured { get; }

    /// <summary>Anonymous: always; Function: the function or master key; Admin/System: the master key.</summary>
    public bool Allows(string? authLevel, HttpRequest request)
    {
        var level = (authLevel ?? "function").ToUpperInvariant();
        if (level == "ANONYMOUS") return true;
        var presented = Presented(request);
        if (presented is null) return false;
        return Matches(presented, MasterKey) || (level == "FUNCTION" && Matches(presented, FunctionKey));
    }

    /// <summary>
    /// <c>/admin/*</c> needs the master key, always, as the real host's <c>AdminAuthLevel</c> policy: a local host that
    /// answered without it would hide a missing key from the scripts and tests that run against it.
    /// </summary>
    public bool AllowsAdmin(HttpRequest request) => Allows("admin", request);

    /// <summary>
    /// The Event Grid webhook needs the master key when one is configured (Azure wants the blobs extension's system
    /// key there; nothing on a laptop holds one).
    /// </summary>
    public bool AllowsWebhook(HttpRequest request) => !MasterKeyConfigured || Allows("admin", request);

    private static string? Presented(HttpRequest request) =>
        request.Headers["x-functions-key"].FirstOrDefault() is { Length: > 0 } header ? header : request.Query["code"].FirstOrDefault();

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');

    private static bool Matches(string presented, string? key) =>
        key is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(key));

    private static string? Setting(AppSettings settings, string name) =>
        settings["FunctionsHost:" + name] ?? settings["FunctionsHost__" + name];
}
