using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.ApiContract;

public static class ApiContractRegistration
{
    /// <summary>GET /api/openapi.json and the reference page at GET /api/docs.</summary>
    public static IServiceCollection AddApiContract(this IServiceCollection services)
    {
        services.AddSingleton<ApiContractDocuments>();
        return services;
    }
}
