using System.ClientModel;
using System.ClientModel.Primitives;
using Azure.Identity;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using OpenAI;

namespace CoursePlatform.Functions.Infrastructure.AI;

public static class EmbeddingRegistration
{
    /// <summary>
    /// The one <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> of the app (ingestion, search and the
    /// tutor share it, so chunks and questions are always embedded by the same model). Safe to call twice.
    /// </summary>
    public static IServiceCollection AddEmbeddings(this IServiceCollection services)
    {
        services.AddValidatedOptions<EmbeddingOptions>(EmbeddingOptions.Section);
        services.TryAddSingleton<IEmbeddingGenerator<string, Embedding<float>>>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value;
            return options.Provider switch
            {
                EmbeddingProvider.AzureOpenAI => CreateAzureOpenAI(options.AzureOpenAI),
                EmbeddingProvider.MiniLM => Shipped(new MiniLmEmbeddingGenerator(), MiniLmEmbeddingGenerator.Package),
                _ => Shipped(new ArcticXsEmbeddingGenerator(), ArcticXsEmbeddingGenerator.Package),
            };
        });
        services.TryAddSingleton<QueryEmbeddingCache>();
        services.TryAddSingleton<EmbeddingModels>();
        return services;
    }

    /// <summary>A configured offline model whose weights the package lacks fails at start-up, not at the first question.</summary>
    private static IEmbeddingGenerator<string, Embedding<float>> Shipped(IEmbeddingGenerator<string, Embedding<float>> generator, string package) =>
        EmbeddingModels.IsShipped(package) ? generator
            : throw new InvalidOperationException($"Embeddings:Provider names a model whose package ({package}) this build does not carry: "
                + "publish with -p:OfflineEmbeddingModels naming it (docs/operations.md).");

    /// <summary>
    /// Azure OpenAI through its OpenAI-compatible v1 endpoint with the plain OpenAI client, asking for
    /// 384 dimensions (text-embedding-3-* shorten their vectors on request). The Azure.AI.OpenAI
    /// wrapper is not used: it reaches into OpenAI's internals and breaks with the OpenAI version
    /// that Microsoft.Extensions.AI.OpenAI needs.
    /// </summary>
    private static IEmbeddingGenerator<string, Embedding<float>> CreateAzureOpenAI(AzureOpenAIEmbeddingOptions options)
    {
        var clientOptions = new OpenAIClientOptions { Endpoint = new Uri(new Uri(options.Endpoint!), "openai/v1/") };
        // Managed identity (keyless) unless a key is configured. The token-policy constructor is marked
        // experimental (OPENAI001) but is the documented way to use Entra ID with the v1 endpoint.
#pragma warning disable OPENAI001
        var client = string.IsNullOrWhiteSpace(options.ApiKey)
            ? new OpenAIClient(new BearerTokenPolicy(new DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default"), clientOptions)
            : new OpenAIClient(new ApiKeyCredential(options.ApiKey), clientOptions);
#pragma warning restore OPENAI001
        return client.GetEmbeddingClient(options.Deployment).AsIEmbeddingGenerator(EmbeddingOptions.Dimensions);
    }
}
