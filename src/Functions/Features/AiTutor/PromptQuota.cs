using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// Typed-prompt quota per (learner, course, module) in <c>module_prompt_usage</c>: a window starts with its
/// first prompt and lasts <see cref="AiTutorOptions.QuotaWindow"/>. Taking a prompt is one conditional upsert,
/// so concurrent prompts never take more than the limit; an ended window starts afresh on the next prompt,
/// and the <c>ResetPromptQuotas</c> timer deletes the counters of ended windows in one statement.
/// </summary>
public sealed class PromptQuota(CoursePlatformDbContext db, IOptions<AiTutorOptions> options, TimeProvider time, ILogger<PromptQuota> logger)
{
    private int Limit => options.Value.PromptsPerWindow;

    /// <summary>Takes one prompt, or throws 429 with <c>Retry-After</c> when the window's prompts are used up.</summary>
    public async Task<QuotaDto> TakeAsync(Guid userId, Guid courseId, int moduleNo, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var ends = now + options.Value.QuotaWindow;
        var taken = await db.Database.SqlQuery<Usage>($"""
            INSERT INTO module_prompt_usage AS m (id, user_id, course_id, module_no, used_count, window_started_at, window_ends_at, updated_at)
            VALUES ({Guid.CreateVersion7()}, {userId}, {courseId}, {moduleNo}, 1, {now}, {ends}, {now})
            ON CONFLICT (user_id, course_id, module_no) DO UPDATE SET
                used_count = CASE WHEN m.window_ends_at <= {now} THEN 1 ELSE m.used_count + 1 END,
                window_started_at = CASE WHEN m.window_ends_at <= {now} THEN {now} ELSE m.window_started_at END,
                window_ends_at = CASE WHEN m.window_ends_at <= {now} THEN {ends} ELSE m.window_ends_at END,
                updated_at = {now}
            WHERE m.window_ends_at <= {now} OR m.used_count < {Limit}
            RETURNING m.used_count AS used, m.window_ends_at AS ends_at
            """).ToListAsync(cancellationToken);
        if (taken.Count == 1) return new QuotaDto(Math.Max(0, Limit - taken[0].Used), Limit, taken[0].EndsAt);

        var endsAt = await db.ModulePromptUsages.AsNoTracking()
            .Where(u => u.UserId == userId && u.CourseId == courseId && u.ModuleNo == moduleNo)
            .Select(u => u.WindowEndsAt).SingleAsync(cancellationToken);
        throw ProblemException.TooManyRequests(endsAt - now,
            $"Quota: your {Limit} typed questions for this module are used up until {endsAt:yyyy-MM-dd HH:mm} UTC; suggested prompts stay free.", ProblemCodes.QuotaExceeded);
    }

    /// <summary>Gives a prompt back (the answer failed on our side, so it must not cost the learner).</summary>
    public Task ReturnAsync(Guid userId, Guid courseId, int moduleNo) =>
        db.ModulePromptUsages.Where(u => u.UserId == userId && u.CourseId == courseId && u.ModuleNo == moduleNo && u.UsedCount > 0)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.UsedCount, u => u.UsedCount - 1));

    /// <summary>What is left without taking anything (for answers that cost nothing).</summary>
    public async Task<QuotaDto> PeekAsync(Guid userId, Guid courseId, int moduleNo, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var usage = await db.ModulePromptUsages.AsNoTracking()
            .Where(u => u.UserId == userId && u.CourseId == courseId && u.ModuleNo == moduleNo && u.WindowEndsAt > now)
            .Select(u => new { u.UsedCount, u.WindowEndsAt }).SingleOrDefaultAsync(cancellationToken);
        return usage is null ? new QuotaDto(Limit, Limit, null) : new QuotaDto(Math.Max(0, Limit - usage.UsedCount), Limit, usage.WindowEndsAt);
    }

    /// <summary>
    /// The timer's work: deletes every counter whose window has ended, in one statement. Idempotent. A missing row
    /// and an ended one mean the same (a full quota; the next prompt starts a window), and a delete writes no new
    /// row versions or index entries, unlike zeroing: 500,000 ended among 1,000,000 take a fraction of the time.
    /// </summary>
    public async Task<int> ResetEndedAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var reset = await db.ModulePromptUsages.Where(u => u.WindowEndsAt <= now).ExecuteDeleteAsync(cancellationToken);
        logger.LogInformation("Reset {Counters} typed-prompt quota counters whose window had ended", reset);
        return reset;
    }

    private sealed record Usage(int Used, DateTimeOffset EndsAt);
}
