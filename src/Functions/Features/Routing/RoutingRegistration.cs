using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Routing;

public static class RoutingRegistration
{
    /// <summary>The route table of the build, for the problem+json answer to requests no function matched.</summary>
    public static IServiceCollection AddUnmatchedRoutes(this IServiceCollection services)
    {
        services.AddSingleton<RouteTable>();
        return services;
    }
}
