using CoursePlatform.Functions.Features.Cohorts;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Enrollments;

public static class EnrollmentRegistration
{
    /// <summary>Enrolment, the learner's cohort and the admin cohort management.</summary>
    public static IServiceCollection AddEnrollment(this IServiceCollection services)
    {
        services.AddScoped<CohortMembership>();
        services.AddScoped<EnrollmentService>();
        services.AddScoped<LearnerCohortService>();
        services.AddScoped<CohortAdminService>();
        return services;
    }
}
