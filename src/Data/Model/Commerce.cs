using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

public class Enrollment
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public EnrollmentSource Source { get; set; }
    public EnrollmentStatus Status { get; set; } = EnrollmentStatus.Active;
    /// <summary>The cohort whose allowlist admitted the learner, for cohort-gated courses.</summary>
    public Guid? CohortId { get; set; }
    public Cohort? Cohort { get; set; }
    public DateTimeOffset EnrolledAt { get; set; }
}

public class EnrollmentConfiguration : IEntityTypeConfiguration<Enrollment>
{
    public void Configure(EntityTypeBuilder<Enrollment> builder)
    {
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        // A course with enrolments cannot be deleted.
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne(x => x.Cohort).WithMany().HasForeignKey(x => x.CohortId).OnDelete(DeleteBehavior.SetNull);
        builder.HasIndex(x => new { x.UserId, x.CourseId }).IsUnique();
        builder.HasIndex(x => x.CourseId);
        builder.HasIndex(x => x.CohortId);
    }
}

/// <summary>A line of the live cart: one per course, with the price seen when it was added.</summary>
public class CartLine
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public decimal UnitPrice { get; set; }
    public required string Currency { get; set; }
    public DateTimeOffset AddedAt { get; set; }
}

public class CartLineConfiguration : IEntityTypeConfiguration<CartLine>
{
    public void Configure(EntityTypeBuilder<CartLine> builder)
    {
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        // A course in somebody's cart cannot be deleted.
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(x => x.UnitPrice).HasPrecision(10, 2);
        builder.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        builder.HasIndex(x => new { x.UserId, x.CourseId }).IsUnique();
        builder.HasIndex(x => x.CourseId);
        builder.ToTable(t => t.HasCheckConstraint("ck_cart_lines_price", "unit_price >= 0"));
    }
}

/// <summary>The "saved for later" list, with the course as it was shown when saved.</summary>
public class CartItem
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public required string CourseSlug { get; set; }
    public required string Title { get; set; }
    public decimal Price { get; set; }
    public decimal? DiscountedPrice { get; set; }
    public required string Currency { get; set; }
    public DateTimeOffset SavedAt { get; set; }
}

public class CartItemConfiguration : IEntityTypeConfiguration<CartItem>
{
    public void Configure(EntityTypeBuilder<CartItem> builder)
    {
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        // Saved-for-later is a wish list, not a purchase in progress: it goes with the course.
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.CourseSlug).HasMaxLength(120);
        builder.Property(x => x.Title).HasMaxLength(200);
        builder.Property(x => x.Price).HasPrecision(10, 2);
        builder.Property(x => x.DiscountedPrice).HasPrecision(10, 2);
        builder.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        builder.HasIndex(x => new { x.UserId, x.CourseId }).IsUnique();
        builder.HasIndex(x => x.CourseId);
        builder.ToTable(t => t.HasCheckConstraint("ck_cart_items_price",
            "price >= 0 AND (discounted_price IS NULL OR (discounted_price >= 0 AND discounted_price <= price))"));
    }
}
