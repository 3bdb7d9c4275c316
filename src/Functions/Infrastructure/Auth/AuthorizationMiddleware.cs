using System.Collections.Concurrent;
using System.Reflection;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Infrastructure.Auth;

/// <summary>
/// Enforces each HTTP function's <see cref="AllowAttribute"/> before it runs, after
/// <see cref="AuthenticationMiddleware"/> has identified the caller. A function that declares nothing is refused:
/// forgetting the declaration closes the endpoint instead of opening it.
/// </summary>
public sealed class AuthorizationMiddleware(ILogger<AuthorizationMiddleware> logger) : IFunctionsWorkerMiddleware
{
    private static readonly ConcurrentDictionary<string, Callers?> Declarations = new(StringComparer.Ordinal);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.IsHttpTrigger())
        {
            var declared = DeclarationOf(context.FunctionDefinition.EntryPoint);
            if (declared is null) logger.LogError("Function {Function} declares no [Allow]; refused.", context.FunctionDefinition.Name);
            Check(declared, context.GetCaller());
        }
        await next(context);
    }

    /// <summary>401 or 403 when <paramref name="caller"/> is not one of <paramref name="callers"/>; 403 when nothing is declared.</summary>
    public static void Check(Callers? callers, Caller? caller)
    {
        if (callers is null) throw ProblemException.Forbidden("This endpoint declares no callers, so nobody may call it.");
        if (callers == Callers.Anyone) return;
        if (caller is null) throw ProblemException.Unauthorized();
        switch (callers)
        {
            case Callers.Admins when !caller.IsAdmin:
                throw ProblemException.Forbidden("Only admins may do this.");
            case Callers.CourseStaff when caller.Role is not (UserRole.Admin or UserRole.Tutor):
                throw ProblemException.Forbidden("Only the course's tutors and admins may do this.");
        }
    }

    /// <summary>The declaration on the method behind an entry point (<c>Namespace.Type.Method</c>), or null.</summary>
    public static Callers? DeclarationOf(string entryPoint) =>
        Declarations.GetOrAdd(entryPoint, static name => Method(name)?.GetCustomAttribute<AllowAttribute>()?.Callers);

    private static MethodInfo? Method(string entryPoint)
    {
        var split = entryPoint.LastIndexOf('.');
        if (split < 0) return null;
        var (typeName, methodName) = (entryPoint[..split], entryPoint[(split + 1)..]);
        return AppDomain.CurrentDomain.GetAssemblies()
            .Select(a => a.GetType(typeName, throwOnError: false))
            .FirstOrDefault(t => t is not null)
            ?.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
            .FirstOrDefault(m => m.Name == methodName && m.GetCustomAttribute<FunctionAttribute>() is not null);
    }
}
