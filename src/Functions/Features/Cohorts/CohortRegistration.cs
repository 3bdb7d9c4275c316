using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Cohorts;

public static class CohortRegistration
{
    /// <summary>Admin management of cohorts, allowlists and batch project briefs; the learner's own cohort; the allowlist match enrolment uses.</summary>
    public static IServiceCollection AddCohorts(this IServiceCollection services)
    {
        services.AddScoped<CohortMembership>();
        services.AddScoped<CohortAdminService>();
        services.AddScoped<LearnerCohortService>();
        return services;
    }
}
