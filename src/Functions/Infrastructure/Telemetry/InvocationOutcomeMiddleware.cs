using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace CoursePlatform.Functions.Infrastructure.Telemetry;

/// <summary>
/// Puts an HTTP invocation's status code on the worker's invocation span (5xx as an error, as OpenTelemetry's HTTP
/// conventions say for a server), so sampling keeps failed requests. Outermost: it sees the problem responses too.
/// Without telemetry there is no span and it does nothing.
/// </summary>
public sealed class InvocationOutcomeMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        await next(context);
        if (Activity.Current is { } activity && context.GetHttpResponseData() is { } response)
        {
            var status = (int)response.StatusCode;
            activity.SetTag(KeepFailuresProcessor.StatusCodeTag, status);
            if (status >= 500) activity.SetStatus(ActivityStatusCode.Error);
        }
    }
}
