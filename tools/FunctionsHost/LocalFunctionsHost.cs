using System.Net;
using CoursePlatform.FunctionsHost.Admin;
using CoursePlatform.FunctionsHost.Blobs;
using CoursePlatform.FunctionsHost.Configuration;
using CoursePlatform.FunctionsHost.Functions;
using CoursePlatform.FunctionsHost.Http;
using CoursePlatform.FunctionsHost.Timers;
using CoursePlatform.FunctionsHost.Worker;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace CoursePlatform.FunctionsHost;

/// <summary>
/// Composition and lifecycle: one Kestrel server with two listeners (HTTP/1.1+2 for the app on the chosen port,
/// cleartext HTTP/2 on a loopback port for the worker's gRPC stream), then worker start-up, then triggers.
/// </summary>
public static class LocalFunctionsHost
{
    public static async Task<int> RunAsync(HostArguments arguments)
    {
        FunctionsMetadataFile.EnsureAppDirectory(arguments.AppDirectory);
        var settings = AppSettings.Load(arguments.SettingsFile, arguments.AppDirectory);
        var hostJson = HostJson.Load(arguments.AppDirectory);
        var port = arguments.Port ?? settings.Host.LocalHttpPort ?? 7071;

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = arguments.AppDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        // Start-up failures (port in use) are reported once, by Program, without the stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.None);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = 100 * 1024 * 1024;
            kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.ListenAnyIP(port, listen =>
            {
                listen.Protocols = HttpProtocols.Http1;
                NulPathGuard.Use(listen); // a %00 in the path gets problem+json, not Kestrel's bare 400
            });
        });
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = null;
            grpc.MaxSendMessageSize = null;
            // Otherwise gRPC adds catch-all POST endpoints for unknown services that shadow the app's routes.
            grpc.IgnoreUnknownServices = true;
        });
        builder.Services.AddRouting();
        builder.Services.AddCors();
        builder.Services.AddSingleton(arguments);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(hostJson);
        builder.Services.AddSingleton(FunctionSetValidationOptions.From(settings, hostJson));
        builder.Services.AddSingleton<HostState>();
        builder.Services.AddSingleton<WorkerChannel>();
        builder.Services.AddSingleton<WorkerProcess>();
        builder.Services.AddSingleton<FunctionEndpointDataSource>();
        builder.Services.AddSingleton<FunctionKeys>();
        builder.Services.AddSingleton<HttpTriggerHandler>();
        builder.Services.AddSingleton<TimerScheduler>();
        builder.Services.AddSingleton<HostIdentity>();
        builder.Services.AddSingleton<BlobTriggerDispatcher>();
        builder.Services.AddSingleton<BlobContainerScanner>();
        builder.Services.AddSingleton<EventGridWebhook>();

        await using var app = builder.Build();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Host");
        var lifetime = app.Lifetime;
        var worker = app.Services.GetRequiredService<WorkerChannel>();
        var state = app.Services.GetRequiredService<HostState>();
        var blobTriggers = new Dictionary<string, BlobTriggerFunction>(StringComparer.OrdinalIgnoreCase);

        // FUNCTIONS_REQUEST_BODY_SIZE_LIMIT caps each request's body as the real host does (HttpRequestBodySizeMiddleware in
        // Azure/azure-functions-host): Kestrel answers 413 once a body passes it, before the host buffers it for the worker.
        if (long.TryParse(settings["FUNCTIONS_REQUEST_BODY_SIZE_LIMIT"], out var bodyLimit))
        {
            app.Use((context, next) =>
            {
                if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
                    feature.MaxRequestBodySize = bodyLimit;
                return next(context);
            });
        }
        app.Use(async (context, next) =>
        {
            if (!await NulPathGuard.RefuseAsync(context)) await next(context);
        });
        // Until the worker has loaded its functions there are no routes: say "starting", not 404.
        app.Use(async (context, next) =>
        {
            if (!state.IsRunning && !context.Request.Path.StartsWithSegments("/admin") && context.Request.Protocol != "HTTP/2")
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = "1";
                await context.Response.WriteAsync("The Functions host is starting.");
                return;
            }
            await next(context);
        });
        // Core Tools' CORS from local.settings.json Host.CORS; preflights are answered before routing.
        if (settings.Host.CorsOrigins.Count > 0)
        {
            // Every answer depends on the Origin once CORS is on (allowed or not), so shared caches must key on it.
            app.Use((context, next) =>
            {
                context.Response.OnStarting(() =>
                {
                    var vary = context.Response.Headers.Vary.ToString();
                    if (!vary.Split(',').Any(v => v.Trim().Equals("Origin", StringComparison.OrdinalIgnoreCase)))
                        context.Response.Headers.Append("Vary", "Origin");
                    return Task.CompletedTask;
                });
                return next(context);
            });
            app.UseCors(cors =>
            {
                if (settings.Host.CorsOrigins.Contains("*")) cors.AllowAnyOrigin(); else cors.WithOrigins([.. settings.Host.CorsOrigins]);
                cors.AllowAnyHeader().AllowAnyMethod();
                if (settings.Host.CorsCredentials && !settings.Host.CorsOrigins.Contains("*")) cors.AllowCredentials();
            });
        }
        app.UseRouting();
        ((IEndpointRouteBuilder)app).DataSources.Add(app.Services.GetRequiredService<FunctionEndpointDataSource>());
        app.MapGrpcService<EventStreamService>();
        AdminEndpoints.Map(app, blobTriggers);
        var webhook = app.Services.GetRequiredService<EventGridWebhook>();
        app.MapPost("/runtime/webhooks/blobs", (Delegate)((HttpContext context) => webhook.HandleAsync(context, lifetime.ApplicationStopping)));

        await app.StartAsync();
        var grpcUri = GrpcUri(app, port);

        using var process = app.Services.GetRequiredService<WorkerProcess>();
        var exitCode = 0;
        try
        {
            StartWorker(process, worker, grpcUri);

            IReadOnlyList<FunctionDefinition> functions;
            try
            {
                functions = await WaitForWorkerAsync(worker, process, arguments.StartupTimeout, lifetime.ApplicationStopping);
            }
            catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
            {
                logger.LogInformation("Stopped before the worker finished starting.");
                return 0;
            }

            // An invalid route template stops the real host once its functions are loaded, before it logs the functions in error.
            if (worker.HostError is { } hostError) throw new HostStartupException(hostError);
            var errors = worker.FunctionErrors;
            LogFunctionErrors(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Host.Startup"), errors);
            if (arguments.FailOnFunctionErrors && errors.Count > 0)
            {
                throw new HostStartupException(
                    $"{errors.Count} function(s) in error ({string.Join(", ", errors.Keys)}); not serving (--fail-on-function-errors).");
            }

            var lines = WireTriggers(app, functions, settings, blobTriggers, port, logger);
            lines.AddRange(errors.Keys.Select(name => $"{name}: in error, not served (see the log)"));
            PrintFunctions(lines, functions, app.Services.GetRequiredService<FunctionKeys>());
            state.MarkRunning();
            logger.LogInformation("Host is running on http://localhost:{Port} (Ctrl+C to stop)", port);

            exitCode = await SuperviseWorkerAsync(process, worker, grpcUri, arguments.StartupTimeout, logger, lifetime.ApplicationStopping);
        }
        finally
        {
            await ShutdownAsync(app, worker, process, logger);
        }
        return exitCode;
    }

    // ScriptHostLoggerExtension.FunctionError, placeholders included (they name the properties of the structured log).
#pragma warning disable CA1727
    private static readonly Action<ILogger, string, string, Exception?> FunctionError = LoggerMessage.Define<string, string>(
        LogLevel.Error, new EventId(402, "FunctionError"), "The '{functionName}' function is in error: {errorMessage}");
#pragma warning restore CA1727

    /// <summary>One error log per function in error, its messages on separate lines, as ScriptHost.LogHostFunctionErrors writes them.</summary>
    private static void LogFunctionErrors(ILogger logger, IReadOnlyDictionary<string, IReadOnlyList<string>> errors)
    {
        foreach (var (name, messages) in errors)
        {
            FunctionError(logger, name, string.Join(Environment.NewLine, messages), null);
        }
    }

    /// <summary>A worker that dies this often within <see cref="RestartWindow"/> is not started again: the host stops.</summary>
    private const int MaxRestarts = 3;
    private static readonly TimeSpan RestartWindow = TimeSpan.FromMinutes(10);

    private static void StartWorker(WorkerProcess process, WorkerChannel worker, Uri grpcUri)
    {
        var disconnected = worker.ExitHandler();
        process.Start(grpcUri);
        _ = process.Exited.ContinueWith(t => disconnected(new InvalidOperationException($"The worker process exited with code {t.Result}.")), TaskScheduler.Default);
    }

    /// <summary>
    /// Runs until Ctrl+C (0). A worker that dies is replaced, as the Functions host does: its running invocations fail,
    /// new ones wait for the next worker. More than <see cref="MaxRestarts"/> deaths within <see cref="RestartWindow"/>,
    /// or a replacement that cannot start, stop the host (1).
    /// </summary>
    private static async Task<int> SuperviseWorkerAsync(
        WorkerProcess process, WorkerChannel worker, Uri grpcUri, TimeSpan startupTimeout, ILogger logger, CancellationToken stopping)
    {
        var stopped = Task.Delay(Timeout.Infinite, stopping);
        var deaths = new Queue<DateTimeOffset>();
        while (true)
        {
            if (await Task.WhenAny(stopped, process.Exited) == stopped) return 0;
            // Ctrl+C in a terminal reaches the worker too, and it may exit before the host notices the signal.
            if (await Task.WhenAny(stopped, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)) == stopped) return 0;

            var code = await process.Exited;
            var now = DateTimeOffset.UtcNow;
            deaths.Enqueue(now);
            while (deaths.Peek() < now - RestartWindow) deaths.Dequeue();
            if (deaths.Count > MaxRestarts)
            {
                logger.LogError("The worker process exited unexpectedly with code {Code}, {Count} times within {Minutes} minutes; stopping the host.",
                    code, deaths.Count, RestartWindow.TotalMinutes);
                return 1;
            }
            logger.LogError("The worker process exited unexpectedly with code {Code}; starting a new one (restart {Count} of at most {Max} in {Minutes} minutes).",
                code, deaths.Count, MaxRestarts, RestartWindow.TotalMinutes);
            worker.Restart();
            StartWorker(process, worker, grpcUri);
            try
            {
                await WaitForWorkerAsync(worker, process, startupTimeout, stopping);
                logger.LogInformation("The new worker process loaded its functions; serving again.");
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return 0;
            }
            catch (HostStartupException ex)
            {
                logger.LogError("{Error}", ex.Message);
                return 1;
            }
        }
    }

    /// <summary>Waits for the handshake; a worker that dies or hangs becomes a start-up error with its last output.</summary>
    private static async Task<IReadOnlyList<FunctionDefinition>> WaitForWorkerAsync(
        WorkerChannel worker, WorkerProcess process, TimeSpan timeout, CancellationToken stopping)
    {
        try
        {
            return await worker.Ready.WaitAsync(timeout, stopping);
        }
        catch (Exception ex) when (ex is HostStartupException or TimeoutException or InvalidOperationException)
        {
            var reason = ex is TimeoutException ? $"the worker did not finish starting within {timeout.TotalSeconds:0} s" : ex.Message;
            // A dying worker closes its stream a moment before it exits: prefer the exit code as the reason.
            try
            {
                reason = $"The worker process exited with code {await process.Exited.WaitAsync(TimeSpan.FromSeconds(3), CancellationToken.None)}.";
            }
            catch (TimeoutException)
            {
            }
            var output = process.RecentOutput;
            throw new HostStartupException(
                $"The worker failed to start: {reason}" + (output.Length > 0 ? $"{Environment.NewLine}Last worker output:{Environment.NewLine}{output}" : ""));
        }
    }

    /// <summary>Routes, timers, blob scans and the webhook for the loaded functions; returns one console line per function.</summary>
    private static List<string> WireTriggers(
        WebApplication app, IReadOnlyList<FunctionDefinition> functions, AppSettings settings,
        Dictionary<string, BlobTriggerFunction> blobTriggers, int port, ILogger logger)
    {
        var stopping = app.Lifetime.ApplicationStopping;
        var lines = new List<string>();
        lines.AddRange(app.Services.GetRequiredService<HttpTriggerHandler>().MapFunctions(functions)
            .Select(l => l.Replace("] /", $"] http://localhost:{port}/", StringComparison.Ordinal)));
        lines.AddRange(app.Services.GetRequiredService<TimerScheduler>().Start(functions, stopping));

        var scanner = app.Services.GetRequiredService<BlobContainerScanner>();
        foreach (var function in functions.Where(BlobTriggerFunction.IsBlobTrigger))
        {
            try
            {
                var trigger = BlobTriggerFunction.Create(function, settings);
                blobTriggers[function.Name] = trigger;
                lines.Add($"{function.Name}: blobTrigger ({trigger.Path}"
                    + (trigger.IsEventGridSource ? $", Event Grid: POST /runtime/webhooks/blobs?functionName={function.FullName}" : "")
                    + (scanner.Polls(trigger) ? $", container scan every {scanner.Interval.TotalSeconds:0.#} s" : "") + ")");
            }
            catch (HostStartupException ex)
            {
                logger.LogError("Blob trigger '{Function}' is disabled: {Error}", function.Name, ex.Message);
                lines.Add($"{function.Name}: blobTrigger (disabled)");
            }
        }
        app.Services.GetRequiredService<EventGridWebhook>().Register(blobTriggers.Values);
        scanner.Start(blobTriggers.Values, stopping);

        // Every loaded function has one of the triggers above: any other binding type makes a function in error.
        foreach (var function in functions)
        {
            foreach (var binding in function.Bindings.Where(b => !b.IsTrigger && !string.Equals(b.Type, "http", StringComparison.OrdinalIgnoreCase)))
            {
                logger.LogWarning("'{Function}': the local host does not supply '{Type}' {Direction} bindings ('{Name}'); use the SDK client in the function instead.",
                    function.Name, binding.Type, binding.Direction, binding.Name);
            }
        }
        return lines;
    }

    private static void PrintFunctions(List<string> lines, IReadOnlyList<FunctionDefinition> functions, FunctionKeys keys)
    {
        Console.WriteLine();
        Console.WriteLine("Functions:");
        foreach (var line in lines) Console.WriteLine("    " + line);
        if (functions.Any(f => string.Equals(f.Trigger?.Get("authLevel"), "function", StringComparison.OrdinalIgnoreCase)))
        {
            Console.WriteLine($"Function key (x-functions-key header or ?code=): {keys.FunctionKey}");
        }
        // /admin/* needs the master key as in Azure; a generated one changes every run, so say it.
        if (!keys.MasterKeyConfigured) Console.WriteLine($"Master key for /admin/* (x-functions-key header or ?code=; set FunctionsHost:MasterKey to fix it): {keys.MasterKey}");
        Console.WriteLine();
    }

    private static async Task ShutdownAsync(WebApplication app, WorkerChannel worker, WorkerProcess process, ILogger logger)
    {
        app.Lifetime.StopApplication();
        logger.LogInformation("Stopping the host and the worker");
        var grace = TimeSpan.FromSeconds(10);
        await Task.WhenAll(
                app.Services.GetRequiredService<TimerScheduler>().StoppedAsync(),
                app.Services.GetRequiredService<BlobContainerScanner>().StoppedAsync(),
                app.Services.GetRequiredService<EventGridWebhook>().StoppedAsync())
            .WaitAsync(grace).ContinueWith(_ => { }, TaskScheduler.Default);
        worker.Terminate(grace);
        await process.StopAsync(grace);
        await app.StopAsync(CancellationToken.None);
    }

    private static Uri GrpcUri(WebApplication app, int httpPort)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        var grpc = addresses.Select(a => new Uri(a)).First(u => u.Port != httpPort && IPAddress.TryParse(u.Host, out var ip) && IPAddress.IsLoopback(ip));
        return new Uri($"http://127.0.0.1:{grpc.Port}/");
    }
}
