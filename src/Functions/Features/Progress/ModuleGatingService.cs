using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Progress;

/// <summary>Loads the facts gating needs for one learner and course in one round trip, then evaluates them.</summary>
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
                Pairs = db.QuizQuestions.Where(q => q.CourseId == courseId && q.ModuleNo == g.Key).Select(q => q.TopicPairIndex).Distinct().Count(),
                Progress = db.ModuleProgress.Where(m => m.UserId == userId && m.CourseId == courseId && m.ModuleNo == g.Key)
                    .Select(m => new { m.PassedAt, m.CooldownUntil }).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        return ModuleGating.Evaluate(
            modules.Select(m => new ModuleFacts(m.ModuleNo, m.Topics, m.Pairs, m.Progress?.PassedAt, m.Progress?.CooldownUntil)).ToList(),
            time.GetUtcNow());
    }
}
