using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Auth;

public sealed class AccountDeletionTests(DatabaseFixture database) : AppTest(database)
{
    [Fact]
    public async Task Orders_that_never_moved_money_go_with_the_account()
    {
        var user = await app.CreateUserAsync();
        var course = await app.CourseAsync(EnrollmentMode.Open, price: 20);
        await AddOrdersAsync(user, course, OrderStatus.Expired, OrderStatus.Cancelled);

        await app.Run<AccountService>(s => s.DeleteAsync(user.Id, default));

        Assert.False(await app.Db(db => db.Users.AnyAsync(u => u.Id == user.Id)));
        Assert.False(await app.Db(db => db.Orders.AnyAsync(o => o.UserId == user.Id)));
    }

    [Theory]
    [InlineData(OrderStatus.Paid)]
    [InlineData(OrderStatus.Refunded)]
    [InlineData(OrderStatus.Pending)]
    public async Task An_order_that_moved_or_may_move_money_keeps_the_account_with_a_409_and_loses_nothing(OrderStatus status)
    {
        var user = await app.CreateUserAsync();
        var course = await app.CourseAsync(EnrollmentMode.Open, price: 20);
        await AddOrdersAsync(user, course, status, OrderStatus.Expired);

        var problem = await Assert.ThrowsAsync<ProblemException>(() => app.Run<AccountService>(s => s.DeleteAsync(user.Id, default)));

        Assert.Equal(ProblemCodes.AccountHasOrders, problem.Code);
        Assert.True(await app.Db(db => db.Users.AnyAsync(u => u.Id == user.Id)));
        // Rolled back as a whole: the expired order is still there too.
        Assert.Equal(2, await app.Db(db => db.Orders.CountAsync(o => o.UserId == user.Id)));
    }

    private Task AddOrdersAsync(User user, Course course, params OrderStatus[] statuses) => app.Run<CoursePlatformDbContext>(async db =>
    {
        var now = app.Clock.GetUtcNow();
        foreach (var status in statuses)
        {
            var paid = status is OrderStatus.Paid or OrderStatus.Refunded;
            db.Orders.Add(new Order
            {
                UserId = user.Id, Status = status, Currency = "USD", Amount = 20, Provider = "stripe", CreatedAt = now,
                PaidAt = paid ? now : null, ProviderPaymentId = paid ? $"pi_{Guid.NewGuid():N}" : null,
                CancelledAt = status is OrderStatus.Expired or OrderStatus.Cancelled ? now : null,
                Lines = [new OrderLine { CourseId = course.Id, CourseSlug = course.Slug, CourseName = course.Name, Price = 20, Currency = "USD" }],
            });
        }
        await db.SaveChangesAsync();
    });
}
