using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Progress;

/// <summary>Loads the facts gating needs for one learner and course in two small queries, then evaluates them.</summary>
public sealed class ModuleGatingService(CoursePlatformDbContext db, TimeProvider time)
{
    public async Task<IReadOnlyList<ModuleState>> EvaluateAsync(Guid userId, Guid courseId, CancellationToken cancellationToken)
    {
        var modules = await db.Topics.AsNoTracking()
            .Where(t => t.CourseId == courseId)
            .GroupBy(t => t.ModuleNo)
            .Select(g => new
            {
                ModuleNo = g.Key,
                Topics = g.Count(),
                Progress = db.ModuleProgress.Where(m => m.UserId == userId && m.CourseId == courseId && m.ModuleNo == g.Key)
                    .Select(m => new { m.PassedAt, m.CooldownUntil }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var pairsWithQuestions = await db.QuizQuestions.AsNoTracking()
            .Where(q => q.CourseId == courseId).Where(TopicPairs.Gradable)
            .Select(q => new { q.ModuleNo, q.TopicPairIndex }).Distinct()
            .ToListAsync(cancellationToken);
        return ModuleGating.Evaluate(
            modules.Select(m => ModuleFacts.Of(m.ModuleNo, m.Topics,
                pairsWithQuestions.Where(p => p.ModuleNo == m.ModuleNo).Select(p => p.TopicPairIndex),
                m.Progress?.PassedAt, m.Progress?.CooldownUntil)).ToList(),
            time.GetUtcNow());
    }
}
