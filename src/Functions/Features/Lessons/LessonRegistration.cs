using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Lessons;

public static class LessonRegistration
{
    /// <summary>The course outline and persona-resolved lesson content.</summary>
    public static IServiceCollection AddLessons(this IServiceCollection services)
    {
        services.AddScoped<LessonService>();
        services.AddScoped<OutlineService>();
        return services;
    }
}
