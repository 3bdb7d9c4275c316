using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Cart;

/// <summary>
/// A course whose payment is on its way (a bank debit completed checkout and clears in days) cannot be bought again
/// until it is paid or fails: it would be taken twice. The cart refuses to add it; checkout's payment gateway refuses a
/// line added before the debit was reported.
/// </summary>
public static class DelayedPayments
{
    public static async Task RefuseWhileOnItsWayAsync(CoursePlatformDbContext db, Guid userId, Guid courseId, string courseName, CancellationToken cancellationToken)
    {
        if (await db.Orders.AnyAsync(o => o.UserId == userId && o.Status == OrderStatus.Pending && o.AwaitingPaymentSince != null
                && o.Lines.Any(l => l.CourseId == courseId), cancellationToken))
        {
            throw ProblemException.Conflict($"Your payment for {courseName} was made with a method that clears later and is still on its way: "
                + "it cannot be bought again until that payment succeeds or fails; leave it out of the cart meanwhile.", ProblemCodes.PaymentProcessing);
        }
    }
}
