using Azure.Core.Serialization;
using Azure.Identity;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Features.Cart;
using CoursePlatform.Functions.Features.Catalog;
using CoursePlatform.Functions.Features.Enrollments;
using CoursePlatform.Functions.Features.Health;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Features.Personas;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Infrastructure.AI;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Azure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Infrastructure;

public static class ServiceRegistration
{
    /// <summary>The worker middleware, outermost first: errors become problem+json, then the caller is authenticated.</summary>
    public static IFunctionsWorkerApplicationBuilder UseCoursePlatformMiddleware(this IFunctionsWorkerApplicationBuilder worker)
    {
        worker.UseMiddleware<ProblemDetailsMiddleware>();
        worker.UseMiddleware<AuthenticationMiddleware>();
        return worker;
    }

    /// <summary>Everything the functions need, in one place, so tests can build the same container.</summary>
    public static IServiceCollection AddCoursePlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(Json.Options));
        services.AddSingleton(TimeProvider.System);

        services.AddValidatedOptions<DatabaseOptions>(DatabaseOptions.Section);
        services.AddValidatedOptions<AuthOptions>(AuthOptions.Section);
        services.AddValidatedOptions<HttpOptions>(HttpOptions.Section);

        services.AddDbContextPool<CoursePlatformDbContext>((sp, options) =>
            options.UseCoursePlatformDatabase(sp.GetRequiredService<IOptions<DatabaseOptions>>().Value.ConnectionString));

        // One storage account serves the Functions host and the lesson uploads: a connection string
        // locally, AzureWebJobsStorage__blobServiceUri with the managed identity in Azure.
        services.AddAzureClients(clients =>
        {
            clients.AddBlobServiceClient(configuration.GetSection("AzureWebJobsStorage"));
            clients.UseCredential(new DefaultAzureCredential());
        });

        services.AddSingleton<AccessTokens>();
        services.AddScoped<CourseAccess>();
        services.AddScoped<CourseResolver>();
        services.AddScoped<RateLimiter>();

        services.AddSingleton<HealthService>();
        services.AddAuth();
        services.AddIngestion(configuration);
        services.AddScoped<LessonService>();
        services.AddScoped<OutlineService>();
        services.AddScoped<CatalogService>();
        services.AddChatModel(configuration);
        services.AddPersonas();
        services.AddEnrollment();
        services.AddProgress();
        services.AddCart();
        return services;
    }

    private static void AddValidatedOptions<TOptions>(this IServiceCollection services, string section) where TOptions : class =>
        services.AddOptions<TOptions>().BindConfiguration(section).ValidateDataAnnotations().ValidateOnStart();
}
