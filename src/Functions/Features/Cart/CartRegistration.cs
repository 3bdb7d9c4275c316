using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CoursePlatform.Functions.Features.Cart;

public static class CartRegistration
{
    /// <summary>The cart and checkout; a payment provider registered before or after this replaces the default gateway.</summary>
    public static IServiceCollection AddCart(this IServiceCollection services)
    {
        services.AddScoped<CartService>();
        services.AddScoped<CheckoutService>();
        services.TryAddSingleton<IPaymentGateway, DeferredPaymentGateway>();
        return services;
    }
}
