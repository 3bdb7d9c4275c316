using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using CoursePlatform.FunctionsHost.Configuration;
using CoursePlatform.FunctionsHost.Worker;
using Google.Protobuf;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace CoursePlatform.FunctionsHost.Blobs;

/// <summary>
/// Runs a blob-trigger function for one blob version, at most once: like the real host it keeps a receipt per
/// function and ETag in the storage account (container azure-webjobs-hosts, blobreceipts/{hostId}/{function}/{etag}/...),
/// so a restart does not fire again for blobs already handled. A failing invocation is retried up to
/// host.json's blobs.poisonBlobThreshold times, then the blob is logged as poisoned and not retried.
/// </summary>
public sealed class BlobTriggerDispatcher(WorkerChannel worker, HostJson hostJson, HostIdentity host, ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger("Host.Blobs");
    public const string ReceiptsContainer = "azure-webjobs-hosts";

    // Scanner and Event Grid webhook may see the same blob version at once; only one of them runs it.
    private readonly ConcurrentDictionary<string, byte> running = new();

    /// <summary>
    /// Processes the current version of a blob unless a receipt says it was handled. True when this version is done
    /// (a receipt exists or was written now); false when it is not a match, is gone, is running elsewhere in this host,
    /// or its run was cut short (the worker died, the host is stopping), so a later look runs it again.
    /// </summary>
    public async Task<bool> ProcessAsync(BlobTriggerFunction trigger, string blobName, CancellationToken cancellationToken)
    {
        if (trigger.Match(blobName) is not { } parameters) return false;
        var blob = new BlobContainerClient(trigger.ConnectionString, trigger.Container).GetBlobClient(blobName);
        BlobProperties properties;
        try
        {
            properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }

        var receipt = Receipt(trigger, blobName, properties.ETag);
        var key = receipt.Name;
        if (!running.TryAdd(key, 0)) return false;
        try
        {
            if (await receipt.ExistsAsync(cancellationToken)) return true;
            // A started run is not cancelled by shutdown (the host drains it), and its receipt is always written:
            // otherwise a restart would run the blob again.
            if (await RunWithRetriesAsync(trigger, blob, properties, parameters, stopping: cancellationToken) is not { } outcome) return false;
            await new BlobContainerClient(trigger.ConnectionString, ReceiptsContainer).CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            await receipt.UploadAsync(BinaryData.FromString(""), new BlobUploadOptions
            {
                Metadata = new Dictionary<string, string> { ["Status"] = outcome, ["Function"] = trigger.Function.FullName },
            }, CancellationToken.None);
            return true;
        }
        finally
        {
            running.TryRemove(key, out _);
        }
    }

    /// <summary>Runs the function once for a blob without looking at receipts (admin endpoint).</summary>
    public async Task<bool> InvokeOnceAsync(BlobTriggerFunction trigger, string blobName, CancellationToken cancellationToken)
    {
        var blob = new BlobContainerClient(trigger.ConnectionString, trigger.Container).GetBlobClient(blobName);
        BlobProperties properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken);
        var (succeeded, _, _) = await InvokeAsync(trigger, blob, properties, trigger.Match(blobName) ?? new Dictionary<string, string>(), cancellationToken);
        return succeeded;
    }

    /// <summary>"Completed", "Poisoned", or null when the host stopped between failed attempts (no receipt: retried after a restart).</summary>
    private async Task<string?> RunWithRetriesAsync(
        BlobTriggerFunction trigger, BlobClient blob, BlobProperties properties, IReadOnlyDictionary<string, string> parameters, CancellationToken stopping)
    {
        var attempts = hostJson.PoisonBlobThreshold;
        for (var attempt = 1; attempt <= attempts; attempt++)
        {
            if (attempt > 1 && stopping.IsCancellationRequested) return null;
            var (succeeded, error, workerGone) = await InvokeAsync(trigger, blob, properties, parameters, CancellationToken.None);
            if (succeeded) return "Completed";
            // Not the function's fault: leave no receipt, so the blob runs again once the new worker is up.
            if (workerGone) return null;
            logger.LogWarning("Executed '{Function}' (Failed, attempt {Attempt} of {Attempts}) for blob '{Container}/{Blob}': {Error}",
                trigger.Function.FullName, attempt, attempts, trigger.Container, blob.Name, error);
        }
        logger.LogError("Blob '{Container}/{Blob}' is poisoned: '{Function}' failed {Attempts} times; it will not be retried for this version (ETag {ETag}).",
            trigger.Container, blob.Name, trigger.Function.FullName, attempts, properties.ETag);
        return "Poisoned";
    }

    private async Task<(bool Succeeded, string? Error, bool WorkerGone)> InvokeAsync(
        BlobTriggerFunction trigger, BlobClient blob, BlobProperties properties, IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken)
    {
        var binding = trigger.Function.Trigger!;
        var metadata = new Dictionary<string, TypedData>
        {
            ["BlobTrigger"] = new() { String = $"{trigger.Container}/{blob.Name}" },
            ["Uri"] = new() { Json = JsonSerializer.Serialize(blob.Uri.ToString()) },
            ["Properties"] = new() { Json = JsonSerializer.Serialize(new { ETag = properties.ETag.ToString(), properties.ContentLength, properties.ContentType, properties.LastModified }) },
            ["Metadata"] = new() { Json = JsonSerializer.Serialize(properties.Metadata) },
        };
        foreach (var (name, value) in parameters) metadata[name] = new TypedData { String = value };

        try
        {
            var response = await worker.InvokeAsync(trigger.Function, [new ParameterBinding { Name = binding.Name, Data = await InputAsync(trigger, blob, cancellationToken) }], metadata, cancellationToken);
            if (response.Result.Status == StatusResult.Types.Status.Success)
            {
                logger.LogInformation("Executed '{Function}' (Succeeded) for blob '{Container}/{Blob}'", trigger.Function.FullName, trigger.Container, blob.Name);
                return (true, null, false);
            }
            return (false, WorkerChannel.Describe(response.Result), false);
        }
        catch (InvalidOperationException ex)
        {
            logger.LogError("'{Function}' could not run for blob '{Container}/{Blob}': {Error}", trigger.Function.FullName, trigger.Container, blob.Name, ex.Message);
            return (false, ex.Message, true);
        }
    }

    /// <summary>
    /// SDK-type parameters (Stream, BlobClient, string... the SDK marks them supportsDeferredBinding) get model
    /// binding data and the worker reads the blob itself; anything else gets the content as bytes.
    /// </summary>
    private static async Task<TypedData> InputAsync(BlobTriggerFunction trigger, BlobClient blob, CancellationToken cancellationToken)
    {
        if (trigger.Function.Trigger!.SupportsDeferredBinding)
        {
            var content = JsonSerializer.Serialize(new { Connection = trigger.ConnectionName, ContainerName = trigger.Container, BlobName = blob.Name });
            return new TypedData
            {
                ModelBindingData = new ModelBindingData
                {
                    Version = "1.0",
                    Source = "AzureStorageBlobs",
                    ContentType = "application/json",
                    Content = ByteString.CopyFrom(content, Encoding.UTF8),
                },
            };
        }
        var download = await blob.DownloadContentAsync(cancellationToken);
        return new TypedData { Bytes = ByteString.CopyFrom(download.Value.Content.ToMemory().Span) };
    }

    private BlobClient Receipt(BlobTriggerFunction trigger, string blobName, ETag etag) =>
        new BlobContainerClient(trigger.ConnectionString, ReceiptsContainer)
            .GetBlobClient($"blobreceipts/{host.HostId}/{trigger.Function.FullName}/{etag}/{trigger.Container}/{blobName}");
}
