using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>An absolute http(s) URL with a host: what a link, a thumbnail or a video may be (never <c>javascript:</c>).</summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class WebUrlAttribute() : ValidationAttribute("Must be an absolute http or https URL.")
{
    public override bool IsValid(object? value) => value is null || value is string text && IsWebUrl(text);

    // As written, not only as Uri reads it: Uri trims and may take "https:host" or "//host" for something else.
    public static bool IsWebUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && uri.Host.Length > 0
        && value.StartsWith(uri.Scheme + "://", StringComparison.OrdinalIgnoreCase);
}
