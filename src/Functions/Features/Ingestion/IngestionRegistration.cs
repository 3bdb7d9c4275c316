using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Ingestion;

public static class IngestionRegistration
{
    /// <summary>Uploads, blob ingestion, the ingestion log and the embedding model they share with search.</summary>
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.AddValidatedOptions<IngestionOptions>(IngestionOptions.Section);
        services.AddEmbeddings();
        services.AddScoped<IngestionService>();
        services.AddScoped<ChunkWriter>();
        services.AddScoped<UploadService>();
        services.AddScoped<IngestionLog>();
        services.AddScoped<SourceService>();
        services.AddSingleton<ContentRescan>();
        return services;
    }
}
