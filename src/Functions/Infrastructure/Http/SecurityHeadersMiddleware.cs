using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>
/// The headers every HTTP response of the app carries, set in this one place: <c>X-Content-Type-Options: nosniff</c>,
/// so a browser never runs a JSON or problem+json body (one that echoes a client's value) as script or HTML. Outside
/// <see cref="Problems.ProblemDetailsMiddleware"/>, so the problems it writes get them too.
/// </summary>
public sealed class SecurityHeadersMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        await next(context);
        if (context.GetHttpResponseData() is { } response && !response.Headers.Contains("X-Content-Type-Options"))
            response.Headers.Add("X-Content-Type-Options", "nosniff");
    }
}
