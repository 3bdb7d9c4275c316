using CoursePlatform.Functions.Infrastructure.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// At worker start-up, indexes the lessons that changed since they were indexed (the seed's, or edits made
/// while no worker ran), then embeds the tutor's everyday background (<see cref="BackgroundSimilarity"/>), in the
/// background: the app serves meanwhile (its questions go first to the encoder), and a failure is logged, not fatal.
/// </summary>
public sealed class LessonIndexSweep(IServiceScopeFactory scopes, ILogger<LessonIndexSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<LessonIndexer>().IndexStaleAsync(stoppingToken);
            var models = scope.ServiceProvider.GetRequiredService<EmbeddingModels>();
            await scope.ServiceProvider.GetRequiredService<BackgroundSimilarity>().WarmAsync(models.Current);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Indexing the lessons for the tutor failed; it is tried again at the next start");
        }
    }
}
