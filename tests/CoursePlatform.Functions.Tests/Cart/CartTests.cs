using System.Collections.Concurrent;
using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Cart;
using CoursePlatform.Functions.Features.Enrollments;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Tests.Cart;

/// <summary>
/// The default gateway's behaviour, plus a record of every charge and a list of courses to decline, so tests
/// can see what checkout charged and how it treats a refusal.
/// </summary>
public sealed class RecordingGateway : IPaymentGateway
{
    private readonly DeferredPaymentGateway inner = new();

    public ConcurrentQueue<PaymentRequest> Charges { get; } = new();

    public ConcurrentDictionary<Guid, bool> Decline { get; } = new();

    /// <summary>Courses whose charge is captured at once (the default leaves paid ones pending).</summary>
    public ConcurrentDictionary<Guid, bool> Capture { get; } = new();

    public Task<PaymentResult> ChargeAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        Charges.Enqueue(request);
        return Decline.ContainsKey(request.CourseId) ? Task.FromResult(new PaymentResult(PaymentStatus.Declined, null, "The card was declined."))
            : Capture.ContainsKey(request.CourseId) ? Task.FromResult(new PaymentResult(PaymentStatus.Captured, "pay_captured"))
            : inner.ChargeAsync(request, cancellationToken);
    }
}

/// <summary>Cart lines, saved-for-later and checkout: idempotency, price snapshots, cohort rules, payment, concurrency, isolation.</summary>
public sealed class CartTests : IClassFixture<DatabaseFixture>, IDisposable
{
    private readonly RecordingGateway gateway = new();
    private readonly TestApp app;

    public CartTests(DatabaseFixture database) =>
        app = new TestApp(database, configure: services => services.AddSingleton<IPaymentGateway>(gateway));

    public void Dispose() => app.Dispose();

    private Task<CartChange> Add(User user, string course) =>
        app.Run<CartService, CartChange>(s => s.AddAsync(user.Id, new AddToCartRequest(course), default));

    private Task<CartDto> Cart(User user) => app.Run<CartService, CartDto>(s => s.GetAsync(user.Id, default));

    private Task<CartDto> SaveForLater(User user, string course) =>
        app.Run<CartService, CartDto>(s => s.SaveForLaterAsync(user.Id, course, default));

    private Task<CartChange> MoveToCart(User user, string course) =>
        app.Run<CartService, CartChange>(s => s.MoveToCartAsync(user.Id, course, default));

    private Task Remove(User user, string course) => app.Run<CartService>(s => s.RemoveAsync(user.Id, course, default));

    private Task Clear(User user) => app.Run<CartService>(s => s.ClearAsync(user.Id, default));

    private Task<CheckoutResult> Checkout(User user) =>
        app.Run<CheckoutService, CheckoutResult>(s => s.CheckoutAsync(user.Id, default));

    private Task<EnrollOutcome> Enroll(User user, Course course) =>
        app.Run<EnrollmentService, EnrollOutcome>(s => s.EnrollAsync(user.Id, course.Slug, default));

    private Task<List<CartLine>> Lines(User user) => app.Db(db => db.CartLines.AsNoTracking().Where(l => l.UserId == user.Id).ToListAsync());

    private Task<List<CartItem>> Saved(User user) => app.Db(db => db.CartItems.AsNoTracking().Where(i => i.UserId == user.Id).ToListAsync());

    private Task<List<Data.Model.Enrollment>> Enrollments(Guid courseId) =>
        app.Db(db => db.Enrollments.AsNoTracking().Where(e => e.CourseId == courseId).ToListAsync());

    private static async Task<HttpStatusCode> Status(Func<Task> action) => (await Assert.ThrowsAsync<ProblemException>(action)).Status;

    [Fact]
    public async Task Adding_twice_says_already_in_cart_and_keeps_one_line_with_the_first_price()
    {
        var course = await app.CourseAsync(EnrollmentMode.Open, price: 30);
        var learner = await app.CreateUserAsync();

        var first = await Add(learner, course.Slug);
        await app.UpdateCourseAsync(course, price: 35);
        var second = await Add(learner, course.Id.ToString());

        Assert.Equal(CartOutcome.Added, first.Outcome);
        Assert.Equal(CartOutcome.AlreadyInCart, second.Outcome);
        var line = Assert.Single(second.Cart.Lines);
        Assert.Equal((course.Id, course.Slug, course.Name), (line.CourseId, line.CourseSlug, line.CourseName));
        Assert.Equal((30m, "USD", 35m, "USD", true), (line.Price, line.Currency, line.CurrentPrice, line.CurrentCurrency, line.PriceChanged));
        Assert.Equal([new MoneyDto("USD", 35)], second.Cart.Total);
        var stored = Assert.Single(await Lines(learner));
        Assert.Equal((30m, app.Clock.GetUtcNow()), (stored.UnitPrice, stored.AddedAt));
    }

    [Fact]
    public async Task Adding_an_owned_course_says_already_enrolled_and_writes_nothing_and_a_pending_purchase_may_be_retried()
    {
        var free = await app.CourseAsync(EnrollmentMode.Open);
        var bought = await app.CourseAsync(EnrollmentMode.Open, price: 50);
        var learner = await app.CreateUserAsync();
        await Enroll(learner, free);
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            // Bought, payment not settled yet: it may go in the cart again, to retry the payment.
            db.Enrollments.Add(new Data.Model.Enrollment
            {
                UserId = learner.Id, CourseId = bought.Id, Source = EnrollmentSource.Checkout, Status = EnrollmentStatus.PendingPayment, EnrolledAt = app.Clock.GetUtcNow(),
            });
            db.CartItems.Add(new CartItem
            {
                UserId = learner.Id, CourseId = bought.Id, CourseSlug = bought.Slug, Title = bought.Name, Price = 50, Currency = "USD", SavedAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });

        var active = await Add(learner, free.Slug);
        var pending = await Add(learner, bought.Slug);

        Assert.Equal(CartOutcome.AlreadyEnrolled, active.Outcome);
        Assert.Equal(CartOutcome.Added, pending.Outcome);
        Assert.Equal([bought.Id], pending.Cart.Lines.Select(l => l.CourseId));
        Assert.Equal([bought.Id], (await Lines(learner)).Select(l => l.CourseId));
        Assert.Empty(await Saved(learner)); // the saved item moved to the cart
    }

    [Fact]
    public async Task Save_for_later_and_move_to_cart_round_trip_refreshes_the_price_snapshot()
    {
        var course = await app.CourseAsync(EnrollmentMode.Open, price: 20, currency: "EUR");
        var learner = await app.CreateUserAsync();
        await Add(learner, course.Slug);
        app.Clock.Advance(TimeSpan.FromMinutes(5));

        var saved = await SaveForLater(learner, course.Slug);

        Assert.Empty(saved.Lines);
        Assert.Empty(saved.Total);
        Assert.Equal([new SavedItemDto(course.Id, course.Slug, course.Name, 20, null, "EUR", app.Clock.GetUtcNow())], saved.SavedForLater);
        Assert.Empty(await Lines(learner));
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => SaveForLater(learner, course.Slug))); // no longer in the cart

        await app.UpdateCourseAsync(course, price: 25);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        var moved = await MoveToCart(learner, course.Id.ToString());

        Assert.Equal(CartOutcome.Added, moved.Outcome);
        Assert.Empty(moved.Cart.SavedForLater);
        var line = Assert.Single(moved.Cart.Lines);
        Assert.Equal((25m, "EUR", false, app.Clock.GetUtcNow()), (line.Price, line.Currency, line.PriceChanged, line.AddedAt));
        Assert.Empty(await Saved(learner));
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => MoveToCart(learner, course.Slug))); // no longer saved
    }

    [Fact]
    public async Task Adding_a_saved_course_moves_it_and_saving_a_course_saved_already_only_removes_the_line()
    {
        var course = await app.CourseAsync(EnrollmentMode.Open, price: 10);
        var learner = await app.CreateUserAsync();
        await Add(learner, course.Slug);
        await SaveForLater(learner, course.Slug);

        var added = await Add(learner, course.Slug);

        Assert.Equal(CartOutcome.Added, added.Outcome);
        Assert.Empty(added.Cart.SavedForLater);
        Assert.Empty(await Saved(learner));

        // Both a line and a saved item (as a race between two tabs could leave them): the saved item stays as it was.
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.CartItems.Add(new CartItem
            {
                UserId = learner.Id, CourseId = course.Id, CourseSlug = course.Slug, Title = "As saved back then", Price = 8, Currency = "USD", SavedAt = app.Clock.GetUtcNow(),
            });
            await db.SaveChangesAsync();
        });
        var cart = await SaveForLater(learner, course.Slug);

        Assert.Empty(cart.Lines);
        var item = Assert.Single(cart.SavedForLater);
        Assert.Equal(("As saved back then", 8m), (item.CourseName, item.Price));
    }

    [Fact]
    public async Task Moving_a_saved_course_owned_by_now_drops_the_saved_item_and_adds_no_line()
    {
        var course = await app.CourseAsync(EnrollmentMode.Open);
        var learner = await app.CreateUserAsync();
        await Add(learner, course.Slug);
        await SaveForLater(learner, course.Slug);
        await Enroll(learner, course);

        var moved = await MoveToCart(learner, course.Slug);

        Assert.Equal(CartOutcome.AlreadyEnrolled, moved.Outcome);
        Assert.Empty(moved.Cart.Lines);
        Assert.Empty(moved.Cart.SavedForLater);
        Assert.Empty(await Saved(learner));
        Assert.Empty(await Lines(learner));
    }

    [Fact]
    public async Task Cart_lists_lines_in_the_order_added_with_a_total_per_currency_of_the_available_lines()
    {
        var learner = await app.CreateUserAsync();
        var first = await app.CourseAsync(EnrollmentMode.Open, price: 10);
        var second = await app.CourseAsync(EnrollmentMode.Open, price: 20, currency: "EUR");
        var third = await app.CourseAsync(EnrollmentMode.Open, price: 5.5m);
        var withdrawn = await app.CourseAsync(EnrollmentMode.Open, price: 100);
        foreach (var course in new[] { first, second, third, withdrawn })
        {
            await Add(learner, course.Slug);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        await app.UpdateCourseAsync(withdrawn, published: false);

        var cart = await Cart(learner);

        Assert.Equal([first.Id, second.Id, third.Id, withdrawn.Id], cart.Lines.Select(l => l.CourseId));
        Assert.Equal([true, true, true, false], cart.Lines.Select(l => l.Available));
        Assert.Equal([new MoneyDto("EUR", 20), new MoneyDto("USD", 15.5m)], cart.Total);
        Assert.Empty((await Cart(await app.CreateUserAsync())).Total);
    }

    [Fact]
    public async Task Checkout_charges_the_current_price_and_reports_the_change()
    {
        var repriced = await app.CourseAsync(EnrollmentMode.Open, price: 40);
        var steady = await app.CourseAsync(EnrollmentMode.Open, price: 15);
        var learner = await app.CreateUserAsync();
        await Add(learner, repriced.Slug);
        await Add(learner, steady.Slug);
        await app.UpdateCourseAsync(repriced, price: 45);

        var result = await Checkout(learner);

        Assert.Equal([new PriceChangeDto(repriced.Id, repriced.Slug, 40, "USD", 45, "USD")], result.PriceChanges);
        Assert.Equal(2, result.Enrollments.Count);
        Assert.Equal(45m, result.Pending.Single(p => p.CourseId == repriced.Id).Amount);
        Assert.Equal(45m, gateway.Charges.Single(c => c.CourseId == repriced.Id).Amount);
        Assert.Single(await Enrollments(repriced.Id));
        Assert.Empty(await Lines(learner));
    }

    [Fact]
    public async Task Checkout_of_a_paid_open_course_is_pending_payment_and_of_a_free_one_active()
    {
        var paid = await app.CourseAsync(EnrollmentMode.Open, price: 49.99m, currency: "GBP");
        var free = await app.CourseAsync(EnrollmentMode.Open);
        var learner = await app.CreateUserAsync();
        await Add(learner, paid.Slug);
        await Add(learner, free.Slug);

        var result = await Checkout(learner);

        var pendingEnrollment = result.Enrollments.Single(e => e.CourseId == paid.Id);
        var activeEnrollment = result.Enrollments.Single(e => e.CourseId == free.Id);
        Assert.Equal((EnrollmentSource.Checkout, EnrollmentStatus.PendingPayment), (pendingEnrollment.Source, pendingEnrollment.Status));
        Assert.Equal((EnrollmentSource.Checkout, EnrollmentStatus.Active), (activeEnrollment.Source, activeEnrollment.Status));
        var pending = Assert.Single(result.Pending);
        Assert.Equal((paid.Id, paid.Slug, 49.99m, "GBP"), (pending.CourseId, pending.CourseSlug, pending.Amount, pending.Currency));
        Assert.StartsWith("pay_", pending.PaymentReference, StringComparison.Ordinal);
        Assert.Empty(result.Refused);
        Assert.Empty(result.PriceChanges);
        Assert.Equal(EnrollmentStatus.PendingPayment, Assert.Single(await Enrollments(paid.Id)).Status);
        var stored = Assert.Single(await Enrollments(free.Id));
        Assert.Equal((activeEnrollment.Id, EnrollmentStatus.Active, activeEnrollment.EnrolledAt), (stored.Id, stored.Status, stored.EnrolledAt));
        Assert.Empty(await Lines(learner));
    }

    [Fact]
    public async Task Checkout_refuses_gated_courses_the_learner_is_not_admitted_to_keeps_those_lines_and_enrols_the_rest()
    {
        var learner = await app.CreateUserAsync();
        var gated = await app.CourseAsync(EnrollmentMode.Cohort, price: 80);
        await app.CohortAsync(gated, members: ("someone-else@example.com", 1));
        var lapsed = await app.CourseAsync(EnrollmentMode.Cohort);
        await app.CohortAsync(lapsed, active: false, members: (learner.Email, 1));
        var free = await app.CourseAsync(EnrollmentMode.Open);
        var paid = await app.CourseAsync(EnrollmentMode.Open, price: 12);
        foreach (var course in new[] { gated, lapsed, free, paid }) await Add(learner, course.Slug);

        var result = await Checkout(learner);

        Assert.Equal([(gated.Id, RefusalReasons.NotInCohort), (lapsed.Id, RefusalReasons.CohortInactive)], result.Refused.Select(r => (r.CourseId, r.Reason)));
        Assert.All(result.Refused, r => Assert.False(string.IsNullOrWhiteSpace(r.Detail)));
        Assert.Equal([free.Id, paid.Id], result.Enrollments.Select(e => e.CourseId));
        Assert.Equal([gated.Id, lapsed.Id], (await Cart(learner)).Lines.Select(l => l.CourseId));
        Assert.Empty(await Enrollments(gated.Id));
        Assert.Empty(await Enrollments(lapsed.Id));
        Assert.DoesNotContain(gateway.Charges, c => c.CourseId == gated.Id || c.CourseId == lapsed.Id);
    }

    [Fact]
    public async Task Checkout_admits_a_cohort_member_to_a_paid_gated_course_free_of_charge()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort, price: 100);
        var learner = await app.CreateUserAsync();
        var cohort = await app.CohortAsync(course, members: (learner.Email, 3));
        await Add(learner, course.Slug);
        await app.UpdateCourseAsync(course, price: 120);

        var result = await Checkout(learner);

        var enrollment = Assert.Single(result.Enrollments);
        Assert.Equal((EnrollmentSource.Cohort, EnrollmentStatus.Active, cohort.Id), (enrollment.Source, enrollment.Status, enrollment.CohortId));
        Assert.Empty(result.Pending);
        Assert.Empty(result.PriceChanges); // nothing is charged, so no price applies
        Assert.Empty(gateway.Charges);
        Assert.Equal(learner.Id, await app.Db(db => db.CohortMembers.Where(m => m.CohortId == cohort.Id).Select(m => m.UserId).SingleAsync()));
        Assert.Empty(await Lines(learner));
    }

    [Fact]
    public async Task Checkout_refuses_an_unpublished_course_and_a_declined_payment_and_keeps_both_lines()
    {
        var withdrawn = await app.CourseAsync(EnrollmentMode.Open, price: 10);
        var declined = await app.CourseAsync(EnrollmentMode.Open, price: 30);
        var fine = await app.CourseAsync(EnrollmentMode.Open, price: 30);
        var learner = await app.CreateUserAsync();
        foreach (var course in new[] { withdrawn, declined, fine }) await Add(learner, course.Slug);
        await app.UpdateCourseAsync(withdrawn, published: false);
        gateway.Decline[declined.Id] = true;

        var result = await Checkout(learner);

        Assert.Equal([(withdrawn.Id, RefusalReasons.Unavailable), (declined.Id, RefusalReasons.PaymentDeclined)], result.Refused.Select(r => (r.CourseId, r.Reason)));
        Assert.Equal("The card was declined.", result.Refused[1].Detail);
        Assert.Equal(fine.Id, Assert.Single(result.Enrollments).CourseId);
        Assert.Equal([withdrawn.Id, declined.Id], (await Cart(learner)).Lines.Select(l => l.CourseId));
        Assert.Empty(await Enrollments(declined.Id));
        Assert.Empty(await Enrollments(withdrawn.Id));
    }

    [Fact]
    public async Task Checkout_removes_a_line_the_learner_owns_by_now_and_an_empty_cart_is_409()
    {
        var course = await app.CourseAsync(EnrollmentMode.Open);
        var learner = await app.CreateUserAsync();
        Assert.Equal(HttpStatusCode.Conflict, await Status(() => Checkout(learner)));
        await Add(learner, course.Slug);
        var enrolled = await Enroll(learner, course);

        var result = await Checkout(learner);

        Assert.Equal([new CourseRefDto(course.Id, course.Slug)], result.AlreadyEnrolled);
        Assert.Empty(result.Enrollments);
        Assert.Empty(gateway.Charges);
        Assert.Equal(enrolled.Enrollment.Id, Assert.Single(await Enrollments(course.Id)).Id);
        Assert.Empty(await Lines(learner));
        Assert.Equal(HttpStatusCode.Conflict, await Status(() => Checkout(learner)));
    }

    [Fact]
    public async Task Twenty_parallel_checkouts_enrol_each_course_once_one_succeeds_and_the_others_find_the_cart_empty()
    {
        var learner = await app.CreateUserAsync();
        var free = await app.CourseAsync(EnrollmentMode.Open);
        var paid = await app.CourseAsync(EnrollmentMode.Open, price: 25);
        var gated = await app.CourseAsync(EnrollmentMode.Cohort, price: 70);
        await app.CohortAsync(gated, members: (learner.Email, 1));
        foreach (var course in new[] { free, paid, gated }) await Add(learner, course.Slug);

        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, 20).Select(_ => Task.Run<(CheckoutResult? Result, HttpStatusCode Status)>(async () =>
        {
            start.Wait();
            try
            {
                return (await Checkout(learner), HttpStatusCode.OK);
            }
            catch (ProblemException problem)
            {
                return (null, problem.Status);
            }
        })).ToList();
        start.Set();
        var outcomes = await Task.WhenAll(attempts);

        var winner = Assert.Single(outcomes, o => o.Status == HttpStatusCode.OK).Result!;
        Assert.Equal(19, outcomes.Count(o => o.Status == HttpStatusCode.Conflict));
        Assert.Equal(3, winner.Enrollments.Count);
        foreach (var course in new[] { free, paid, gated }) Assert.Single(await Enrollments(course.Id));
        Assert.Equal(2, gateway.Charges.Count); // free and paid once each; the cohort admission is not charged
        Assert.Empty(await Lines(learner));
    }

    [Fact]
    public async Task Clear_empties_the_cart_and_keeps_the_saved_items()
    {
        var kept = await app.CourseAsync(EnrollmentMode.Open, price: 5);
        var a = await app.CourseAsync(EnrollmentMode.Open);
        var b = await app.CourseAsync(EnrollmentMode.Open, price: 9);
        var learner = await app.CreateUserAsync();
        foreach (var course in new[] { kept, a, b }) await Add(learner, course.Slug);
        await SaveForLater(learner, kept.Slug);

        await Clear(learner);

        var cart = await Cart(learner);
        Assert.Empty(cart.Lines);
        Assert.Equal(kept.Id, Assert.Single(cart.SavedForLater).CourseId);
        Assert.Empty(await Lines(learner));
        await Clear(learner); // clearing an empty cart is fine
    }

    [Fact]
    public async Task Removing_deletes_only_that_line_and_a_course_not_in_the_cart_is_404()
    {
        var removed = await app.CourseAsync(EnrollmentMode.Open);
        var other = await app.CourseAsync(EnrollmentMode.Open);
        var withdrawn = await app.CourseAsync(EnrollmentMode.Open);
        var learner = await app.CreateUserAsync();
        foreach (var course in new[] { removed, other, withdrawn }) await Add(learner, course.Slug);
        await app.UpdateCourseAsync(withdrawn, published: false);

        await Remove(learner, removed.Id.ToString());
        await Remove(learner, withdrawn.Slug); // a withdrawn course can still leave the cart

        Assert.Equal(other.Id, Assert.Single(await Lines(learner)).CourseId);
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => Remove(learner, removed.Slug)));
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => Remove(learner, "no-such-course")));
    }

    [Fact]
    public async Task A_saved_item_can_be_dropped_even_after_its_course_is_withdrawn()
    {
        var kept = await app.CourseAsync(EnrollmentMode.Open);
        var withdrawn = await app.CourseAsync(EnrollmentMode.Open);
        var learner = await app.CreateUserAsync();
        foreach (var course in new[] { kept, withdrawn })
        {
            await Add(learner, course.Slug);
            await SaveForLater(learner, course.Slug);
        }
        await app.UpdateCourseAsync(withdrawn, published: false);

        await app.Run<CartService>(s => s.RemoveSavedAsync(learner.Id, withdrawn.Slug, default));

        Assert.Equal(kept.Id, Assert.Single(await Saved(learner)).CourseId);
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => app.Run<CartService>(s => s.RemoveSavedAsync(learner.Id, withdrawn.Slug, default))));
    }

    [Fact]
    public async Task Another_learners_cart_is_never_visible_or_affected()
    {
        var first = await app.CourseAsync(EnrollmentMode.Open);
        var second = await app.CourseAsync(EnrollmentMode.Open, price: 10);
        var owner = await app.CreateUserAsync();
        var other = await app.CreateUserAsync();
        await Add(owner, first.Slug);
        await Add(owner, second.Slug);
        await SaveForLater(owner, second.Slug);

        var seen = await Cart(other);
        Assert.Empty(seen.Lines);
        Assert.Empty(seen.SavedForLater);
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => Remove(other, first.Slug)));
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => SaveForLater(other, first.Slug)));
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => MoveToCart(other, second.Slug)));
        await Clear(other);
        Assert.Equal(HttpStatusCode.Conflict, await Status(() => Checkout(other)));

        Assert.Equal(CartOutcome.Added, (await Add(other, first.Slug)).Outcome); // a line of their own, not the owner's
        await Checkout(other);

        var owners = await Cart(owner);
        Assert.Equal(first.Id, Assert.Single(owners.Lines).CourseId);
        Assert.Equal(second.Id, Assert.Single(owners.SavedForLater).CourseId);
        Assert.Equal(other.Id, Assert.Single(await Enrollments(first.Id)).UserId);
    }

    [Fact]
    public async Task Adding_validates_the_course_field_unknown_and_unpublished_courses_are_404_and_anonymous_is_401()
    {
        var draft = await app.CourseAsync(EnrollmentMode.Open, published: false);
        var learner = await app.CreateUserAsync();

        foreach (var missing in new[] { null, "", "   " })
        {
            var invalid = await Assert.ThrowsAsync<ProblemException>(() => Add(learner, missing!));
            Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
            Assert.Equal("course", Assert.Single(invalid.Errors!).Key);
        }
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => Add(learner, "no-such-course")));
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => Add(learner, draft.Slug)));
        Assert.Empty(await Lines(learner));

    }

    private Task<Functions.Features.Catalog.CourseDetail> Detail(User user, Course course) =>
        app.Run<Functions.Features.Catalog.CatalogService, Functions.Features.Catalog.CourseDetail>(s => s.DetailAsync(course.Slug, TestApp.As(user), default));

    [Fact]
    public async Task A_pending_purchase_is_reported_truthfully_and_checking_out_again_retries_the_payment()
    {
        var paid = await app.CourseAsync(EnrollmentMode.Open, price: 29m);
        var learner = await app.CreateUserAsync();
        await Add(learner, paid.Slug);
        await Checkout(learner);

        var pending = await Detail(learner, paid);
        Assert.Equal((false, EnrollmentStatus.PendingPayment, "payment_pending"), (pending.Enrolled, pending.EnrollmentStatus, pending.EligibilityReason));

        // Retry: the course goes in the cart again and checkout charges it again; captured activates the enrolment.
        Assert.Equal(CartOutcome.Added, (await Add(learner, paid.Slug)).Outcome);
        gateway.Capture[paid.Id] = true;
        var retried = await Checkout(learner);
        Assert.Equal((paid.Id, EnrollmentStatus.Active), (Assert.Single(retried.Enrollments).CourseId, retried.Enrollments[0].Status));
        Assert.Empty(retried.Pending);
        Assert.Equal(EnrollmentStatus.Active, Assert.Single(await Enrollments(paid.Id)).Status);
        var active = await Detail(learner, paid);
        Assert.Equal((true, EnrollmentStatus.Active, "already_enrolled"), (active.Enrolled, active.EnrollmentStatus, active.EligibilityReason));
        Assert.Equal(CartOutcome.AlreadyEnrolled, (await Add(learner, paid.Slug)).Outcome);
    }

    [Fact]
    public async Task A_pending_purchase_can_be_cancelled_and_an_active_enrolment_cannot()
    {
        var paid = await app.CourseAsync(EnrollmentMode.Open, price: 29m);
        var free = await app.CourseAsync(EnrollmentMode.Open);
        var learner = await app.CreateUserAsync();
        await Add(learner, paid.Slug);
        await Add(learner, free.Slug);
        await Checkout(learner);
        Task Cancel(Course course) => app.Run<EnrollmentService>(s => s.CancelPendingAsync(learner.Id, course.Slug, default));

        await Cancel(paid);
        Assert.Empty(await Enrollments(paid.Id));
        Assert.Equal((false, null, "payment_required"), ((await Detail(learner, paid)).Enrolled, (await Detail(learner, paid)).EnrollmentStatus, (await Detail(learner, paid)).EligibilityReason));
        Assert.Equal(HttpStatusCode.NotFound, await Status(() => Cancel(paid)));
        Assert.Equal(ProblemCodes.EnrollmentNotPending, (await Assert.ThrowsAsync<ProblemException>(() => Cancel(free))).Code);
        Assert.Single(await Enrollments(free.Id));
    }
}
