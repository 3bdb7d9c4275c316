using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.AiTutor;

public static class AiTutorRegistration
{
    /// <summary>The AI tutor: retrieval, quota, the lesson index and its start-up sweep, the answering model.</summary>
    public static IServiceCollection AddAiTutor(this IServiceCollection services)
    {
        services.AddValidatedOptions<TutorOptions>(TutorOptions.Section);
        services.AddEmbeddings();
        services.AddSingleton(sp => new TutorChat(sp.GetService<IChatClient>() ?? new ExtractiveChatClient()));
        services.AddScoped<TutorRetrieval>();
        services.AddScoped<PromptQuota>();
        services.AddScoped<LessonIndexer>();
        services.AddScoped<TutorService>();
        services.AddHostedService<LessonIndexSweep>();
        return services;
    }
}
