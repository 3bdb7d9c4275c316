using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Enrollments;

public static class EnrollmentRegistration
{
    /// <summary>Enrolment by the learner and the learner's enrolments.</summary>
    public static IServiceCollection AddEnrollments(this IServiceCollection services)
    {
        services.AddScoped<EnrollmentService>();
        return services;
    }
}
