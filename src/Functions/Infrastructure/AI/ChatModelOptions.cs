using System.ComponentModel.DataAnnotations;

namespace CoursePlatform.Functions.Infrastructure.AI;

/// <summary>
/// App settings <c>ChatModel__*</c>: the chat model behind the tutor and the persona classifier. With no
/// endpoint the app runs without one (rule-based persona classification, extractive tutor answers).
/// Azure OpenAI is used through its OpenAI-compatible v1 endpoint; any OpenAI-compatible server works.
/// </summary>
public sealed class ChatModelOptions : IValidatableObject
{
    public const string Section = "ChatModel";

    /// <summary>Base URL of an OpenAI-compatible API, e.g. <c>https://my-resource.openai.azure.com/openai/v1/</c>; empty = no chat model.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The model (Azure: deployment) name.</summary>
    public string Model { get; set; } = "gpt-4o-mini";

    /// <summary>Optional key (a Key Vault reference in Azure); without it the managed identity is used.</summary>
    public string? ApiKey { get; set; }

    [Range(1, 120)] public int TimeoutSeconds { get; set; } = 30;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Endpoint);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (IsConfigured && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !uri.IsLoopback)))
            yield return new ValidationResult("ChatModel:Endpoint must be an https URL (http only on loopback).", [nameof(Endpoint)]);
        if (IsConfigured && string.IsNullOrWhiteSpace(Model))
            yield return new ValidationResult("ChatModel:Model is required with an endpoint.", [nameof(Model)]);
    }
}
