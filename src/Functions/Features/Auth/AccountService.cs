using CoursePlatform.Data;
using CoursePlatform.Functions.Features.ColdCalls;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Auth;

/// <summary>
/// Deleting one's own account: the database cascades to every personal row; cold-call messages others replied under
/// stay as tombstones (<see cref="ColdCallAuthors"/>). Orders are the record of money and
/// restrict the deletion, so the ones that never moved any (cancelled or expired, never paid) go first, and an
/// account with an order that did, or may still (pending), is refused with a 409 instead of failing on the key.
/// </summary>
public sealed class AccountService(CoursePlatformDbContext db, ColdCallAuthors coldCalls)
{
    public async Task DeleteAsync(Guid userId, CancellationToken cancellationToken)
    {
        // Joins the audit middleware's transaction when an admin deletes their own account.
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        // Lock the user row: a checkout of the same user waits, so no order appears between the check and the delete.
        await db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM users WHERE id = {userId} FOR UPDATE", cancellationToken);
        await db.Orders.Where(o => o.UserId == userId && (o.Status == OrderStatus.Cancelled || o.Status == OrderStatus.Expired)
                && o.PaidAt == null && o.ProviderPaymentId == null)
            .ExecuteDeleteAsync(cancellationToken);
        var kept = await db.Orders.CountAsync(o => o.UserId == userId, cancellationToken);
        if (kept > 0)
        {
            throw ProblemException.Conflict(
                $"The account has {kept} order(s) that are a record of a payment (paid, refunded or still being paid), which must be kept; " +
                "it cannot be deleted here. Wait for a pending payment to end, or ask support to close the account.",
                ProblemCodes.AccountHasOrders);
        }
        await coldCalls.ForgetAsync(userId, cancellationToken);
        await db.Users.Where(u => u.Id == userId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
