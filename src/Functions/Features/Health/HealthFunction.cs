using CoursePlatform.Functions.Infrastructure.Auth;
using System.Net;
using CoursePlatform.Functions.Infrastructure;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Health;

public sealed class HealthFunction(HealthService health)
{
    [Function("Health")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> Run(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "health")] HttpRequestData request,
        CancellationToken cancellationToken)
    {
        var report = await health.CheckAsync(cancellationToken);
        var response = await request.JsonAsync(
            report.IsHealthy ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable,
            new { report.Status, report.Database, report.Storage, report.Version, report.Settings },
            cancellationToken: cancellationToken);
        if (!report.IsHealthy) response.Headers.Add("Retry-After", "10");
        response.Headers.Add("Cache-Control", "no-store");
        return response;
    }
}
