using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Enrollment.Tests;

/// <summary>The app's container (<see cref="TestApp"/>) plus the builders the enrolment and cart tests need.</summary>
public sealed class EnrollmentApp(DatabaseFixture database, Action<IServiceCollection>? configure = null)
    : TestApp(database, configure: configure)
{
    public async Task<Course> CourseAsync(EnrollmentMode mode, decimal price = 0, bool published = true, int topics = 0, string currency = "USD")
    {
        var now = Clock.GetUtcNow();
        var course = new Course
        {
            Slug = $"c-{Guid.NewGuid():N}"[..16], Name = $"Course {Guid.NewGuid():N}"[..20], Price = price, Currency = currency, IsPublished = published,
            EnrollmentMode = mode, ModuleCount = 1, CreatedAt = now, UpdatedAt = now,
        };
        for (var i = 1; i <= topics; i++)
            course.Topics.Add(new Topic { ModuleNo = 1, TopicNumber = i, Name = $"Topic {i}", CreatedAt = now, UpdatedAt = now });
        await Run<CoursePlatformDbContext>(async db =>
        {
            db.Courses.Add(course);
            await db.SaveChangesAsync();
        });
        return course;
    }

    /// <summary>An admin edit of a course's price (and currency, when given) or its published flag.</summary>
    public Task UpdateCourseAsync(Course course, decimal? price = null, string? currency = null, bool? published = null)
    {
        ArgumentNullException.ThrowIfNull(course);
        return Db(db => db.Courses.Where(c => c.Id == course.Id).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Price, c => price ?? c.Price)
            .SetProperty(c => c.Currency, c => currency ?? c.Currency)
            .SetProperty(c => c.IsPublished, c => published ?? c.IsPublished)));
    }

    public async Task<Cohort> CohortAsync(Course course, bool active = true, string? name = null, params (string Email, int BatchNo)[] members)
    {
        ArgumentNullException.ThrowIfNull(course);
        ArgumentNullException.ThrowIfNull(members);
        var now = Clock.GetUtcNow();
        var cohort = new Cohort { CourseId = course.Id, Name = name ?? $"Cohort {Guid.NewGuid():N}"[..16], IsActive = active, CreatedAt = now, UpdatedAt = now };
        await Run<CoursePlatformDbContext>(async db =>
        {
            db.Cohorts.Add(cohort);
            foreach (var (email, batchNo) in members)
                db.CohortMembers.Add(new CohortMember { Cohort = cohort, Email = email, BatchNo = batchNo, CreatedAt = now });
            await db.SaveChangesAsync();
        });
        return cohort;
    }
}
