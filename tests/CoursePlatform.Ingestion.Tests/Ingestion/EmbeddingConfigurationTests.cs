using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Testing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Ingestion.Tests;

/// <summary>Which embedding model the settings select, and start-up validation of those settings.</summary>
public class EmbeddingConfigurationTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task ArcticXs_is_the_default_and_yields_normalised_384_dimension_vectors()
    {
        await using var app = new IngestionApp(database);
        var generator = app.Get<IEmbeddingGenerator<string, Embedding<float>>>();

        var vectors = await generator.GenerateAsync(["Routers forward packets.", "Routers forward packets.", "Bread needs yeast."]);

        Assert.Equal(ArcticXsEmbeddingGenerator.ModelName, app.Get<IOptions<EmbeddingOptions>>().Value.ModelName);
        Assert.Equal(ArcticXsEmbeddingGenerator.ModelName, generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId);
        Assert.All(vectors, v => Assert.Equal(EmbeddingOptions.Dimensions, v.Vector.Length));
        Assert.Equal(vectors[0].Vector.ToArray(), vectors[1].Vector.ToArray()); // deterministic
        // arctic-embed-xs puts unrelated texts much nearer each other than MiniLM does (these two: cosine 0.76), hence the smaller gap.
        Assert.True(Dot(vectors[0], vectors[1]) > Dot(vectors[0], vectors[2]) + 0.15, $"{Dot(vectors[0], vectors[2])}");
    }

    [Fact]
    public async Task Azure_OpenAI_is_used_when_configured_and_recorded_under_its_own_model_name()
    {
        await using var app = new IngestionApp(database, new Dictionary<string, string?>
        {
            ["Embeddings:Provider"] = "AzureOpenAI",
            ["Embeddings:AzureOpenAI:Endpoint"] = "https://example-resource.openai.azure.com/",
            ["Embeddings:AzureOpenAI:ApiKey"] = "not-a-real-key",
        });

        var generator = app.Get<IEmbeddingGenerator<string, Embedding<float>>>();
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.IsNotType<ArcticXsEmbeddingGenerator>(generator);
        Assert.Equal("text-embedding-3-small", metadata?.DefaultModelId);
        Assert.Equal(EmbeddingOptions.Dimensions, metadata?.DefaultModelDimensions);
        Assert.Equal("azure-openai/text-embedding-3-small@384", app.Get<IOptions<EmbeddingOptions>>().Value.ModelName);
    }

    [Fact]
    public async Task Azure_OpenAI_without_an_https_endpoint_fails_validation()
    {
        await using var app = new IngestionApp(database, new Dictionary<string, string?>
        {
            ["Embeddings:Provider"] = "AzureOpenAI",
            ["Embeddings:AzureOpenAI:Endpoint"] = "http://insecure.example",
        });

        var error = Assert.Throws<OptionsValidationException>(() => app.Get<IOptions<EmbeddingOptions>>().Value);
        Assert.Contains("Embeddings:AzureOpenAI:Endpoint must be an https URL", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingestion_limits_out_of_range_fail_validation()
    {
        await using var app = new IngestionApp(database, new Dictionary<string, string?> { ["Ingestion:MaxSlides"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() =>
            app.Get<IOptions<CoursePlatform.Functions.Features.Ingestion.IngestionOptions>>().Value);
        Assert.Contains("MaxSlides", error.Message, StringComparison.Ordinal);
    }

    private static double Dot(Embedding<float> a, Embedding<float> b)
    {
        var x = a.Vector.Span;
        var y = b.Vector.Span;
        double sum = 0;
        for (var i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }
}
