using Azure;
using Azure.Storage.Blobs;
using CoursePlatform.FunctionsHost.Configuration;

namespace CoursePlatform.FunctionsHost.Blobs;

/// <summary>
/// Polls the containers of blob-trigger functions for new or changed blobs (the real host's container scan).
/// Event Grid-sourced functions are scanned too unless FunctionsHost:PollEventGridBlobs is false: on a laptop
/// nothing posts Event Grid events, and receipts keep a blob from running twice when both paths see it.
/// </summary>
public sealed class BlobContainerScanner(BlobTriggerDispatcher dispatcher, AppSettings settings, ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger("Host.Blobs");
    private readonly List<Task> loops = [];

    public TimeSpan Interval { get; } = TimeSpan.FromSeconds(
        double.TryParse(settings["FunctionsHost:BlobPollSeconds"] ?? settings["FunctionsHost__BlobPollSeconds"], System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 0 ? seconds : 2);

    public bool PollsEventGridFunctions { get; } =
        !string.Equals(settings["FunctionsHost:PollEventGridBlobs"] ?? settings["FunctionsHost__PollEventGridBlobs"], "false", StringComparison.OrdinalIgnoreCase);

    public bool Polls(BlobTriggerFunction trigger) => !trigger.IsEventGridSource || PollsEventGridFunctions;

    public void Start(IEnumerable<BlobTriggerFunction> triggers, CancellationToken stopping)
    {
        foreach (var trigger in triggers.Where(Polls))
        {
            loops.Add(Task.Run(() => RunAsync(trigger, stopping), CancellationToken.None));
        }
    }

    public Task StoppedAsync() => Task.WhenAll(loops);

    private async Task RunAsync(BlobTriggerFunction trigger, CancellationToken stopping)
    {
        var container = new BlobContainerClient(trigger.ConnectionString, trigger.Container);
        // Versions already handled in this run: no need to ask storage for their receipts on every pass.
        var handled = new HashSet<(string Name, ETag ETag)>();
        var warned = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await foreach (var item in container.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, trigger.Prefix.Length > 0 ? trigger.Prefix : null, stopping))
                {
                    if (item.Properties.ETag is not { } etag || handled.Contains((item.Name, etag))) continue;
                    // Versions whose run was cut short (the worker died) are looked at again on the next pass.
                    if (await dispatcher.ProcessAsync(trigger, item.Name, stopping)) handled.Add((item.Name, etag));
                }
                warned = false;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // The container does not exist yet; the real host waits for it too.
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or AggregateException)
            {
                if (!warned) logger.LogWarning("Blob scan for '{Function}' failed ({Error}); retrying every {Seconds} s", trigger.Function.Name, ex.Message, Interval.TotalSeconds);
                warned = true;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            try { await Task.Delay(Interval, stopping); } catch (OperationCanceledException) { return; }
        }
    }
}
