using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Infrastructure.Audit;

/// <summary>
/// The audit trail of admin writes: every successful non-GET request under <c>/api/manage/</c> becomes one
/// <c>admin_audit_entries</c> row (who, which function, the path, the resource and its compact before/after from
/// <see cref="AuditScope"/>). Failed requests change nothing and are not recorded.
/// </summary>
public sealed class AuditMiddleware(TimeProvider time) : IFunctionsWorkerMiddleware
{
    public const string ManagePathPrefix = "/api/manage/";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        await next(context);
        if (!context.IsHttpTrigger() || await context.GetHttpRequestDataAsync() is not { } request) return;
        if (request.Method.Equals("GET", StringComparison.OrdinalIgnoreCase) || request.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase) || !request.Url.AbsolutePath.StartsWith(ManagePathPrefix, StringComparison.OrdinalIgnoreCase)) return;
        if (context.GetHttpResponseData() is not { } response || (int)response.StatusCode is < 200 or >= 300) return;

        var scope = context.InstanceServices.GetRequiredService<AuditScope>();
        var db = context.InstanceServices.GetRequiredService<CoursePlatformDbContext>();
        db.ChangeTracker.Clear(); // the function's own tracked entities are saved or abandoned by now
        db.AdminAuditEntries.Add(new AdminAuditEntry
        {
            Id = Guid.CreateVersion7(),
            ActorId = context.GetCaller()?.UserId,
            Action = context.FunctionDefinition.Name,
            Method = request.Method.ToUpperInvariant(),
            Path = request.Url.AbsolutePath,
            Status = (int)response.StatusCode,
            ResourceType = scope.ResourceType,
            ResourceId = scope.ResourceId,
            Before = scope.Before is null ? null : JsonSerializer.SerializeToDocument(scope.Before),
            After = scope.After is null ? null : JsonSerializer.SerializeToDocument(scope.After),
            At = time.GetUtcNow(),
        });
        await db.SaveChangesAsync(context.CancellationToken);
    }
}
