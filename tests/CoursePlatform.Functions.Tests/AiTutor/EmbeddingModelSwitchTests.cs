using CoursePlatform.Data;
using CoursePlatform.Functions.Features.AiTutor;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Ingestion.Extraction;
using CoursePlatform.Functions.Features.Search;
using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Pgvector;

namespace CoursePlatform.Functions.Tests.AiTutor;

/// <summary>
/// A switch of the embedding model (here from MiniLM to arctic-embed-xs, both real): chunks keep the model that embedded
/// them, a question is compared with each model's vectors only through its own embedding by that model, and the
/// re-embedding replaces one source at a time, resumably, while every source stays findable.
/// </summary>
public sealed class EmbeddingModelSwitchTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private const string Https = "Plain HTTP uses port 80, and HTTPS, so HTTP over TLS, uses port 443.";
    private const string Subnets = "A subnet is a range of IP addresses inside a virtual network, written in CIDR notation such as 10.0.1.0/24.";
    private const string Bananas = "Bananas are rich in potassium and taste best when their skin shows brown spots.";

    private static readonly MiniLmEmbeddingGenerator MiniLm = new();
    private static readonly ArcticXsEmbeddingGenerator Arctic = new();

    private TestApp App() => new(database, new Dictionary<string, string?> { ["Embeddings:Provider"] = "ArcticXs" });

    private static async Task<Vector> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, string text) =>
        new((await generator.GenerateAsync([text])).Single().Vector);

    /// <summary>One single-chunk source written as an ingestion writes it, with the given model's name and vector.</summary>
    private static Task WriteAsync(TestApp app, Guid courseId, string source, string text, string model, Vector vector) =>
        app.Run<CoursePlatformDbContext>(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var writer = new ChunkWriter(db, TimeProvider.System);
            await writer.ReplaceAsync(new ContentPath(courseId, null, source), null, source, [new ContentChunk(0, text, SegmentKind.Text)], [vector], model, default);
            await transaction.CommitAsync();
        });

    private static async Task<IReadOnlyList<RetrievedPassage>> AskAsync(TestApp app, Guid courseId, string question) =>
        (await app.Run<AiTutorRetrieval, Retrieval>(r => r.SearchAsync(courseId, question, RetrievalMode.VectorOnly, default))).Candidates;

    [Fact]
    public async Task An_older_models_vectors_are_compared_only_with_the_question_embedded_by_that_model()
    {
        using var app = App();
        var course = await app.CourseAsync(EnrollmentMode.Open);
        const string question = "Which port does HTTPS use?";
        await WriteAsync(app, course.Id, "old.txt", Https, MiniLmEmbeddingGenerator.ModelName, await EmbedAsync(MiniLm, Https));
        await WriteAsync(app, course.Id, "new.txt", Subnets, ArcticXsEmbeddingGenerator.ModelName, await EmbedAsync(Arctic, Subnets));
        // A trap: labelled MiniLM but holding exactly arctic's vector of the question. Compared with the current model's
        // question vector it would be a perfect match; compared, correctly, with MiniLM's it is just an unrelated vector.
        var arcticQuestion = await EmbedAsync(Arctic, EmbeddingModels.QueryText(ArcticXsEmbeddingGenerator.ModelName, question));
        await WriteAsync(app, course.Id, "trap.txt", Bananas, MiniLmEmbeddingGenerator.ModelName, arcticQuestion);

        var found = await AskAsync(app, course.Id, question);

        var https = Assert.Single(found, p => p.Source == "old.txt"); // not re-embedded yet, still found by its own model
        var trap = Assert.Single(found, p => p.Source == "trap.txt");
        Assert.True(trap.Similarity < 0.5, $"the trap was compared with the wrong model's question: {trap.Similarity}");
        var miniLmQuestion = await EmbedAsync(MiniLm, question);
        Assert.Equal(Cosine(miniLmQuestion, arcticQuestion), trap.Similarity, 3);
        Assert.True(https.Similarity > trap.Similarity);
        Assert.Equal("old.txt", found[0].Source);
    }

    [Fact]
    public async Task Reembedding_goes_source_by_source_resumes_where_it_stopped_and_keeps_every_source_searchable()
    {
        using var app = App();
        var course = await app.CourseAsync(EnrollmentMode.Open);
        await WriteAsync(app, course.Id, "a-https.txt", Https, MiniLmEmbeddingGenerator.ModelName, await EmbedAsync(MiniLm, Https));
        await WriteAsync(app, course.Id, "b-subnets.txt", Subnets, MiniLmEmbeddingGenerator.ModelName, await EmbedAsync(MiniLm, Subnets));

        async Task<Dictionary<string, string>> ModelsAsync() =>
            await app.Db(db => db.CourseChunks.Where(c => c.CourseId == course.Id).ToDictionaryAsync(c => c.Source, c => c.EmbeddingModel));
        async Task BothFoundAsync()
        {
            Assert.Equal("a-https.txt", (await AskAsync(app, course.Id, "Which port does HTTPS use?"))[0].Source);
            Assert.Equal("b-subnets.txt", (await AskAsync(app, course.Id, "How are IP address ranges of a virtual network written?"))[0].Source);
            // Search too (all old, half and half, all new): each model's hits come from the question embedded by that model.
            var hits = await app.Run<SearchService, SearchResults>(s => s.SearchAsync(course.Id, "Which port does HTTPS use?", "5", default));
            Assert.Equal(["a-https.txt", "b-subnets.txt"], hits.Items.Select(h => h.Source).Order(StringComparer.Ordinal));
        }

        await BothFoundAsync();
        // A run stopped after one source (a restart, a deployment): that source is wholly new, the other wholly old.
        Assert.Equal(1, await app.Run<ReembeddingService, int>(s => s.RunAsync(default, maxSources: 1)));
        Assert.Equal(new Dictionary<string, string>
        {
            ["a-https.txt"] = ArcticXsEmbeddingGenerator.ModelName, ["b-subnets.txt"] = MiniLmEmbeddingGenerator.ModelName,
        }, await ModelsAsync());
        await BothFoundAsync();

        // The next run picks up the rest only, and then there is nothing left.
        Assert.Equal(1, await app.Run<ReembeddingService, int>(s => s.RunAsync(default)));
        Assert.All((await ModelsAsync()).Values, model => Assert.Equal(ArcticXsEmbeddingGenerator.ModelName, model));
        Assert.Equal(0, await app.Run<ReembeddingService, int>(s => s.RunAsync(default)));
        await BothFoundAsync();
        var https = (await AskAsync(app, course.Id, "Which port does HTTPS use?"))[0];
        Assert.Equal(Cosine(await EmbedAsync(Arctic, EmbeddingModels.QueryText(ArcticXsEmbeddingGenerator.ModelName, "Which port does HTTPS use?")),
            await EmbedAsync(Arctic, Https)), https.Similarity, 3);
    }

    private static double Cosine(Vector a, Vector b)
    {
        var (x, y) = (a.ToArray(), b.ToArray());
        double dot = 0, nx = 0, ny = 0;
        for (var i = 0; i < x.Length; i++) (dot, nx, ny) = (dot + x[i] * y[i], nx + x[i] * x[i], ny + y[i] * y[i]);
        return dot / Math.Sqrt(nx * ny);
    }
}
