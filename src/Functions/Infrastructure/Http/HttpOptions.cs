using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>App settings <c>Http__*</c>.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Largest JSON body accepted; larger ones get 413 before they are parsed.</summary>
    [Range(1024, 100 * 1024 * 1024)] public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// How many proxies in front of the app append to <c>X-Forwarded-For</c> (Azure's front end: 1; add one for
    /// Front Door or an Application Gateway). The client's address is the entry this many places from the right.
    /// </summary>
    [Range(1, 5)] public int TrustedProxyHops { get; set; } = 1;
}
