using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CoursePlatform.Functions.Infrastructure.Telemetry;

/// <summary>
/// The worker's own telemetry (invocations, PostgreSQL and Blob Storage calls, exceptions, logs) to Application Insights
/// through OpenTelemetry and the Azure Monitor exporter, on only when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set.
/// OpenTelemetry rather than the Application Insights SDK: Npgsql reports its commands on an ActivitySource, which
/// only an OpenTelemetry listener sees. The host joins the same trace (host.json <c>telemetryMode</c>), so the trace id
/// in a problem response is the operation id Application Insights files the request under.
/// </summary>
public static class TelemetryRegistration
{
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The platform's setting for Entra ID ingestion: <c>Authorization=AAD;ClientId=&lt;user-assigned identity&gt;</c>.</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>Share of successful traces kept (<c>Telemetry__SamplingRatio</c>, 0 to 1); failed ones are always kept.</summary>
    public const string SamplingRatioSetting = "Telemetry:SamplingRatio";

    public static IServiceCollection AddWorkerTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var connectionString = configuration[ConnectionStringSetting];
        if (string.IsNullOrWhiteSpace(connectionString)) return services;
        var ratio = configuration.GetValue(SamplingRatioSetting, 1.0);
        if (ratio is < 0 or > 1) throw new InvalidOperationException($"{SamplingRatioSetting} must be between 0 and 1, not {ratio}.");

        // The Azure SDK reports its calls (Blob Storage) on ActivitySources only behind this switch.
        AppContext.SetSwitch("Azure.Experimental.EnableActivitySource", true);
        services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            // Before the exporter's processor, so a failed trace is marked for export before the exporter looks.
            .WithTracing(tracing => tracing
                .AddSource("Azure.*")
                .AddNpgsql()
                .AddProcessor(new KeepFailuresProcessor()))
            .UseAzureMonitorExporter(exporter =>
            {
                exporter.ConnectionString = connectionString;
                exporter.Credential = Credential(configuration[AuthenticationStringSetting]);
            })
            // After the exporter's set-up, which installs its own ratio sampler: this one also records what it drops.
            .WithTracing(tracing => tracing.SetSampler(new KeepFailuresSampler(ratio)));
        return services;
    }

    /// <summary>Entra ID when the platform's authentication string asks for it (the app's identity has Monitoring Metrics Publisher).</summary>
    private static ManagedIdentityCredential? Credential(string? authenticationString)
    {
        var parts = (authenticationString ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !authorization.Equals("AAD", StringComparison.OrdinalIgnoreCase)) return null;
        return parts.TryGetValue("ClientId", out var clientId) ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId)) : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
