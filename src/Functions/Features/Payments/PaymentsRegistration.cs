using CoursePlatform.Functions.Features.Cart;
using CoursePlatform.Functions.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Payments;

public static class PaymentsRegistration
{
    /// <summary>Orders settled through Stripe Checkout: checkout's gateway, the webhook, order views, refunds and the reconciliation timer.</summary>
    public static IServiceCollection AddPayments(this IServiceCollection services)
    {
        services.AddValidatedOptions<StripeOptions>(StripeOptions.Section);
        services.AddHttpClient(nameof(StripeCheckout), c => c.Timeout = TimeSpan.FromSeconds(30));
        services.AddSingleton<StripeCheckout>();
        services.AddScoped<OrderPages>();
        services.AddScoped<OrderSettlement>();
        services.AddScoped<StripeWebhookService>();
        services.AddScoped<OrderRefunds>();
        services.AddScoped<OrderService>();
        services.AddScoped<PaymentReconciliation>();
        // Replaces the cart's deferred default: checkout's paid lines become orders paid on Stripe's page.
        services.AddScoped<IPaymentGateway, StripePaymentGateway>();
        return services;
    }
}
