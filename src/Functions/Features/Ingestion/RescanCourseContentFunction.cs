using Microsoft.Azure.Functions.Worker;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>
/// The safety net under the Event Grid blob trigger: on <c>%ContentRescanSchedule%</c> (default 03:30 UTC daily)
/// ingests every blob version of <c>course-content</c> that no event brought (<see cref="ContentRescan"/>). The
/// post-deploy hook also runs it once right after creating the subscription, through the host's admin endpoint
/// for non-HTTP functions (<c>POST /admin/functions/RescanCourseContent</c> with the master key).
/// </summary>
public sealed class RescanCourseContentFunction(ContentRescan rescan)
{
    [Function("RescanCourseContent")]
    public Task Run([TimerTrigger("%ContentRescanSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        rescan.RunAsync(prefix: null, cancellationToken);
}
