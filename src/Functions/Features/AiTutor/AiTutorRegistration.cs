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
        services.AddValidatedOptions<AiTutorOptions>(AiTutorOptions.Section);
        services.AddEmbeddings();
        services.AddSingleton(sp => new AiTutorChat(sp.GetService<IChatClient>() ?? new ExtractiveChatClient()));
        services.AddSingleton<BackgroundSimilarity>();
        services.AddScoped<AiTutorRetrieval>();
        services.AddScoped<PromptQuota>();
        services.AddScoped<LessonIndexer>();
        services.AddScoped<AiTutorService>();
        services.AddHostedService<LessonIndexSweep>();
        return services;
    }
}
