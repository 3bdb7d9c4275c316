using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Data.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Features.Auth;

public static class AuthRegistration
{
    /// <summary>Staff login and password setup, sessions, Google sign-in and the expiry of refresh sessions.</summary>
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<SessionService>();
        services.AddScoped<StaffLoginService>();
        services.AddScoped<PasswordSetupService>();
        services.AddScoped<SessionCleanupService>();
        services.AddScoped<AccountService>();

        services.AddValidatedOptions<GoogleOptions>(GoogleOptions.Section);
        services.AddSingleton<IValidateOptions<GoogleOptions>, GoogleOptionsValidator>();
        services.AddHttpClient(nameof(OidcProviderMetadata), c => c.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<OidcProviderMetadata>();
        services.AddHttpClient<GoogleSignInService>(c => c.Timeout = TimeSpan.FromSeconds(10));
        return services;
    }
}
