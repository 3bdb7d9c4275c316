using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoursePlatform.Functions.Infrastructure.Problems;

/// <summary>
/// Every error of an HTTP function leaves as RFC 9457 problem+json: the problems services raise, an
/// unreachable database as 503 with Retry-After, and anything unexpected as a 500 that carries the trace
/// id and nothing of the exception.
/// </summary>
public sealed class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    private static readonly TimeSpan DatabaseRetryAfter = TimeSpan.FromSeconds(10);

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex) when (context.IsHttpTrigger())
        {
            var problem = ToProblem(Unwrap(ex));
            // The caller went away (the host cancels the invocation): nothing failed, and nobody reads the answer.
            if (Unwrap(ex) is OperationCanceledException && context.CancellationToken.IsCancellationRequested)
                logger.LogInformation("{Function} cancelled: the caller went away", context.FunctionDefinition.Name);
            else if (problem.Status >= HttpStatusCode.InternalServerError && problem.Status != HttpStatusCode.ServiceUnavailable)
                logger.LogError(ex, "Unhandled exception in {Function}", context.FunctionDefinition.Name);
            else if (Unwrap(ex) is PostgresException bad && IsBadValue(bad))
                logger.LogWarning("A value PostgreSQL refused in {Function}: {SqlState}", context.FunctionDefinition.Name, bad.SqlState);
            else if (problem.Status == HttpStatusCode.ServiceUnavailable)
                logger.LogWarning("Dependency unavailable in {Function}: {Error}", context.FunctionDefinition.Name, Unwrap(ex).GetType().Name);

            var request = await context.GetHttpRequestDataAsync()
                ?? throw new InvalidOperationException("An HTTP trigger without request data.", ex);
            context.GetInvocationResult().Value = await WriteAsync(request, problem, context.CancellationToken);
        }
    }

    /// <summary>Writes <paramref name="problem"/> as the response to <paramref name="request"/>.</summary>
    public static async Task<HttpResponseData> WriteAsync(HttpRequestData request, ProblemException problem, CancellationToken cancellationToken)
    {
        var response = request.CreateResponse(problem.Status);
        response.Headers.Add("Content-Type", "application/problem+json; charset=utf-8");
        foreach (var (name, value) in problem.Headers) response.Headers.Add(name, value);
        var body = new Problem(problem.Code.Type, problem.Title, (int)problem.Status, problem.Detail, problem.Code.Code,
            TraceId(request.FunctionContext), problem.Errors);
        await JsonSerializer.SerializeAsync(response.Body, body, Json.Options, cancellationToken);
        return response;
    }

    /// <summary>
    /// The W3C trace id (32 hex digits) of the invocation: the host continues the request's <c>traceparent</c>
    /// (or starts a trace), so the id matches the caller's and Application Insights' view of the request.
    /// </summary>
    public static string TraceId(FunctionContext context)
    {
        var parent = context.TraceContext?.TraceParent;
        if (parent is { Length: >= 55 } && parent[2] == '-' && parent[35] == '-') return parent.Substring(3, 32);
        return Activity.Current?.TraceId.ToString() ?? ActivityTraceId.CreateRandom().ToString();
    }

    private static Exception Unwrap(Exception ex) =>
        ex is AggregateException { InnerExceptions.Count: 1 } aggregate ? Unwrap(aggregate.InnerExceptions[0])
        : ex is DbUpdateException { InnerException: { } inner } && (IsDatabaseUnreachable(inner) || IsBadValue(inner)) ? inner
        : ex;

    private static ProblemException ToProblem(Exception ex) => ex switch
    {
        ProblemException problem => problem,
        _ when IsDatabaseUnreachable(ex) => ProblemException.ServiceUnavailable(DatabaseRetryAfter, "The database is unreachable; try again shortly.", ProblemCodes.DatabaseUnavailable),
        // The last line of defence for input no validation caught: a value too long for its column, a NUL
        // character, a number out of range. The statement that met it wrote nothing.
        _ when IsBadValue(ex) => ProblemException.BadRequest("A value in the request is too long, out of range or contains characters that cannot be stored."),
        _ => new ProblemException(ProblemCodes.InternalError, "Something went wrong on our side. Quote the trace id if you report it."),
    };

    /// <summary>
    /// The data exceptions a client's value causes: too long for its column (22001), out of range (22003),
    /// a bad date (22007, 22008), a NUL or an invalid character (22021, 22P05). Other errors of class 22 (a bad
    /// cast in our own SQL, a division by zero) stay 500s: they are ours to fix.
    /// </summary>
    private static bool IsBadValue(Exception ex) =>
        ex is PostgresException { SqlState: "22001" or "22003" or "22007" or "22008" or "22021" or "22P05" };

    /// <summary>Connection-level failures (refused, timed out, server shutting down), not query errors.</summary>
    private static bool IsDatabaseUnreachable(Exception ex) => ex switch
    {
        PostgresException postgres => postgres.SqlState is PostgresErrorCodes.CannotConnectNow or PostgresErrorCodes.AdminShutdown
            or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.TooManyConnections,
        NpgsqlException { InnerException: SocketException or TimeoutException or IOException } => true,
        NpgsqlException npgsql when npgsql.IsTransient => true,
        InvalidOperationException { InnerException: NpgsqlException inner } => IsDatabaseUnreachable(inner),
        _ => false,
    };
}

/// <summary>
/// The RFC 9457 body of every error: <c>type</c> is the code's own URI, <c>code</c> the stable name to branch
/// on (<see cref="ProblemCodes"/>), <c>traceId</c> the request's W3C trace id, <c>errors</c> only on
/// <c>validation_failed</c> (field -> messages).
/// </summary>
public sealed record Problem(
    string Type, string Title, int Status, string Detail, string Code, string TraceId,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    IReadOnlyDictionary<string, string[]>? Errors);

internal static class FunctionContextExtensions
{
    public static bool IsHttpTrigger(this FunctionContext context) =>
        context.FunctionDefinition.InputBindings.Values.Any(b => b.Type == "httpTrigger");
}
