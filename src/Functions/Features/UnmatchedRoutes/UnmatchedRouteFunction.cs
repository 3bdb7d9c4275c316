using CoursePlatform.Functions.Infrastructure.Auth;
using System.Net;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.UnmatchedRoutes;

/// <summary>
/// Answers every request under <c>/api</c> that no other function takes (routing tries every other route
/// first: a catch-all has the lowest precedence), so a wrong method, an unknown path or a route value that
/// fails its constraint gets problem+json like every other error, instead of an empty body.
/// </summary>
public sealed class UnmatchedRouteFunction(RouteTable routes)
{
    [Function("UnmatchedRoute")]
    [Allow(Callers.Anyone)]
    public HttpResponseData Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "head", "options", Route = "{*path}")] HttpRequestData request,
        string? path)
    {
        ArgumentNullException.ThrowIfNull(request);
        var methods = routes.MethodsFor(path ?? "");
        var shown = $"{request.Method.ToUpperInvariant()} /api/{path}";
        if (methods.Count == 0)
            throw new ProblemException(ProblemCodes.NotFound, $"No endpoint answers {shown}.");
        if (methods.Contains(request.Method.ToUpperInvariant()))
            throw new ProblemException(ProblemCodes.NotFound,
                $"No endpoint answers {shown}: a value in the path is not of the kind the route expects (an id must be a GUID).");
        throw new ProblemException(ProblemCodes.MethodNotAllowed,
            $"{shown} is not supported; this route answers {string.Join(", ", methods)}.",
            headers: new Dictionary<string, string> { ["Allow"] = string.Join(", ", methods) });
    }
}
