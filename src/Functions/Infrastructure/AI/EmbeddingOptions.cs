using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Infrastructure.AI;

public enum EmbeddingProvider { MiniLM, AzureOpenAI, ArcticXs }

/// <summary>App settings <c>Embeddings__*</c>: which model turns text into vectors.</summary>
public sealed class EmbeddingOptions : IValidatableObject
{
    public const string Section = "Embeddings";

    /// <summary>The vector column is vector(384): every provider must produce 384 dimensions.</summary>
    public const int Dimensions = 384;

    /// <summary><c>ArcticXs</c> (offline, default: better retrieval than MiniLM on the tutor evaluation), <c>MiniLM</c> (offline) or <c>AzureOpenAI</c>.</summary>
    public EmbeddingProvider Provider { get; set; } = EmbeddingProvider.ArcticXs;

    /// <summary>Texts per embedding call during ingestion.</summary>
    [Range(1, 256)]
    public int BatchSize { get; set; } = 32;

    public AzureOpenAIEmbeddingOptions AzureOpenAI { get; set; } = new();

    /// <summary>
    /// The name recorded on every chunk and compared at search time; vectors of different models
    /// (or of the same model at other dimensions) never meet.
    /// </summary>
    public string ModelName => Provider switch
    {
        EmbeddingProvider.AzureOpenAI => $"azure-openai/{AzureOpenAI.Model}@{Dimensions}",
        EmbeddingProvider.MiniLM => MiniLmEmbeddingGenerator.ModelName,
        _ => ArcticXsEmbeddingGenerator.ModelName,
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider != EmbeddingProvider.AzureOpenAI) yield break;
        if (!Uri.TryCreate(AzureOpenAI.Endpoint, UriKind.Absolute, out var endpoint) || endpoint.Scheme != Uri.UriSchemeHttps)
            yield return new ValidationResult("Embeddings:AzureOpenAI:Endpoint must be an https URL when Embeddings:Provider is AzureOpenAI.",
                [nameof(AzureOpenAI) + "." + nameof(AzureOpenAIEmbeddingOptions.Endpoint)]);
        if (string.IsNullOrWhiteSpace(AzureOpenAI.Deployment))
            yield return new ValidationResult("Embeddings:AzureOpenAI:Deployment is required when Embeddings:Provider is AzureOpenAI.",
                [nameof(AzureOpenAI) + "." + nameof(AzureOpenAIEmbeddingOptions.Deployment)]);
        if (string.IsNullOrWhiteSpace(AzureOpenAI.Model))
            yield return new ValidationResult("Embeddings:AzureOpenAI:Model is required when Embeddings:Provider is AzureOpenAI.",
                [nameof(AzureOpenAI) + "." + nameof(AzureOpenAIEmbeddingOptions.Model)]);
    }
}

/// <summary>App settings <c>Embeddings__AzureOpenAI__*</c>.</summary>
public sealed class AzureOpenAIEmbeddingOptions
{
    /// <summary>The resource endpoint, e.g. <c>https://my-resource.openai.azure.com/</c>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The deployment name of the embedding model.</summary>
    public string Deployment { get; set; } = "text-embedding-3-small";

    /// <summary>The model behind the deployment; part of the recorded model name.</summary>
    public string Model { get; set; } = "text-embedding-3-small";

    /// <summary>Optional key (a Key Vault reference in Azure); without it the managed identity is used.</summary>
    public string? ApiKey { get; set; }
}
