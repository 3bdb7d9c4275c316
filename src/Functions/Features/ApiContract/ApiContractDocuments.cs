using CoursePlatform.Functions.Infrastructure.OpenApi;

namespace CoursePlatform.Functions.Features.ApiContract;

/// <summary>
/// The generated OpenAPI document (built once, at first request: a few hundred milliseconds of reflection) and the
/// reference page's files, which the build copies into <c>docs-ui/</c> of the output (Swagger UI from the pinned
/// npm package in <c>tools/docs-ui</c>, and this folder's <c>ui/</c>).
/// </summary>
public sealed class ApiContractDocuments
{
    private static readonly Dictionary<string, string> MediaTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".html"] = "text/html; charset=utf-8",
        [".png"] = "image/png",
    };

    private readonly Lazy<Task<StaticContent>> openApi;
    private readonly Dictionary<string, StaticContent> assets;

    public ApiContractDocuments() : this(AppContext.BaseDirectory) { }

    public ApiContractDocuments(string appDirectory)
    {
        openApi = new(async () => new StaticContent(
            await ApiDocument.GenerateAsync(typeof(ApiContractDocuments).Assembly, Path.Combine(appDirectory, "functions.metadata"),
                Path.Combine(appDirectory, "CoursePlatform.Functions.xml")),
            "application/json; charset=utf-8"));
        var folder = Path.Combine(appDirectory, "docs-ui");
        assets = Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder)
                .Where(f => MediaTypes.ContainsKey(Path.GetExtension(f)))
                .ToDictionary(f => Path.GetFileName(f), f => new StaticContent(File.ReadAllBytes(f), MediaTypes[Path.GetExtension(f)]), StringComparer.Ordinal)
            : [];
        Page = assets.GetValueOrDefault("index.html")
            ?? throw new InvalidOperationException($"The API reference page is missing from {folder}: the build copies it there.");
    }

    public StaticContent Page { get; }

    public Task<StaticContent> OpenApiAsync(CancellationToken cancellationToken) => openApi.Value.WaitAsync(cancellationToken);

    /// <summary>A file of the page by its exact name (nothing outside the folder can be named).</summary>
    public StaticContent? Asset(string name) => assets.GetValueOrDefault(name);
}
