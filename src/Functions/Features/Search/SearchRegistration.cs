using Microsoft.Extensions.DependencyInjection;
using CoursePlatform.Functions.Infrastructure.AI;

namespace CoursePlatform.Functions.Features.Search;

public static class SearchRegistration
{
    /// <summary>Semantic search over a course's chunks, with the embedding model ingestion uses.</summary>
    public static IServiceCollection AddSearch(this IServiceCollection services)
    {
        services.AddEmbeddings();
        services.AddSingleton<SearchThrottle>();
        services.AddScoped<SearchService>();
        return services;
    }
}
