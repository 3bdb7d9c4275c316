using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenAI;

namespace CoursePlatform.Functions.Infrastructure.AI;

public static class ChatModelRegistration
{
    /// <summary>
    /// Registers an <see cref="IChatClient"/> only when <c>ChatModel:Endpoint</c> is set; features ask for
    /// it optionally and fall back to their offline behaviour without one.
    /// </summary>
    public static IServiceCollection AddChatModel(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddValidatedOptions<ChatModelOptions>(ChatModelOptions.Section);
        var options = configuration.GetSection(ChatModelOptions.Section).Get<ChatModelOptions>() ?? new ChatModelOptions();
        if (!options.IsConfigured) return services;

        services.TryAddSingleton(_ =>
        {
            var clientOptions = new OpenAIClientOptions
            {
                Endpoint = new Uri(options.Endpoint!),
                NetworkTimeout = TimeSpan.FromSeconds(options.TimeoutSeconds),
            };
#pragma warning disable OPENAI001 // the token-policy constructor is the documented keyless (Entra ID) path
            var client = string.IsNullOrWhiteSpace(options.ApiKey)
                ? new OpenAIClient(new BearerTokenPolicy(new DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default"), clientOptions)
                : new OpenAIClient(new ApiKeyCredential(options.ApiKey), clientOptions);
#pragma warning restore OPENAI001
            return client.GetChatClient(options.Model).AsIChatClient();
        });
        return services;
    }
}
