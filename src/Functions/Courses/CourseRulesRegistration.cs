using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Courses;

/// <summary>The course rules every feature shares: which course a route names, and who may see or staff it.</summary>
public static class CourseRulesRegistration
{
    public static IServiceCollection AddCourseRules(this IServiceCollection services)
    {
        services.AddScoped<CourseResolver>();
        services.AddScoped<CourseAccess>();
        return services;
    }
}
