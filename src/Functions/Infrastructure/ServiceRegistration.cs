using Azure.Core.Serialization;
using Azure.Identity;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Health;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Infrastructure;

public static class ServiceRegistration
{
    /// <summary>Everything the functions need, in one place, so tests can build the same container.</summary>
    public static IServiceCollection AddCoursePlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(Json.Options));
        services.AddSingleton(TimeProvider.System);

        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddDbContextPool<CoursePlatformDbContext>((sp, options) =>
            options.UseCoursePlatformDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));

        // One storage account serves the Functions host and the lesson uploads: a connection string
        // locally, AzureWebJobsStorage__blobServiceUri with the managed identity in Azure.
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(configuration.GetSection("AzureWebJobsStorage"));
            clients.UseCredential(new DefaultAzureCredential());
        });

        services.AddSingleton<HealthService>();
        return services;
    }
}
