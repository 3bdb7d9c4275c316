using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Infrastructure.Audit;

/// <summary>
/// The audit trail of admin writes: every successful non-GET request under <c>/api/manage/</c> (and the staff writes
/// elsewhere: hiding a cold-call message, an admin deleting their own account) becomes one <c>admin_audit_entries</c>
/// row (who by id and email, which function, the path, the resource and its compact before/after from
/// <see cref="AuditScope"/>). The row is written in the transaction that holds the change: no row, no change. Failed
/// requests and deletes of what is not there change nothing and are not recorded.
/// </summary>
public sealed class AuditMiddleware(TimeProvider time, ILogger<AuditMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public const string ManagePathPrefix = "/api/manage/";

    /// <summary>Longer paths are stored cut (a padded path must not make the audit insert fail).</summary>
    public const int MaxPathLength = 1024;

    /// <summary>Writes outside <c>/api/manage/</c> that staff make on others' content or on a staff account.</summary>
    private const string HideMessage = "HideColdCallMessage", DeleteOwnAccount = "DeleteMe";

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (!context.IsHttpTrigger() || await context.GetHttpRequestDataAsync() is not { } request)
        {
            await next(context);
            return;
        }
        RefuseUntrimmedSegments(request.Url);
        var caller = context.GetCaller();
        if (!IsAudited(context.FunctionDefinition.Name, request, caller))
        {
            await next(context);
            return;
        }

        var cancellationToken = context.CancellationToken;
        var scope = context.InstanceServices.GetRequiredService<AuditScope>();
        var db = context.InstanceServices.GetRequiredService<CoursePlatformDbContext>();
        // Read before the change: the actor's row may be the thing deleted (their own account).
        var actorEmail = caller is null ? null
            : await db.Users.AsNoTracking().Where(u => u.Id == caller.UserId).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken);
        var deletesSelf = context.FunctionDefinition.Name == DeleteOwnAccount;
        if (deletesSelf && caller is not null) scope.Changed("user", caller.UserId, new { email = actorEmail, role = caller.Role }, null);

        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            scope.Active = true;
            try
            {
                await next(context);
            }
            finally
            {
                scope.Active = false;
            }
            if (context.GetHttpResponseData() is not { } response || (int)response.StatusCode is < 200 or >= 300) return; // rolled back
            if (!scope.Unchanged)
            {
                db.ChangeTracker.Clear(); // the function's own tracked entities are saved or abandoned by now
                db.AdminAuditEntries.Add(new AdminAuditEntry
                {
                    Id = Guid.CreateVersion7(),
                    ActorId = deletesSelf ? null : caller?.UserId,
                    ActorEmail = actorEmail,
                    Action = context.FunctionDefinition.Name,
                    Method = request.Method.ToUpperInvariant(),
                    Path = Cut(request.Url.AbsolutePath),
                    Status = (int)response.StatusCode,
                    ResourceType = scope.ResourceType,
                    ResourceId = scope.ResourceId,
                    Before = scope.Before is null ? null : JsonSerializer.SerializeToDocument(scope.Before),
                    After = scope.After is null ? null : JsonSerializer.SerializeToDocument(scope.After),
                    At = time.GetUtcNow(),
                });
                await db.SaveChangesAsync(cancellationToken);
            }
            await transaction.CommitAsync(cancellationToken);
        }
        try
        {
            await scope.RunAfterCommitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The change stands and is recorded; what is left over (a blob) is logged for the operator, not failed.
            logger.LogWarning(ex, "Clean-up after {Function} failed", context.FunctionDefinition.Name);
        }
    }

    private static bool IsAudited(string function, HttpRequestData request, Caller? caller)
    {
        if (request.Method.Equals("GET", StringComparison.OrdinalIgnoreCase) || request.Method.Equals("HEAD", StringComparison.OrdinalIgnoreCase)
            || request.Method.Equals("OPTIONS", StringComparison.OrdinalIgnoreCase)) return false;
        return request.Url.AbsolutePath.StartsWith(ManagePathPrefix, StringComparison.OrdinalIgnoreCase)
            || function == HideMessage
            || (function == DeleteOwnAccount && caller is { IsAdmin: true });
    }

    /// <summary>
    /// A route value with surrounding whitespace or a control character is refused before anything runs: services
    /// trim names, so <c>slug%20%20</c> would otherwise reach the same resource under a different path.
    /// </summary>
    public static void RefuseUntrimmedSegments(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        foreach (var raw in url.AbsolutePath.Split('/'))
        {
            if (raw.Length == 0) continue;
            var segment = Uri.UnescapeDataString(raw);
            if (segment.Length != segment.Trim().Length || segment.Any(char.IsControl))
                throw ProblemException.BadRequest("A path segment starts or ends with whitespace or contains a control character.");
        }
    }

    private static string Cut(string path) => path.Length <= MaxPathLength ? path : path[..(MaxPathLength - 1)] + "…";
}
