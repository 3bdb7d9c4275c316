using CoursePlatform.Functions.Features.Search;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Ingestion;

public static class IngestionRegistration
{
    /// <summary>Uploads, blob ingestion, the ingestion log, semantic search and the embedding model they share.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddEmbeddings();
        services.AddSingleton<IngestionService>();
        services.AddScoped<UploadService>();
        services.AddScoped<IngestionLog>();
        services.AddScoped<SearchService>();
        return services;
    }
}
