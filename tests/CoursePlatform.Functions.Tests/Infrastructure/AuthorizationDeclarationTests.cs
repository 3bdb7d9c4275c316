using System.Reflection;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker;

namespace CoursePlatform.Functions.Tests.Infrastructure;

/// <summary>Who may call each HTTP function is declared once, next to its trigger, and nothing undeclared runs.</summary>
public sealed class AuthorizationDeclarationTests
{
    private static IEnumerable<MethodInfo> HttpFunctions() =>
        typeof(AppComposition).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static))
            .Where(m => m.GetCustomAttribute<FunctionAttribute>() is not null
                && m.GetParameters().Any(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null));

    [Fact]
    public void Every_http_function_declares_who_may_call_it()
    {
        var functions = HttpFunctions().ToList();
        Assert.True(functions.Count > 90, $"found only {functions.Count} HTTP functions");
        var undeclared = functions.Where(m => m.GetCustomAttribute<AllowAttribute>() is null)
            .Select(m => m.GetCustomAttribute<FunctionAttribute>()!.Name).Order().ToList();
        Assert.True(undeclared.Count == 0, "Declare [Allow(Callers.X)] on: " + string.Join(", ", undeclared));
    }

    [Fact]
    public void Every_manage_route_is_for_admins()
    {
        var manage = HttpFunctions()
            .Where(m => m.GetParameters().Single(p => p.GetCustomAttribute<HttpTriggerAttribute>() is not null)
                .GetCustomAttribute<HttpTriggerAttribute>()!.Route?.StartsWith("manage/", StringComparison.Ordinal) == true)
            .ToList();
        Assert.NotEmpty(manage);
        Assert.All(manage, m => Assert.Equal(Callers.Admins, m.GetCustomAttribute<AllowAttribute>()?.Callers));
    }

    [Fact]
    public void A_function_without_a_declaration_is_refused_at_run_time()
    {
        var entryPoint = $"{typeof(Undeclared).FullName}.{nameof(Undeclared.Run)}";
        Assert.Null(AuthorizationMiddleware.DeclarationOf(entryPoint));
        var admin = new Caller(Guid.NewGuid(), Guid.NewGuid(), UserRole.Admin);
        var refused = Assert.Throws<ProblemException>(() => AuthorizationMiddleware.Check(AuthorizationMiddleware.DeclarationOf(entryPoint), admin));
        Assert.Equal(ProblemCodes.Forbidden, refused.Code);
        Assert.Equal(Callers.SignedIn, AuthorizationMiddleware.DeclarationOf($"{typeof(Declared).FullName}.{nameof(Declared.Run)}"));
    }

    [Theory]
    [InlineData(Callers.Anyone, null, null)]
    [InlineData(Callers.SignedIn, null, 401)]
    [InlineData(Callers.SignedIn, UserRole.Learner, null)]
    [InlineData(Callers.CourseStaff, UserRole.Learner, 403)]
    [InlineData(Callers.CourseStaff, UserRole.Tutor, null)]
    [InlineData(Callers.CourseStaff, UserRole.Admin, null)]
    [InlineData(Callers.Admins, UserRole.Tutor, 403)]
    [InlineData(Callers.Admins, null, 401)]
    [InlineData(Callers.Admins, UserRole.Admin, null)]
    public void Declarations_admit_exactly_their_callers(Callers callers, UserRole? role, int? refusedWith)
    {
        var caller = role is { } r ? new Caller(Guid.NewGuid(), Guid.NewGuid(), r) : null;
        var error = Record.Exception(() => AuthorizationMiddleware.Check(callers, caller));
        Assert.Equal(refusedWith, (int?)(error as ProblemException)?.Status);
    }

    private sealed class Undeclared
    {
        [Function("Undeclared")]
        public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] object request) { }
    }

    private sealed class Declared
    {
        [Function("Declared")]
        [Allow(Callers.SignedIn)]
        public static void Run([HttpTrigger(AuthorizationLevel.Anonymous, "get")] object request) { }
    }
}
