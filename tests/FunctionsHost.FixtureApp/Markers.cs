using System.Text;
using Azure.Storage.Blobs;

namespace FunctionsHost.FixtureApp;

/// <summary>
/// Records each invocation as a small blob in the container named by the FixtureMarkerContainer setting,
/// so the tests (another process) can count invocations through Azurite.
/// </summary>
internal static class Markers
{
    public static async Task WriteAsync(string prefix, string content, CancellationToken cancellationToken = default)
    {
        var connection = Environment.GetEnvironmentVariable("AzureWebJobsStorage")
            ?? throw new InvalidOperationException("AzureWebJobsStorage is not set.");
        var containerName = Environment.GetEnvironmentVariable("FixtureMarkerContainer") ?? "fixture-markers";
        var container = new BlobContainerClient(connection, containerName);
        await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        await container.UploadBlobAsync($"{prefix}/{Guid.NewGuid():N}", BinaryData.FromString(content), cancellationToken);
    }

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
