using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Progress;

public static class ProgressRegistration
{
    /// <summary>Module gating and topic progress.</summary>
    public static IServiceCollection AddProgress(this IServiceCollection services)
    {
        services.AddScoped<ModuleGatingService>();
        services.AddScoped<TopicProgressService>();
        return services;
    }
}
