using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Tutors;

public static class TutorsRegistration
{
    /// <summary>Tutor applications, course staffing and the tutor views (their courses, each course's roster).</summary>
    public static IServiceCollection AddTutors(this IServiceCollection services)
    {
        services.AddScoped<StaffingService>();
        services.AddScoped<TutorViewService>();
        services.AddScoped<TutorApplicationService>();
        return services;
    }
}
