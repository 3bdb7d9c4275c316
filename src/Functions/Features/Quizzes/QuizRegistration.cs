using CoursePlatform.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Quizzes;

public static class QuizRegistration
{
    /// <summary>The quiz engine and its cooldown setting.</summary>
    public static IServiceCollection AddQuizzes(this IServiceCollection services)
    {
        services.AddValidatedOptions<QuizOptions>(QuizOptions.Section);
        services.AddScoped<QuizService>();
        return services;
    }
}
