using Microsoft.Azure.Functions.Worker;

namespace CoursePlatform.Functions.Features.Auth;

public sealed class ExpireRefreshSessionsFunction(SessionCleanupService cleanup)
{
    /// <summary>Schedule from the SessionExpirySchedule app setting (default hourly: <c>0 0 * * * *</c>).</summary>
    [Function("ExpireRefreshSessions")]
    public Task Run([TimerTrigger("%SessionExpirySchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        cleanup.RunAsync(cancellationToken);
}
