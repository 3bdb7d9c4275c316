using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>
/// App settings whose value is still the literal <c>@Microsoft.KeyVault(...)</c> text. The platform puts that text
/// in the environment when it cannot resolve the reference, typically on the first start after a deployment
/// while the identity's Key Vault role is still propagating
/// (https://learn.microsoft.com/azure/app-service/app-service-key-vault-references). The worker cannot fetch the
/// value itself and the environment does not change under a running process, so it stays up, reports the setting
/// by name (log and health, 503) instead of failing validation with a misleading "not base64" message and dying;
/// a restart once the role works (the azd hook restarts the app and waits for health) resolves it.
/// </summary>
public sealed class UnresolvedSettings
{
    private const string Marker = "@Microsoft.KeyVault(";

    public UnresolvedSettings(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        Keys = configuration.AsEnumerable()
            .Where(p => IsKeyVaultReference(p.Value))
            .Select(p => p.Key.Replace(":", "__", StringComparison.Ordinal))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Setting names in their app-setting form (<c>Auth__SigningKey</c>).</summary>
    public IReadOnlyList<string> Keys { get; }

    public static bool IsKeyVaultReference(string? value) =>
        value is not null && value.TrimStart().StartsWith(Marker, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Says at start-up, once and loudly, which settings are unresolved Key Vault references and what fixes it.</summary>
internal sealed class UnresolvedSettingsReport(UnresolvedSettings settings, ILogger<UnresolvedSettings> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (settings.Keys.Count > 0)
            logger.LogCritical(
                "Unresolved Key Vault reference in {Settings}: the platform could not read the secret (the identity's Key Vault Secrets User role may still be propagating, or the secret is missing). " +
                "Health answers 503 until the app is restarted with the reference resolved (az functionapp restart); see infra/bicep/README.md",
                string.Join(", ", settings.Keys));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
