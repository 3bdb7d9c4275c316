using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Health;

public static class HealthRegistration
{
    /// <summary>The health probe of the database and storage.</summary>
    public static IServiceCollection AddHealth(this IServiceCollection services)
    {
        services.AddSingleton<HealthService>();
        return services;
    }
}
