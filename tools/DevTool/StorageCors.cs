using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace CoursePlatform.DevTool;

/// <summary>
/// The blob service's CORS rule for browser uploads, as the Bicep sets it on the Azure storage account: the
/// frontend origins may PUT to an upload URL. Locally this is Azurite's; the origins are the local host's
/// <c>Host.CORS</c> of local.settings.json. The content container is created too, as the Bicep does.
/// </summary>
public static class StorageCors
{
    public static readonly string[] Methods = ["PUT"];
    public static readonly string[] AllowedHeaders = ["content-type", "content-md5", "x-ms-*"];
    public static readonly string[] ExposedHeaders = ["etag", "x-ms-*"];
    public const int MaxAgeSeconds = 3600;

    /// <summary>The app's content container (IngestionOptions.Container), which the Bicep creates in Azure and the health probe lists.</summary>
    public const string ContentContainer = "course-content";

    public static async Task<IReadOnlyList<string>> ApplyAsync(string storageConnectionString, string? origins, CancellationToken cancellationToken)
    {
        var allowed = (origins ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(o => Uri.TryCreate(o, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https").ToList();
        if (allowed.Count == 0) throw new DevToolException("No frontend origin to allow: set Host.CORS in local.settings.json (e.g. http://localhost:5173).");

        var service = new BlobServiceClient(storageConnectionString);
        var properties = (await service.GetPropertiesAsync(cancellationToken)).Value;
        properties.Cors.Clear();
        properties.Cors.Add(new BlobCorsRule
        {
            AllowedOrigins = string.Join(',', allowed),
            AllowedMethods = string.Join(',', Methods),
            AllowedHeaders = string.Join(',', AllowedHeaders),
            ExposedHeaders = string.Join(',', ExposedHeaders),
            MaxAgeInSeconds = MaxAgeSeconds,
        });
        await service.SetPropertiesAsync(properties, cancellationToken);
        await service.GetBlobContainerClient(ContentContainer).CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        return allowed;
    }
}
