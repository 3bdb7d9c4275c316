using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>
/// The headers every HTTP response of the app carries, set in this one place. Outside
/// <see cref="Problems.ProblemDetailsMiddleware"/>, so the problems it writes get them too.
/// <list type="bullet">
/// <item><c>X-Content-Type-Options: nosniff</c>, so a browser never runs a JSON or problem+json body (one that echoes a
/// client's value) as script or HTML.</item>
/// <item><c>Access-Control-Expose-Headers</c> naming the headers the API relies on, so a frontend on another origin can
/// read them from <c>fetch</c>. The Functions host's CORS (the platform's <c>allowedOrigins</c>, Core Tools'
/// <c>Host.CORS</c>) answers preflights and adds <c>Access-Control-Allow-Origin</c> but has no exposed-headers setting;
/// its middleware (ASP.NET Core's, with no exposed headers in its policy) leaves this header as the app wrote it.</item>
/// </list>
/// </summary>
public sealed class ResponseHeadersMiddleware : IFunctionsWorkerMiddleware
{
    /// <summary>Read by clients: cache validators, created resources, back-off, the auth challenge, allowed methods.</summary>
    public const string ExposedHeaders = "ETag, Location, Retry-After, WWW-Authenticate, Allow";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        await next(context);
        if (context.GetHttpResponseData() is not { } response) return;
        if (!response.Headers.Contains("X-Content-Type-Options")) response.Headers.Add("X-Content-Type-Options", "nosniff");
        if (!response.Headers.Contains("Access-Control-Expose-Headers")) response.Headers.Add("Access-Control-Expose-Headers", ExposedHeaders);
    }
}
