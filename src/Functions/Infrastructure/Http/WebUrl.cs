using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>
/// An absolute http(s) URL with a host: what a link, a thumbnail or a video may be (never <c>javascript:</c>). On a
/// request property it is validated; the OpenAPI schema says <c>format: uri</c> and <see cref="Pattern"/> wherever it
/// stands: on a response property the code only ever writes such a URL (or null), on a list each item is one (the list's
/// service checks the items, each error under its index, so the attribute itself passes a list).
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WebUrlAttribute() : ValidationAttribute("Must be an absolute http or https URL.")
{
    /// <summary>The schema's pattern: http or https in any case, then <c>://</c> and a host (format <c>uri</c> says the rest).</summary>
    public const string Pattern = "^[Hh][Tt][Tt][Pp][Ss]?://[^/?#]";

    public override bool IsValid(object? value) => value is not string text || IsWebUrl(text);

    // As written, not only as Uri reads it: Uri trims and may take "https:host" or "//host" for something else.
    public static bool IsWebUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0
        && value.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase);
}
