using CoursePlatform.Data;

namespace CoursePlatform.Functions.Features.Payments;

/// <summary>A course of an order with the name and price it was bought at; <c>RefundedAt</c> when its price alone was returned (bought twice).</summary>
public sealed record OrderLineDto(Guid CourseId, string CourseSlug, string CourseName, decimal Price, string Currency, DateTimeOffset? RefundedAt);

/// <summary>The receipt of a paid (or since refunded) order: who took the money and its reference there.</summary>
public sealed record ReceiptDto(string Provider, string? PaymentReference, decimal Amount, string Currency, DateTimeOffset PaidAt, DateTimeOffset? RefundedAt);

/// <summary>
/// A learner's order. <c>CheckoutUrl</c> is where a pending order is paid (null once settled, or while the page is made);
/// <c>Receipt</c> is there once it was paid. <c>AwaitingPaymentSince</c>: checkout completed with a method that clears later
/// (a bank debit); the order stays pending, and its courses cannot be checked out again, until the money arrives or the payment fails.
/// </summary>
public sealed record OrderDto(
    Guid Id, OrderStatus Status, string Currency, decimal Amount, string? CheckoutUrl, DateTimeOffset CreatedAt, DateTimeOffset? AwaitingPaymentSince,
    DateTimeOffset? PaidAt, DateTimeOffset? CancelledAt, DateTimeOffset? RefundedAt, IReadOnlyList<OrderLineDto> Lines, ReceiptDto? Receipt);

/// <summary>An order as staff see it in the list: the learner's id and email too.</summary>
public sealed record ManagedOrderDto(
    Guid Id, Guid UserId, string UserEmail, OrderStatus Status, string Currency, decimal Amount, DateTimeOffset CreatedAt,
    DateTimeOffset? PaidAt, DateTimeOffset? CancelledAt, DateTimeOffset? RefundedAt, IReadOnlyList<OrderLineDto> Lines);

/// <summary>One thing that happened to an order; <c>ProviderEventId</c> names the Stripe event behind it.</summary>
public sealed record OrderEventDto(Guid Id, string Type, string? Detail, string? ProviderEventId, DateTimeOffset CreatedAt);

/// <summary>An order with the provider's ids and its history, oldest event first.</summary>
public sealed record ManagedOrderDetailDto(
    Guid Id, Guid UserId, string UserEmail, OrderStatus Status, string Currency, decimal Amount, string Provider,
    string? ProviderSessionId, string? ProviderPaymentId, string? CheckoutUrl, DateTimeOffset? SessionExpiresAt, DateTimeOffset CreatedAt,
    DateTimeOffset? AwaitingPaymentSince, DateTimeOffset? PaidAt, DateTimeOffset? CancelledAt, DateTimeOffset? RefundedAt, IReadOnlyList<OrderLineDto> Lines, IReadOnlyList<OrderEventDto> Events);

/// <summary>The filters of the staff order list; every one optional.</summary>
public sealed record OrderFilter(OrderStatus? Status, string? Learner, string? Course, DateTimeOffset? From, DateTimeOffset? To);
