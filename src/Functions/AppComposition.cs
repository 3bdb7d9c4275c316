using CoursePlatform.Functions.Courses;
using Azure.Core.Serialization;
using CoursePlatform.Functions.Features.ApiContract;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Features.Cart;
using CoursePlatform.Functions.Features.Catalog;
using CoursePlatform.Functions.Features.Cohorts;
using CoursePlatform.Functions.Features.ColdCalls;
using CoursePlatform.Functions.Features.ContentAdmin;
using CoursePlatform.Functions.Features.Enrollments;
using CoursePlatform.Functions.Features.Health;
using CoursePlatform.Functions.Features.Ingestion;
using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Features.Payments;
using CoursePlatform.Functions.Features.Personas;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Features.Quizzes;
using CoursePlatform.Functions.Features.UnmatchedRoutes;
using CoursePlatform.Functions.Features.Search;
using CoursePlatform.Functions.Features.Tutors;
using CoursePlatform.Functions.Features.AiTutor;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.Telemetry;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoursePlatform.Functions;

/// <summary>
/// The composition root: the plumbing of <c>Infrastructure/</c>, then every feature's own <c>Add&lt;Feature&gt;</c>.
/// Program.cs, the tests and the benchmarks build the same container through <see cref="AddCoursePlatform"/>.
/// </summary>
public static class AppComposition
{
    /// <summary>
    /// The worker middleware, outermost first: the outcome goes on the invocation's span, every response gets the security
    /// headers, errors become problem+json, the caller is authenticated and checked against the function's [Allow],
    /// admin writes are audited.
    /// </summary>
    public static IFunctionsWorkerApplicationBuilder UseCoursePlatformMiddleware(this IFunctionsWorkerApplicationBuilder worker)
    {
        worker.UseMiddleware<InvocationOutcomeMiddleware>();
        worker.UseMiddleware<ResponseHeadersMiddleware>();
        worker.UseMiddleware<ProblemDetailsMiddleware>();
        worker.UseMiddleware<AuthenticationMiddleware>();
        worker.UseMiddleware<AuthorizationMiddleware>();
        worker.UseMiddleware<AuditMiddleware>();
        return worker;
    }

    public static IServiceCollection AddCoursePlatform(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WorkerOptions>(o => o.Serializer = new JsonObjectSerializer(Json.Options));
        services.AddPlatformInfrastructure(configuration);
        services.AddCourseRules();

        services.AddHealth();
        services.AddAuth();
        services.AddCatalog();
        services.AddLessons();
        services.AddPersonas();
        services.AddCohorts();
        services.AddEnrollments();
        services.AddProgress();
        services.AddQuizzes();
        services.AddCart();
        services.AddPayments();
        services.AddSearch();
        services.AddIngestion();
        services.AddAiTutor();
        services.AddTutors();
        services.AddColdCalls();
        services.AddContentAdmin();
        services.AddApiContract();
        services.AddUnmatchedRoutes();
        return services;
    }
}
