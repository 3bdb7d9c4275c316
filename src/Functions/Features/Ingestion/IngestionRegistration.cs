using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Ingestion;

public static class IngestionRegistration
{
    /// <summary>Uploads, blob ingestion, the ingestion log, the embedding model they share with search, and re-embedding after a model switch.</summary>
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
        services.AddScoped<ReembeddingService>();
        services.AddHostedService<ReembeddingSweep>();
        return services;
    }
}
