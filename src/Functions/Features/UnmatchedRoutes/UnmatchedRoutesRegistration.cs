using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.UnmatchedRoutes;

public static class UnmatchedRoutesRegistration
{
    /// <summary>The route table of the build, for the problem+json answer to requests no function matched.</summary>
    public static IServiceCollection AddUnmatchedRoutes(this IServiceCollection services)
    {
        services.AddSingleton<RouteTable>();
        return services;
    }
}
