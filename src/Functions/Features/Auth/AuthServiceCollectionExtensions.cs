using CoursePlatform.Data.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Features.Auth;

public static class AuthServiceCollectionExtensions
{
    public static IServiceCollection AddAuth(this IServiceCollection services)
    {
        services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        services.AddScoped<SessionService>();
        services.AddScoped<StaffLoginService>();
        services.AddScoped<SessionCleanupService>();
        return services;
    }
}
