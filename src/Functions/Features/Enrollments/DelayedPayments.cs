using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Enrollments;

/// <summary>
/// A course whose payment is on its way (a bank debit completed checkout and clears in days) is held by that payment
/// until it is paid or fails: it cannot be bought again (it would be taken twice), and its pending enrolment cannot be
/// cancelled (the money may still arrive). The cart refuses to add it, checkout's payment gateway refuses a line added
/// before the debit was reported, and the learner's cancel refuses it.
/// </summary>
public static class DelayedPayments
{
    public static Task<bool> OnItsWayAsync(CoursePlatformDbContext db, Guid userId, Guid courseId, CancellationToken cancellationToken) =>
        db.Orders.AnyAsync(o => o.UserId == userId && o.Status == OrderStatus.Pending && o.AwaitingPaymentSince != null
            && o.Lines.Any(l => l.CourseId == courseId), cancellationToken);

    /// <summary>
    /// The same question with the learner's pending orders of the course locked for the rest of the caller's transaction:
    /// a webhook settling one (it takes the same row lock) has committed and is seen here, or waits until the caller ends.
    /// </summary>
    public static async Task<bool> LockAndCheckOnItsWayAsync(CoursePlatformDbContext db, Guid userId, Guid courseId, CancellationToken cancellationToken)
    {
        var pending = await db.Orders.FromSql($"""
            SELECT * FROM orders
            WHERE user_id = {userId} AND status = 'pending' AND id IN (SELECT order_id FROM order_lines WHERE course_id = {courseId})
            ORDER BY id FOR UPDATE
            """).AsNoTracking().ToListAsync(cancellationToken);
        return pending.Any(o => o.AwaitingPaymentSince != null);
    }

    public static async Task RefuseWhileOnItsWayAsync(CoursePlatformDbContext db, Guid userId, Guid courseId, string courseName, CancellationToken cancellationToken)
    {
        if (await OnItsWayAsync(db, userId, courseId, cancellationToken))
        {
            throw ProblemException.Conflict($"Your payment for {courseName} was made with a method that clears later and is still on its way: "
                + "it cannot be bought again until that payment succeeds or fails; leave it out of the cart meanwhile.", ProblemCodes.PaymentProcessing);
        }
    }
}
