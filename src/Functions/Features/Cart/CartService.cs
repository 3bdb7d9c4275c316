using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Features.Enrollments;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.Cart;

/// <summary>
/// The live cart (<c>cart_lines</c>: one line per course, priced when added) and the saved-for-later list
/// (<c>cart_items</c>). Every query is keyed by the caller's id, so nobody can see or change another
/// learner's cart. Adding is idempotent and never checks cohort eligibility: checkout decides that.
/// </summary>
public sealed class CartService(CoursePlatformDbContext db, CourseResolver courses, TimeProvider time)
{
    private static readonly System.Linq.Expressions.Expression<Func<CartLine, CartLineDto>> LineDto = l => new CartLineDto(
        l.CourseId, l.Course.Slug, l.Course.Name, l.UnitPrice, l.Currency,
        l.Course.Price, l.Course.Currency, l.UnitPrice != l.Course.Price || l.Currency != l.Course.Currency,
        l.Course.IsPublished, l.AddedAt);

    /// <summary>One line of the caller's cart (the <c>Location</c> of an added line); 404 when the course is not in it.</summary>
    public async Task<CartLineDto> GetLineAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, NotIn("your cart"), cancellationToken);
        return await Lines(userId, course.Id).AsNoTracking().Select(LineDto).SingleOrDefaultAsync(cancellationToken) ?? throw NotIn("your cart");
    }

    public async Task<CartDto> GetAsync(Guid userId, CancellationToken cancellationToken)
    {
        var lines = await db.CartLines.AsNoTracking()
            .Where(l => l.UserId == userId)
            .OrderBy(l => l.AddedAt).ThenBy(l => l.Id)
            .Select(LineDto)
            .ToListAsync(cancellationToken);
        var saved = await db.CartItems.AsNoTracking()
            .Where(i => i.UserId == userId)
            .OrderBy(i => i.SavedAt).ThenBy(i => i.Id)
            .Select(i => new SavedItemDto(i.CourseId, i.CourseSlug, i.Title, i.Price, i.DiscountedPrice, i.Currency, i.SavedAt))
            .ToListAsync(cancellationToken);
        var total = lines.Where(l => l.Available)
            .GroupBy(l => l.CurrentCurrency)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new MoneyDto(g.Key, g.Sum(l => l.CurrentPrice)))
            .ToList();
        return new CartDto(lines, saved, total);
    }

    /// <summary>
    /// Adds a line priced as the course is now. A course on the saved list moves from there; one already in
    /// the cart or already owned (any enrolment, pending payment included) changes nothing.
    /// </summary>
    public async Task<CartChange> AddAsync(Guid userId, AddToCartRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestBody.Validate(request);
        var course = await courses.ResolvePublishedAsync(request.Course!, cancellationToken);
        await DelayedPayments.RefuseWhileOnItsWayAsync(db, userId, course.Id, course.Name, cancellationToken);

        CartOutcome outcome;
        if (await IsEnrolledAsync(userId, course.Id, cancellationToken)) outcome = CartOutcome.AlreadyEnrolled;
        else
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await SavedItems(userId, course.Id).ExecuteDeleteAsync(cancellationToken);
            outcome = await InsertLineAsync(userId, course, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return new CartChange(outcome, await GetAsync(userId, cancellationToken));
    }

    /// <summary>
    /// Removes a line. The course may be unpublished by now (a withdrawn course must not get stuck in the
    /// cart); 404 when the course is unknown or not in the caller's cart, with the same answer for both, so the
    /// route cannot tell which unpublished slugs exist.
    /// </summary>
    public async Task RemoveAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, NotIn("your cart"), cancellationToken);
        if (await Lines(userId, course.Id).ExecuteDeleteAsync(cancellationToken) == 0) throw NotIn("your cart");
    }

    /// <summary>Drops a saved item, whatever became of its course since (a withdrawn course must not stay there for good).</summary>
    public async Task RemoveSavedAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, NotIn("your saved-for-later list"), cancellationToken);
        if (await SavedItems(userId, course.Id).ExecuteDeleteAsync(cancellationToken) == 0) throw NotIn("your saved-for-later list");
    }

    /// <summary>Empties the live cart; the saved-for-later list stays.</summary>
    public async Task ClearAsync(Guid userId, CancellationToken cancellationToken)
    {
        await db.CartLines.Where(l => l.UserId == userId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Moves a line to the saved list with the course's current title and price, in one transaction. A course
    /// that is saved already keeps its saved item; the line just goes.
    /// </summary>
    public async Task<CartDto> SaveForLaterAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolvePublishedAsync(courseKey, cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (await Lines(userId, course.Id).ExecuteDeleteAsync(cancellationToken) == 0) throw NotIn("your cart");
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO cart_items (id, user_id, course_id, course_slug, title, price, discounted_price, currency, saved_at)
                VALUES ({Guid.CreateVersion7()}, {userId}, {course.Id}, {course.Slug}, {course.Name}, {course.Price}, NULL,
                        {course.Currency}, {time.GetUtcNow()})
                ON CONFLICT (user_id, course_id) DO NOTHING
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return await GetAsync(userId, cancellationToken);
    }

    /// <summary>
    /// Moves a saved item back to the cart with a fresh price snapshot, by the rules of <see cref="AddAsync"/>.
    /// A course the learner owns by now leaves the saved list without a line (<c>already_enrolled</c>).
    /// </summary>
    public async Task<CartChange> MoveToCartAsync(Guid userId, string courseKey, CancellationToken cancellationToken)
    {
        var course = await courses.ResolvePublishedAsync(courseKey, cancellationToken);
        CartOutcome outcome;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            if (await SavedItems(userId, course.Id).ExecuteDeleteAsync(cancellationToken) == 0) throw NotIn("your saved-for-later list");
            outcome = await IsEnrolledAsync(userId, course.Id, cancellationToken)
                ? CartOutcome.AlreadyEnrolled
                : await InsertLineAsync(userId, course, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return new CartChange(outcome, await GetAsync(userId, cancellationToken));
    }

    private async Task<CartOutcome> InsertLineAsync(Guid userId, ResolvedCourse course, CancellationToken cancellationToken)
    {
        // The unique (user_id, course_id) index makes adding idempotent, concurrent adds included.
        var inserted = await db.Database.SqlQuery<Guid>($"""
            INSERT INTO cart_lines (id, user_id, course_id, unit_price, currency, added_at)
            VALUES ({Guid.CreateVersion7()}, {userId}, {course.Id}, {course.Price}, {course.Currency}, {time.GetUtcNow()})
            ON CONFLICT (user_id, course_id) DO NOTHING
            RETURNING id AS "Value"
            """).ToListAsync(cancellationToken);
        return inserted.Count == 1 ? CartOutcome.Added : CartOutcome.AlreadyInCart;
    }

    /// <summary>Owned: an active enrolment. A purchase whose payment is pending may go in the cart again, to retry the payment.</summary>
    private Task<bool> IsEnrolledAsync(Guid userId, Guid courseId, CancellationToken cancellationToken) =>
        db.Enrollments.AnyAsync(e => e.UserId == userId && e.CourseId == courseId && e.Status == EnrollmentStatus.Active, cancellationToken);

    private IQueryable<CartLine> Lines(Guid userId, Guid courseId) =>
        db.CartLines.Where(l => l.UserId == userId && l.CourseId == courseId);

    private IQueryable<CartItem> SavedItems(Guid userId, Guid courseId) =>
        db.CartItems.Where(i => i.UserId == userId && i.CourseId == courseId);

    private static ProblemException NotIn(string list) =>
        new(ProblemCodes.NotFound, $"This course is not in {list}.");
}
