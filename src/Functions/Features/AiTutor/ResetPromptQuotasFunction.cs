using Microsoft.Azure.Functions.Worker;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>Zeroes the typed-prompt counters whose window has ended, on <c>%QuotaResetSchedule%</c> (default 00:00 UTC daily).</summary>
public sealed class ResetPromptQuotasFunction(PromptQuota quota)
{
    [Function("ResetPromptQuotas")]
    public Task Run([TimerTrigger("%QuotaResetSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        quota.ResetEndedAsync(cancellationToken);
}
