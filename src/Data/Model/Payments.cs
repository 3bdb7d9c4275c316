using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CoursePlatform.Data.Model;

/// <summary>
/// What a learner owes for the paid lines of one checkout in one currency, and how it settled at the payment provider.
/// Rows are the record of money and are never deleted, except orders that never moved any (cancelled or expired
/// unpaid) when their learner deletes the account.
/// </summary>
public class Order
{
    public Guid Id { get; set; }
    public Guid UserId { get; set; }
    public User User { get; set; } = null!;
    public OrderStatus Status { get; set; } = OrderStatus.Pending;
    public required string Currency { get; set; }
    /// <summary>The sum of the lines' price snapshots.</summary>
    public decimal Amount { get; set; }
    /// <summary>The provider that settles it (<c>stripe</c>).</summary>
    public required string Provider { get; set; }
    /// <summary>The provider's checkout session (Stripe <c>cs_...</c>); null until the session is created after the order commits.</summary>
    public string? ProviderSessionId { get; set; }
    public string? CheckoutUrl { get; set; }
    public DateTimeOffset? SessionExpiresAt { get; set; }
    /// <summary>The provider's payment (Stripe PaymentIntent <c>pi_...</c>), known once paid; refunds go to it.</summary>
    public string? ProviderPaymentId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PaidAt { get; set; }
    /// <summary>When the order ended without payment (cancelled or expired).</summary>
    public DateTimeOffset? CancelledAt { get; set; }
    public DateTimeOffset? RefundedAt { get; set; }
    /// <summary>
    /// When checkout completed with a payment method that clears later (SEPA, ACH): the order stays pending until the
    /// provider says paid or failed, and no other checkout of its courses is allowed meanwhile. Null otherwise.
    /// </summary>
    public DateTimeOffset? AwaitingPaymentSince { get; set; }
    /// <summary>
    /// When the reconciliation timer next looks at the order: for a pending order, the provider answered it with an error
    /// and the timer leaves it alone until then; for a paid one, it paid for courses another paid order had bought and is
    /// due for a refund from then. Null otherwise (every change of state clears it).
    /// </summary>
    public DateTimeOffset? ReconcileAfter { get; set; }
    public List<OrderLine> Lines { get; set; } = [];
}

/// <summary>A course of an order with its name and price as checkout charged them.</summary>
public class OrderLine
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public Order Order { get; set; } = null!;
    public Guid CourseId { get; set; }
    public Course Course { get; set; } = null!;
    public required string CourseSlug { get; set; }
    public required string CourseName { get; set; }
    public decimal Price { get; set; }
    public required string Currency { get; set; }
    /// <summary>When this line's price was refunded on its own (a course another paid order of the learner had bought); the order stays paid.</summary>
    public DateTimeOffset? RefundedAt { get; set; }
}

/// <summary>What happened to an order, in order: created, session opened, provider events, refunds, refusals.</summary>
public class OrderEvent
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public Order Order { get; set; } = null!;
    /// <summary>e.g. <c>created</c>, <c>session_created</c>, <c>checkout.session.completed</c>, <c>amount_mismatch</c>.</summary>
    public required string Type { get; set; }
    public string? Detail { get; set; }
    /// <summary>The provider event that caused it, when one did.</summary>
    public string? ProviderEventId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A provider event handled once: its id is the key, so a replay (or a concurrent duplicate) changes nothing.</summary>
public class ProcessedPaymentEvent
{
    public required string Id { get; set; }
    public required string Provider { get; set; }
    public required string Type { get; set; }
    public DateTimeOffset ProcessedAt { get; set; }
}

public class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        // An order is a financial record: the learner's deletion is refused while they have one (AccountService).
        builder.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        builder.Property(x => x.Amount).HasPrecision(10, 2);
        builder.Property(x => x.Provider).HasMaxLength(20);
        builder.Property(x => x.ProviderSessionId).HasMaxLength(255);
        builder.Property(x => x.CheckoutUrl).HasMaxLength(2048);
        builder.Property(x => x.ProviderPaymentId).HasMaxLength(255);
        builder.HasIndex(x => new { x.UserId, x.CreatedAt });
        builder.HasIndex(x => new { x.Status, x.CreatedAt });
        builder.HasIndex(x => x.ProviderSessionId).IsUnique();
        builder.HasIndex(x => x.ProviderPaymentId);
        // The timer's duplicate payments to refund: a handful of rows, found without reading the paid ones.
        builder.HasIndex(x => x.ReconcileAfter).HasDatabaseName("ix_orders_refund_due").HasFilter("status = 'paid' AND reconcile_after IS NOT NULL");
        builder.ToTable(t => t.HasCheckConstraint("ck_orders_amount", "amount > 0"));
    }
}

public class OrderLineConfiguration : IEntityTypeConfiguration<OrderLine>
{
    public void Configure(EntityTypeBuilder<OrderLine> builder)
    {
        builder.HasOne(x => x.Order).WithMany(o => o.Lines).HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        // A course somebody paid for (or is paying for) cannot be deleted.
        builder.HasOne(x => x.Course).WithMany().HasForeignKey(x => x.CourseId).OnDelete(DeleteBehavior.Restrict);
        builder.Property(x => x.CourseSlug).HasMaxLength(120);
        builder.Property(x => x.CourseName).HasMaxLength(200);
        builder.Property(x => x.Price).HasPrecision(10, 2);
        builder.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
        builder.HasIndex(x => new { x.OrderId, x.CourseId }).IsUnique();
        builder.HasIndex(x => x.CourseId);
        builder.ToTable(t => t.HasCheckConstraint("ck_order_lines_price", "price > 0"));
    }
}

public class OrderEventConfiguration : IEntityTypeConfiguration<OrderEvent>
{
    public void Configure(EntityTypeBuilder<OrderEvent> builder)
    {
        builder.HasOne(x => x.Order).WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(x => x.Type).HasMaxLength(80);
        builder.Property(x => x.Detail).HasMaxLength(2000);
        builder.Property(x => x.ProviderEventId).HasMaxLength(255);
        builder.HasIndex(x => new { x.OrderId, x.CreatedAt });
    }
}

public class ProcessedPaymentEventConfiguration : IEntityTypeConfiguration<ProcessedPaymentEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedPaymentEvent> builder)
    {
        builder.Property(x => x.Id).HasMaxLength(255);
        builder.Property(x => x.Provider).HasMaxLength(20);
        builder.Property(x => x.Type).HasMaxLength(80);
    }
}
