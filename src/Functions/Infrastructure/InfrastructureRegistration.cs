using Azure.Identity;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoursePlatform.Functions.Infrastructure;

public static class InfrastructureRegistration
{
    /// <summary>The plumbing every feature shares: options, the database, blob storage, tokens, course access, rate limits, the chat model.</summary>
    public static IServiceCollection AddPlatformInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<UnresolvedSettings>();
        services.AddHostedService<UnresolvedSettingsReport>();

        services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);
        services.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        services.AddValidatedOptions<HttpOptions>(HttpOptions.Section);

        // One data source for the context and the ingestion lease connections, so both sign in the same way
        // (password, or the identity's Entra ID token refreshed in the background).
        services.AddSingleton(sp =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            var passwords = database.Authentication == DatabaseAuthentication.EntraId
                ? sp.GetService<IDatabasePasswordSource>() ?? new EntraIdPasswordSource(new DefaultAzureCredential())
                : null;
            return DatabaseDataSource.Build(database.ConnectionString, passwords, TimeSpan.FromSeconds(database.PasswordRefreshSeconds),
                sp.GetService<ILoggerFactory>());
        });
        services.AddDbContextPool<CoursePlatformDbContext>((sp, options) =>
            options.UseCoursePlatformDatabase(sp.GetRequiredService<NpgsqlDataSource>()));

        // One storage account serves the Functions host and the lesson uploads: a connection string
        // locally, AzureWebJobsStorage__blobServiceUri with the managed identity in Azure.
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(configuration.GetSection("AzureWebJobsStorage"));
            clients.UseCredential(new DefaultAzureCredential());
        });

        services.AddSingleton<AccessTokens>();
        services.AddSingleton<ClientAddress>();
        services.AddScoped<RateLimiter>();
        services.AddScoped<AuditScope>();
        services.AddChatModel(configuration);
        return services;
    }

    /// <summary>Options bound from their section and validated at start-up.</summary>
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions>(this IServiceCollection services, string section) where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
