using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Catalog;

public static class CatalogRegistration
{
    /// <summary>The public catalog, course detail and pages.</summary>
    public static IServiceCollection AddCatalog(this IServiceCollection services)
    {
        services.AddScoped<CatalogService>();
        return services;
    }
}
