using Microsoft.Azure.Functions.Worker;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>
/// Runs the re-ingestions admins queued (<c>POST /manage/courses/{course}/sources/reingest</c> answers 202 at once).
/// A timer rather than a queue trigger: the request is a <c>content_ingestions</c> row, claimed by the same log and
/// lease as the blob trigger's runs, so no second queue can disagree with the log. Every 15 seconds; a run with
/// nothing queued is one small query. Like every timer, one instance runs it at a time (the host's singleton lock).
/// </summary>
public sealed class RunRequestedIngestionsFunction(SourceService sources)
{
    public const string Schedule = "*/15 * * * * *";

    [Function("RunRequestedIngestions")]
    public Task Run([TimerTrigger(Schedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        sources.RunRequestedAsync(cancellationToken);
}
