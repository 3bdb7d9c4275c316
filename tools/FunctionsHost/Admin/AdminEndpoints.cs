using System.Text.Json.Nodes;
using CoursePlatform.FunctionsHost.Blobs;
using CoursePlatform.FunctionsHost.Http;
using CoursePlatform.FunctionsHost.Timers;
using CoursePlatform.FunctionsHost.Worker;

namespace CoursePlatform.FunctionsHost.Admin;

/// <summary>
/// The real host's admin API, as far as local development needs it:
/// <c>GET /admin/host/status</c> (Running once every function is loaded and its trigger wired; <c>functionErrors</c> lists
/// the functions in error), <c>GET /admin/functions/{name}/status</c> (a function's errors) and <c>POST /admin/functions/{name}</c>
/// (run a non-HTTP function now; body <c>{"input": "container/blob"}</c> for a blob trigger), answered with 202.
/// Every one needs the master key (<c>x-functions-key</c> header or <c>?code=</c>), else 401, as in Azure.
/// </summary>
public static class AdminEndpoints
{
    public static void Map(WebApplication app, IReadOnlyDictionary<string, BlobTriggerFunction> blobTriggers)
    {
        // The real host's status has no such list (its "errors" are the host's own); functionErrors is this host's addition.
        // HostController.GetHostStatus: [Authorize(Policy = PolicyNames.AdminAuthLevelOrInternal)], the master key.
        app.MapGet("/admin/host/status", (HttpContext context, WorkerChannel worker, HostState state, FunctionKeys keys) =>
            !keys.AllowsAdmin(context.Request) ? Results.Unauthorized()
            : state.IsRunning
                ? Results.Ok(new { state = "Running", functions = worker.Functions.Select(f => f.Name), functionErrors = worker.FunctionErrors })
                : Results.Json(new { state = worker.Ready.IsFaulted ? "Error" : "Initializing" }, statusCode: StatusCodes.Status503ServiceUnavailable));

        // FunctionsController.GetFunctionStatus: {"errors": [...]} for a function in error, {} for one without errors,
        // 404 for a name the host does not know.
        app.MapGet("/admin/functions/{name}/status", (string name, HttpContext context, WorkerChannel worker, FunctionKeys keys) =>
        {
            if (!keys.AllowsAdmin(context.Request)) return Results.Unauthorized();
            if (worker.FunctionErrors.TryGetValue(name, out var errors)) return Results.Ok(new { errors });
            return worker.Find(name) is null ? Results.NotFound() : Results.Ok(new { });
        });

        app.MapPost("/admin/functions/{name}", async (string name, HttpContext context, WorkerChannel worker, FunctionKeys keys,
            TimerScheduler timers, BlobTriggerDispatcher blobs, IHostApplicationLifetime lifetime, ILoggerFactory loggers) =>
        {
            if (!keys.AllowsAdmin(context.Request)) return Results.Unauthorized();
            // As FunctionsController.Invoke, only a function the host runs can be run: one in error is not found.
            if (worker.Find(name) is not { } function)
            {
                return Results.NotFound(new { error = worker.FunctionErrors.ContainsKey(name) ? $"'{name}' is in error; see GET /admin/functions/{name}/status." : $"No function '{name}'." });
            }

            string? input = null;
            if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                try
                {
                    input = (await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted))?["input"]?.ToString();
                }
                catch (System.Text.Json.JsonException)
                {
                    return Results.BadRequest(new { error = "The body must be JSON like {\"input\": \"...\"}." });
                }
            }

            var logger = loggers.CreateLogger("Host.Admin");
            var stopping = lifetime.ApplicationStopping;
            if (TimerScheduler.IsTimer(function))
            {
                logger.LogInformation("Running '{Function}' on request", function.FullName);
                _ = Task.Run(() => timers.InvokeAsync(function, null, DateTime.Now, isPastDue: false, stopping), CancellationToken.None);
                return Results.Accepted();
            }
            if (blobTriggers.TryGetValue(function.Name, out var blob))
            {
                var blobName = input?.StartsWith(blob.Container + "/", StringComparison.Ordinal) == true ? input[(blob.Container.Length + 1)..] : input;
                if (string.IsNullOrEmpty(blobName)) return Results.BadRequest(new { error = $"Pass the blob as {{\"input\": \"{blob.Container}/<name>\"}}." });
                logger.LogInformation("Running '{Function}' on request for blob '{Blob}'", function.FullName, blobName);
                _ = Task.Run(async () =>
                {
                    try { await blobs.InvokeOnceAsync(blob, blobName, stopping); }
                    catch (Exception ex) when (ex is Azure.RequestFailedException or OperationCanceledException) { logger.LogError("'{Function}' for '{Blob}': {Error}", function.Name, blobName, ex.Message); }
                }, CancellationToken.None);
                return Results.Accepted();
            }
            return Results.BadRequest(new { error = $"'{name}' is an HTTP function: call its route instead." });
        });
    }
}
