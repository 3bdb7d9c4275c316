using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>App settings <c>Http__*</c>.</summary>
public sealed class HttpOptions
{
    public const string Section = "Http";

    /// <summary>Largest JSON body accepted; larger ones get 413 before they are parsed.</summary>
    [Range(1024, 100 * 1024 * 1024)] public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}
