using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoursePlatform.Functions.Features.AiTutor;

/// <summary>
/// Typed-prompt quota per (learner, course, module) in <c>module_prompt_usage</c>: a window starts with its
/// first prompt and lasts <see cref="AiTutorOptions.QuotaWindow"/>. Taking a prompt is one conditional upsert
/// (<see cref="TakeStatement"/>, run inside the tutor's ask statement),
/// so concurrent prompts never take more than the limit; an ended window starts afresh on the next prompt,
/// and the <c>ResetPromptQuotas</c> timer deletes the counters of ended windows in one statement.
/// </summary>
public sealed class PromptQuota(CoursePlatformDbContext db, IOptions<AiTutorOptions> options, TimeProvider time, ILogger<PromptQuota> logger)
{
    private int Limit => options.Value.PromptsPerWindow;

    /// <summary>
    /// Taking one prompt as one conditional upsert, for the tutor to run as a CTE of its ask's statement (so the rate limit,
    /// the take and the session it opens cost one round trip): one row <c>(used, ends_at)</c> when taken, none when the
    /// window's prompts are used up (then <see cref="RefuseAsync"/>) or <paramref name="onlyWhen"/> (a <c>FROM ... WHERE</c>
    /// clause) selects nothing. Parameters are named <c>@quota_*</c>.
    /// </summary>
    public (string Sql, NpgsqlParameter[] Parameters) TakeStatement(Guid userId, Guid courseId, int moduleNo, DateTimeOffset now, string onlyWhen = "") =>
        ($"""
            INSERT INTO module_prompt_usage AS m (id, user_id, course_id, module_no, used_count, window_started_at, window_ends_at, updated_at)
            SELECT @quota_id, @quota_user, @quota_course, @quota_module, 1, @quota_now, @quota_ends, @quota_now {onlyWhen}
            ON CONFLICT (user_id, course_id, module_no) DO UPDATE SET
                used_count = CASE WHEN m.window_ends_at <= @quota_now THEN 1 ELSE m.used_count + 1 END,
                window_started_at = CASE WHEN m.window_ends_at <= @quota_now THEN @quota_now ELSE m.window_started_at END,
                window_ends_at = CASE WHEN m.window_ends_at <= @quota_now THEN @quota_ends ELSE m.window_ends_at END,
                updated_at = @quota_now
            WHERE m.window_ends_at <= @quota_now OR m.used_count < @quota_limit
            RETURNING m.used_count AS used, m.window_ends_at AS ends_at
            """,
        [
            new("quota_id", Guid.CreateVersion7()), new("quota_user", userId), new("quota_course", courseId), new("quota_module", moduleNo),
            new("quota_now", now), new("quota_ends", now + options.Value.QuotaWindow), new("quota_limit", Limit),
        ]);

    /// <summary>What is left after a take that returned <paramref name="used"/> and <paramref name="endsAt"/>.</summary>
    public QuotaDto Taken(int used, DateTimeOffset endsAt) => new(Math.Max(0, Limit - used), Limit, endsAt);

    /// <summary>The 429 with <c>Retry-After</c> for a take that found the window's prompts used up.</summary>
    public async Task<ProblemException> RefuseAsync(Guid userId, Guid courseId, int moduleNo, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var endsAt = await db.ModulePromptUsages.AsNoTracking()
            .Where(u => u.UserId == userId && u.CourseId == courseId && u.ModuleNo == moduleNo)
            .Select(u => u.WindowEndsAt).SingleAsync(cancellationToken);
        return ProblemException.TooManyRequests(endsAt - now,
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

}
