using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Features.Auth;

/// <summary>
/// App settings <c>Google__*</c>: the OpenID Connect provider learners sign in with. The endpoints come
/// from the authority's discovery document, so tests and <c>./run.sh</c> point it at a local stand-in.
/// </summary>
public sealed class GoogleOptions
{
    public const string Section = "Google";

    /// <summary>The issuer, e.g. <c>https://accounts.google.com</c>.</summary>
    [Required, Url] public string Authority { get; set; } = "https://accounts.google.com";
    [Required] public string ClientId { get; set; } = "";
    /// <summary>In Azure a Key Vault reference.</summary>
    [Required] public string ClientSecret { get; set; } = "";
    /// <summary>This app's callback as registered at the provider, e.g. <c>https://api.example.com/api/auth/google/callback</c>.</summary>
    [Required, Url] public string CallbackUrl { get; set; } = "";
    /// <summary>Comma-separated frontend origins the sign-in may return to (e.g. <c>http://localhost:5173</c>).</summary>
    [Required] public string AllowedRedirectOrigins { get; set; } = "";
    /// <summary>
    /// The frontend page a failed sign-in returns to when its start is unknown (a stale, forged or foreign callback),
    /// e.g. <c>https://learn.example.com/</c>; on one of <see cref="AllowedRedirectOrigins"/>. Empty: the first allowed
    /// origin's root.
    /// </summary>
    public string DefaultFrontendUrl { get; set; } = "";
    [Range(1, 30)] public int LoginStateMinutes { get; set; } = 10;
    [Range(10, 300)] public int LoginCodeSeconds { get; set; } = 60;

    public IReadOnlySet<string> RedirectOrigins() =>
        AllowedRedirectOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(o => o.TrimEnd('/').ToLowerInvariant()).ToHashSet();

    /// <summary>Whether the app runs in Development (AZURE_FUNCTIONS_ENVIRONMENT, else DOTNET_ENVIRONMENT).</summary>
    public static bool IsDevelopment(IConfiguration configuration) =>
        string.Equals(configuration?["AZURE_FUNCTIONS_ENVIRONMENT"] ?? configuration?["DOTNET_ENVIRONMENT"], "Development", StringComparison.OrdinalIgnoreCase);

    /// <summary>Where a sign-in whose start is unknown goes back to: <see cref="DefaultFrontendUrl"/>, else the first allowed origin.</summary>
    public Uri DefaultFrontend() =>
        new(string.IsNullOrWhiteSpace(DefaultFrontendUrl) ? AllowedRedirectOrigins.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0].TrimEnd('/') + "/" : DefaultFrontendUrl.Trim());

    public bool AuthorityIsLoopback() => Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && uri.IsLoopback;
}

/// <summary>A loopback authority is a local stand-in: allowed in Development only, so production can never trust one.</summary>
public sealed class GoogleOptionsValidator(IConfiguration configuration) : IValidateOptions<GoogleOptions>
{
    public ValidateOptionsResult Validate(string? name, GoogleOptions options)
    {
        var environment = configuration["AZURE_FUNCTIONS_ENVIRONMENT"] ?? configuration["DOTNET_ENVIRONMENT"] ?? "Production";
        if (options.AuthorityIsLoopback() && !GoogleOptions.IsDevelopment(configuration))
            return ValidateOptionsResult.Fail($"Google:Authority {options.Authority} is a loopback stand-in; it is allowed only in Development (environment is {environment}).");
        if (options.RedirectOrigins().Count == 0)
            return ValidateOptionsResult.Fail("Google:AllowedRedirectOrigins must name at least one frontend origin.");
        if (!string.IsNullOrWhiteSpace(options.DefaultFrontendUrl)
            && (!Uri.TryCreate(options.DefaultFrontendUrl.Trim(), UriKind.Absolute, out var frontend)
                || !options.RedirectOrigins().Contains(frontend.GetLeftPart(UriPartial.Authority).ToLowerInvariant())))
            return ValidateOptionsResult.Fail($"Google:DefaultFrontendUrl {options.DefaultFrontendUrl} must be an absolute URL on one of Google:AllowedRedirectOrigins.");
        return ValidateOptionsResult.Success;
    }
}
