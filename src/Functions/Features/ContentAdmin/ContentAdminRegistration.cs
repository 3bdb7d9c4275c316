using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.ContentAdmin;

public static class ContentAdminRegistration
{
    /// <summary>Courses, topics, assets, quiz questions, topic materials, pages and the audit trail, as admins edit them.</summary>
    public static IServiceCollection AddContentAdmin(this IServiceCollection services)
    {
        services.AddScoped<ContentChangeEffects>();
        services.AddScoped<CourseAdminService>();
        services.AddScoped<TopicAdminService>();
        services.AddScoped<AssetAdminService>();
        services.AddScoped<QuizQuestionAdminService>();
        services.AddScoped<TopicMaterialsAdminService>();
        services.AddScoped<PageAdminService>();
        services.AddScoped<AuditTrailService>();
        return services;
    }
}
