using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CoursePlatform.FunctionsHost.Tests.Infrastructure;
using CoursePlatform.Testing;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>The local host serving the fixture worker app.</summary>
public static class FixtureHost
{
    /// <summary>
    /// Starts the host without --fail-on-function-errors: the fixture has a function deliberately in error
    /// (AdministratorPing), which the host leaves out while it serves the others, as Azure does.
    /// </summary>
    public static HostProcess Start(IDictionary<string, string> settings, object? hostSection = null) =>
        HostProcess.Start(Paths.FixtureApp, settings, hostSection: hostSection, failOnFunctionErrors: false);
}

/// <summary>The fixture worker app's settings with containers of its own, and a reader for its invocation markers.</summary>
public sealed class FixtureSettings
{
    public string BlobContainer { get; } = Services.UniqueContainer("fx-blobs");
    public string EventContainer { get; } = Services.UniqueContainer("fx-events");
    public string PoisonContainer { get; } = Services.UniqueContainer("fx-poison");
    public string MarkerContainer { get; } = Services.UniqueContainer("fx-markers");

    public Dictionary<string, string> Values(string schedule = "0 0 0 1 1 *") => new()
    {
        ["AzureWebJobsStorage"] = Services.Azurite,
        ["FixtureBlobContainer"] = BlobContainer,
        ["FixtureEventContainer"] = EventContainer,
        ["FixturePoisonContainer"] = PoisonContainer,
        ["FixtureMarkerContainer"] = MarkerContainer,
        ["FixtureSchedule"] = schedule,
        ["FunctionsHost:FunctionKey"] = "fixture-function-key",
        ["FunctionsHost:BlobPollSeconds"] = "1",
    };

    /// <summary>The contents of the markers the fixture wrote under <paramref name="prefix"/> (one per invocation).</summary>
    public async Task<IReadOnlyList<string>> MarkersAsync(string prefix)
    {
        var container = Services.Blobs.GetBlobContainerClient(MarkerContainer);
        if (!await container.ExistsAsync()) return [];
        var contents = new List<string>();
        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix + "/", CancellationToken.None))
        {
            contents.Add((await container.GetBlobClient(item.Name).DownloadContentAsync()).Value.Content.ToString());
        }
        return contents;
    }

    public async Task DeleteContainersAsync()
    {
        var names = new[] { BlobContainer, EventContainer, PoisonContainer, MarkerContainer };
        foreach (var name in names)
        {
            await Services.Blobs.GetBlobContainerClient(name).DeleteIfExistsAsync();
        }
        // The host's receipts for these containers (blobreceipts/{host}/{function}/{etag}/{container}/{blob}).
        var receipts = Services.Blobs.GetBlobContainerClient("azure-webjobs-hosts");
        if (!await receipts.ExistsAsync()) return;
        await foreach (var item in receipts.GetBlobsAsync(BlobTraits.None, BlobStates.None, "blobreceipts/", CancellationToken.None))
        {
            if (names.Any(n => item.Name.Contains($"/{n}/", StringComparison.Ordinal)))
            {
                await receipts.DeleteBlobIfExistsAsync(item.Name);
            }
        }
    }

    public static async Task UploadAsync(string container, string name, string content)
    {
        var client = Services.Blobs.GetBlobContainerClient(container);
        await client.CreateIfNotExistsAsync();
        await client.GetBlobClient(name).UploadAsync(BinaryData.FromString(content), overwrite: true);
    }
}
