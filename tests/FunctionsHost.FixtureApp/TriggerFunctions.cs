using Azure.Storage.Blobs;
using Microsoft.Azure.Functions.Worker;

namespace FunctionsHost.FixtureApp;

public static class TriggerFunctions
{
    /// <summary>Polled container; Stream parameter, so the host must send model binding data and the worker reads the blob.</summary>
    [Function("BlobRecorder")]
    public static async Task BlobRecorder([BlobTrigger("%FixtureBlobContainer%/{name}")] Stream blob, string name)
    {
        using var reader = new StreamReader(blob);
        await Markers.WriteAsync($"blob/{name}", await reader.ReadToEndAsync());
    }

    /// <summary>Event Grid sourced, like the production app on Flex Consumption; BlobClient parameter.</summary>
    [Function("EventGridRecorder")]
    public static async Task EventGridRecorder(
        [BlobTrigger("%FixtureEventContainer%/{name}", Source = BlobTriggerSource.EventGrid)] BlobClient blob, string name)
    {
        var content = await blob.DownloadContentAsync();
        await Markers.WriteAsync($"event/{name}", content.Value.Content.ToString());
    }

    /// <summary>Always fails after recording the attempt: the host must retry a bounded number of times, then give up.</summary>
    [Function("PoisonBlob")]
    public static async Task PoisonBlob([BlobTrigger("%FixturePoisonContainer%/{name}")] string content, string name)
    {
        await Markers.WriteAsync($"poison/{name}", content);
        throw new InvalidOperationException($"PoisonBlob always fails ({name}).");
    }

    [Function("ScheduledTick")]
    public static Task ScheduledTick([TimerTrigger("%FixtureSchedule%")] TimerInfo timer)
        => Markers.WriteAsync("timer/ScheduledTick", timer.IsPastDue ? "past-due" : "on-time");

    /// <summary>Scheduled once a year: the tests run it through the admin endpoint.</summary>
    [Function("ManualTick")]
    public static Task ManualTick([TimerTrigger("0 0 0 1 1 *")] TimerInfo timer)
        => Markers.WriteAsync("timer/ManualTick", timer.IsPastDue ? "past-due" : "on-time");
}
