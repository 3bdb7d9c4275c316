using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.ColdCalls;

public static class ColdCallRegistration
{
    /// <summary>Cold calls: blind responses, threads, stars and moderation.</summary>
    public static IServiceCollection AddColdCalls(this IServiceCollection services)
    {
        services.AddScoped<ColdCallService>();
        services.AddScoped<ColdCallAuthors>();
        return services;
    }
}
