using System.Text.Json.Nodes;
using CoursePlatform.FunctionsHost.Blobs;
using CoursePlatform.FunctionsHost.Configuration;
using CoursePlatform.FunctionsHost.Functions;
using CoursePlatform.FunctionsHost.Timers;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>The host's pure parts: schedules, blob paths, settings expressions.</summary>
public sealed class UnitTests
{
    [Fact]
    public void Six_field_schedule_has_seconds()
    {
        var schedule = TimerSchedule.Parse("*/15 * * * * *");
        Assert.Equal(new DateTime(2026, 1, 1, 10, 0, 15), schedule.Next(new DateTime(2026, 1, 1, 10, 0, 0)));
        Assert.Equal(new DateTime(2026, 1, 1, 10, 0, 30), schedule.Next(new DateTime(2026, 1, 1, 10, 0, 15)));
    }

    [Fact]
    public void Five_field_cron_and_timespan_schedules_are_accepted()
    {
        Assert.Equal(new DateTime(2026, 1, 1, 11, 0, 0), TimerSchedule.Parse("0 * * * *").Next(new DateTime(2026, 1, 1, 10, 30, 0)));
        Assert.Equal(new DateTime(2026, 1, 1, 10, 35, 0), TimerSchedule.Parse("00:05:00").Next(new DateTime(2026, 1, 1, 10, 30, 0)));
    }

    [Fact]
    public void Setting_expressions_resolve_and_a_missing_setting_is_named()
    {
        var settings = new AppSettings(new Dictionary<string, string> { ["Schedule"] = "0 */5 * * * *" });
        Assert.Equal("0 */5 * * * *", settings.Resolve("%Schedule%"));
        var error = Assert.Throws<HostStartupException>(() => settings.Resolve("%Missing%"));
        Assert.Contains("'Missing'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Blob_path_gives_container_prefix_and_parameters()
    {
        var settings = new AppSettings(new Dictionary<string, string> { ["Container"] = "uploads", ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });
        var trigger = BlobTriggerFunction.Create(Function("""{"name":"blob","type":"blobTrigger","direction":"In","path":"%Container%/incoming/{course}/{name}.pptx"}"""), settings);

        Assert.Equal("uploads", trigger.Container);
        Assert.Equal("incoming/", trigger.Prefix);
        var parameters = trigger.Match("incoming/cloud-101/week 1.pptx");
        Assert.NotNull(parameters);
        Assert.Equal("cloud-101", parameters["course"]);
        Assert.Equal("week 1", parameters["name"]);
        Assert.Null(trigger.Match("incoming/cloud-101/notes.txt"));
        Assert.Null(trigger.Match("other/cloud-101/a.pptx"));
    }

    [Fact]
    public void Blob_path_needs_a_fixed_container()
    {
        var settings = new AppSettings(new Dictionary<string, string> { ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true" });
        Assert.Throws<HostStartupException>(() => BlobTriggerFunction.Create(Function("""{"name":"b","type":"blobTrigger","path":"{container}/{name}"}"""), settings));
    }

    private static FunctionDefinition Function(string bindingJson)
    {
        var metadata = new RpcFunctionMetadata { FunctionId = "1", Name = "Test" };
        metadata.RawBindings.Add(JsonNode.Parse(bindingJson)!.ToJsonString());
        return FunctionDefinition.FromWorker(metadata, "/app");
    }
}
