using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Tutors;

public static class TutorsRegistration
{
    /// <summary>Course staffing and the tutor views (their courses, each course's roster).</summary>
    public static IServiceCollection AddTutors(this IServiceCollection services)
    {
        services.AddScoped<StaffingService>();
        services.AddScoped<TutorViewService>();
        return services;
    }
}
