using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.ColdCalls;

/// <summary>
/// What an account's deletion does to its cold-call messages. A message others replied under stays as a tombstone
/// (<see cref="DeletedContent"/>, no author), so their replies keep their thread; the author's other messages go.
/// </summary>
public sealed class ColdCallAuthors(CoursePlatformDbContext db)
{
    public const string DeletedContent = "[deleted: its author closed their account]";

    /// <summary>Runs in the deletion's transaction, before the user row goes (its key then clears the tombstones' author).</summary>
    public async Task ForgetAsync(Guid userId, CancellationToken cancellationToken)
    {
        await db.ColdCallMessages
            .Where(m => m.UserId == userId && db.ColdCallMessages.Any(r => (r.ParentId == m.Id || r.RootId == m.Id) && r.UserId != userId))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Content, DeletedContent).SetProperty(m => m.UserId, (Guid?)null).SetProperty(m => m.EditedAt, (DateTimeOffset?)null), cancellationToken);
        await db.ColdCallMessages.Where(m => m.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }
}
