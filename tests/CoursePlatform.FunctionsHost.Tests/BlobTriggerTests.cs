using System.Net;
using System.Text;
using System.Text.Json;
using CoursePlatform.FunctionsHost.Tests.Infrastructure;
using CoursePlatform.Testing;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>
/// Blob triggers against real Azurite: container scan with receipts (once per blob version, across restarts),
/// the Event Grid webhook, and bounded retries ending in "poisoned". Event Grid-sourced functions are not
/// scanned in this host (FunctionsHost:PollEventGridBlobs=false), so only the webhook can fire them.
/// </summary>
public sealed class BlobTriggerTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(60);
    private readonly FixtureSettings fixture = new();
    private HostProcess host = null!;

    private Dictionary<string, string> Settings
    {
        get
        {
            var values = fixture.Values();
            values["FunctionsHost:PollEventGridBlobs"] = "false";
            return values;
        }
    }

    public async Task InitializeAsync()
    {
        host = FixtureHost.Start(Settings);
        await host.WaitUntilRunningAsync();
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await fixture.DeleteContainersAsync();
    }

    [Fact]
    public async Task New_blob_triggers_once_and_changed_content_triggers_again()
    {
        var name = $"a-{Guid.NewGuid():N}.txt";
        await FixtureSettings.UploadAsync(fixture.BlobContainer, name, "version 1");
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.MarkersAsync($"blob/{name}")).Count >= 1, Wait), host.Output);

        // A later blob is handled on a later pass of the scan: by then a duplicate for the first would have run.
        await ProcessedAsync(fixture.BlobContainer, "blob");
        Assert.Equal(["version 1"], await fixture.MarkersAsync($"blob/{name}"));

        await FixtureSettings.UploadAsync(fixture.BlobContainer, name, "version 2");
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.MarkersAsync($"blob/{name}")).Count >= 2, Wait), host.Output);
        await ProcessedAsync(fixture.BlobContainer, "blob");
        Assert.Equal(["version 1", "version 2"], (await fixture.MarkersAsync($"blob/{name}")).Order());
    }

    [Fact]
    public async Task Receipts_survive_a_restart_of_the_host()
    {
        var name = $"a-{Guid.NewGuid():N}.txt";
        await FixtureSettings.UploadAsync(fixture.BlobContainer, name, "before restart");
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.MarkersAsync($"blob/{name}")).Count >= 1, Wait), host.Output);

        await host.DisposeAsync();
        host = FixtureHost.Start(Settings);
        await host.WaitUntilRunningAsync();

        // The restarted host scans the container in name order: once the later blob ran, the earlier one was seen.
        await ProcessedAsync(fixture.BlobContainer, "blob");
        Assert.Single(await fixture.MarkersAsync($"blob/{name}"));
    }

    [Fact]
    public async Task Event_grid_blob_created_event_triggers_the_function()
    {
        var name = $"{Guid.NewGuid():N}.txt";
        await FixtureSettings.UploadAsync(fixture.EventContainer, name, "from event grid");
        var events = new[]
        {
            new
            {
                id = Guid.NewGuid().ToString(),
                eventType = "Microsoft.Storage.BlobCreated",
                subject = $"/blobServices/default/containers/{fixture.EventContainer}/blobs/{name}",
                eventTime = DateTimeOffset.UtcNow,
                dataVersion = "",
                data = new { api = "PutBlob", url = $"http://127.0.0.1:10000/devstoreaccount1/{fixture.EventContainer}/{name}" },
            },
        };

        using var response = await PostWebhookAsync("Host.Functions.EventGridRecorder", "Notification", JsonSerializer.Serialize(events));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.MarkersAsync($"event/{name}")).Count >= 1, Wait), host.Output);
        Assert.Equal(["from event grid"], await fixture.MarkersAsync($"event/{name}"));
    }

    [Fact]
    public async Task Event_for_a_blob_the_scan_already_handled_does_not_run_it_again()
    {
        var name = $"a-{Guid.NewGuid():N}.txt";
        await FixtureSettings.UploadAsync(fixture.BlobContainer, name, "scanned");
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.MarkersAsync($"blob/{name}")).Count >= 1, Wait), host.Output);

        using var response = await PostWebhookAsync("Host.Functions.BlobRecorder", "Notification", JsonSerializer.Serialize(new[]
        {
            new { id = "1", eventType = "Microsoft.Storage.BlobCreated", subject = $"/blobServices/default/containers/{fixture.BlobContainer}/blobs/{name}", data = new { } },
        }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        // Same receipt for the same version, whichever path saw it. A duplicate run would start right after the
        // post; the sentinel's upload, scan and run take longer than that.
        var sentinel = $"z-{Guid.NewGuid():N}.txt";
        await FixtureSettings.UploadAsync(fixture.BlobContainer, sentinel, "sentinel");
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.MarkersAsync($"blob/{sentinel}")).Count >= 1, Wait), host.Output);
        Assert.Equal(["scanned"], await fixture.MarkersAsync($"blob/{name}"));
    }

    [Fact]
    public async Task Event_grid_subscription_validation_is_answered()
    {
        var code = Guid.NewGuid().ToString();
        var events = new[]
        {
            new
            {
                id = Guid.NewGuid().ToString(),
                eventType = "Microsoft.EventGrid.SubscriptionValidationEvent",
                subject = "",
                data = new { validationCode = code },
            },
        };

        using var response = await PostWebhookAsync("Host.Functions.EventGridRecorder", "SubscriptionValidation", JsonSerializer.Serialize(events));
        using var unknown = await PostWebhookAsync("Host.Functions.NoSuchFunction", "SubscriptionValidation", JsonSerializer.Serialize(events));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, json.RootElement.GetProperty("validationResponse").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Failing_blob_function_is_retried_up_to_the_threshold_then_poisoned()
    {
        var name = $"{Guid.NewGuid():N}.txt";
        await FixtureSettings.UploadAsync(fixture.PoisonContainer, name, "bad input");

        Assert.True(await Eventually.HoldsAsync(
            () => Task.FromResult(host.Output.Contains($"/{name}' is poisoned", StringComparison.Ordinal)), Wait), host.Output);
        // The fixture's host.json sets blobs.poisonBlobThreshold to 3; the poisoned line comes after the last attempt.
        Assert.Equal(3, (await fixture.MarkersAsync($"poison/{name}")).Count);
    }

    /// <summary>Uploads a blob named to sort after the test's own and waits until the function ran for it.</summary>
    private async Task ProcessedAsync(string container, string markerKind)
    {
        var sentinel = $"z-{Guid.NewGuid():N}.txt";
        await FixtureSettings.UploadAsync(container, sentinel, "sentinel");
        Assert.True(await Eventually.HoldsAsync(async () => (await fixture.MarkersAsync($"{markerKind}/{sentinel}")).Count >= 1, Wait), host.Output);
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string functionName, string eventType, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"runtime/webhooks/blobs?functionName={functionName}")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("aeg-event-type", eventType);
        return await host.AdminClient.SendAsync(request);
    }
}
