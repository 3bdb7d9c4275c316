using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace CoursePlatform.Functions.Infrastructure.Telemetry;

/// <summary>
/// Ratio sampling that still records what it drops (RecordOnly), so <see cref="KeepFailuresProcessor"/> can keep a trace
/// that turns out to have failed. A sampled parent (the host's request) keeps its children.
/// </summary>
public sealed class KeepFailuresSampler(double ratio) : Sampler
{
    /// <summary>The percentage (a float, as the exporter reads it) Application Insights turns into an item count (100 / rate).</summary>
    public const string SampleRateTag = "microsoft.sample_rate";

    private readonly TraceIdRatioBasedSampler byTraceId = new(ratio);
    private readonly SamplingResult all = new(SamplingDecision.RecordAndSample, [new(SampleRateTag, 100f)]);
    private readonly SamplingResult sampled = new(SamplingDecision.RecordAndSample, [new(SampleRateTag, (float)(ratio * 100))]);
    private readonly SamplingResult recordedOnly = new(SamplingDecision.RecordOnly);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        if (samplingParameters.ParentContext.TraceId != default && samplingParameters.ParentContext.TraceFlags.HasFlag(ActivityTraceFlags.Recorded))
            return all;
        return byTraceId.ShouldSample(samplingParameters).Decision == SamplingDecision.RecordAndSample ? sampled : recordedOnly;
    }
}

/// <summary>
/// Marks a span that was recorded but not sampled for export when it failed: an error status, an exception, or an HTTP
/// response of 400 or more (Application Insights' definition of a failed request).
/// </summary>
public sealed class KeepFailuresProcessor : BaseProcessor<Activity>
{
    public const string StatusCodeTag = "http.response.status_code";

    public override void OnEnd(Activity data)
    {
        if (data.Recorded || !Failed(data)) return;
        data.ActivityTraceFlags |= ActivityTraceFlags.Recorded;
        data.SetTag(KeepFailuresSampler.SampleRateTag, 100f); // kept whatever the ratio: it counts once

    }

    public static bool Failed(Activity activity) =>
        activity.Status == ActivityStatusCode.Error
        || activity.Events.Any(e => e.Name == "exception")
        || activity.GetTagItem(StatusCodeTag) is int status && status >= 400;
}
