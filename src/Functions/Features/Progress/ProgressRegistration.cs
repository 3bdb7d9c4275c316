using CoursePlatform.Functions.Features.Quizzes;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Progress;

public static class ProgressRegistration
{
    /// <summary>Module gating, topic progress and the quiz engine.</summary>
    public static IServiceCollection AddProgress(this IServiceCollection services)
    {
        services.AddOptions<QuizOptions>().BindConfiguration(QuizOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ModuleGatingService>();
        services.AddScoped<TopicProgressService>();
        services.AddScoped<QuizService>();
        return services;
    }
}
