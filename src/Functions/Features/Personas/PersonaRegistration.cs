using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Personas;

public static class PersonaRegistration
{
    /// <summary>The chat model classifies when one is configured; the rules otherwise.</summary>
    public static IServiceCollection AddPersonas(this IServiceCollection services)
    {
        services.AddScoped<PersonaService>();
        services.AddSingleton<ILearnerPersonaClassifier>(sp => sp.GetService<IChatClient>() is { } chat
            ? new ChatPersonaClassifier(chat, sp.GetRequiredService<ILogger<ChatPersonaClassifier>>())
            : new RuleBasedPersonaClassifier());
        return services;
    }
}
