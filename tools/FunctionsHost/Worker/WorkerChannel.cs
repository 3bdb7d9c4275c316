using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Threading.Channels;
using CoursePlatform.FunctionsHost.Configuration;
using CoursePlatform.FunctionsHost.Functions;
using Grpc.Core;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;
using RpcException = Grpc.Core.RpcException;

namespace CoursePlatform.FunctionsHost.Worker;

/// <summary>
/// The host's side of the worker's EventStream: the start-up handshake (start_stream, worker_init,
/// functions_metadata, function_load), invocations, and the worker's logs. One worker at a time, one stream; when the
/// worker dies the host <see cref="Restart"/>s the channel for the next worker process, as the Functions host does.
/// </summary>
public sealed class WorkerChannel(HostArguments arguments, HostJson hostJson, FunctionSetValidationOptions validationOptions, ILoggerFactory loggers)
{
    /// <summary>Reported to the worker as the host version; the worker only logs it.</summary>
    public const string HostVersion = "4.1000.0-local";

    private readonly ILogger logger = loggers.CreateLogger("Host.Worker");
    private readonly ConcurrentDictionary<string, ILogger> workerLoggers = new();
    private volatile Session current = new();
    // Completes when the next worker's channel replaces the current one; faults when the host stops.
    private volatile TaskCompletionSource replaced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<FunctionDefinition> functions = [];
    private volatile FunctionSetValidation? validation;

    /// <summary>The state of one worker process's connection.</summary>
    private sealed class Session
    {
        public readonly Channel<StreamingMessage> Outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
        public readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> Invocations = new();
        public readonly TaskCompletionSource<IReadOnlyList<FunctionDefinition>> Ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly Dictionary<string, FunctionDefinition> PendingLoads = [];
        public readonly List<FunctionDefinition> Loaded = [];
        public readonly string WorkerId = Guid.NewGuid().ToString();
        public readonly string RequestId = Guid.NewGuid().ToString();
        public int Connected;
        public volatile bool Closed;
    }

    public string WorkerId => current.WorkerId;
    public string RequestId => current.RequestId;

    /// <summary>Completes when the current worker loaded every function; faults when its handshake fails.</summary>
    public Task<IReadOnlyList<FunctionDefinition>> Ready => current.Ready.Task;

    /// <summary>The functions the last worker to start reported (kept while a dead worker is replaced).</summary>
    public IReadOnlyList<FunctionDefinition> Functions => functions;

    /// <summary>The functions in error (not loaded, not served): name, ignoring case, to the real host's messages.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FunctionErrors =>
        validation?.Errors ?? new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>What stops the whole host rather than one function (an invalid route template), once the functions are listed.</summary>
    public string? HostError => validation?.HostError;

    /// <summary>A function the worker loaded (never one in error).</summary>
    public FunctionDefinition? Find(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
                                      || string.Equals(f.FullName, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>A fresh channel for the next worker process; invocations from now on wait until it is ready.</summary>
    public void Restart()
    {
        var previous = replaced;
        replaced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        current = new Session();
        previous.TrySetResult();
    }

    /// <summary>Runs one EventStream call until the worker disconnects or the host stops.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        var session = current;
        if (Interlocked.Exchange(ref session.Connected, 1) == 1)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, "This host serves a single worker."));
        }
        // gRPC allows one pending write per stream: a single loop drains the outbound queue.
        var writer = Task.Run(async () =>
        {
            await foreach (var message in session.Outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await responses.WriteAsync(message, cancellationToken);
            }
        }, cancellationToken);

        try
        {
            await foreach (var message in requests.ReadAllAsync(cancellationToken))
            {
                Handle(session, message);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
        {
            // The worker went away or the host is stopping.
        }
        finally
        {
            session.Outbound.Writer.TryComplete();
            Disconnected(session, new InvalidOperationException("The worker closed its event stream."));
        }
        try { await writer; } catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or RpcException) { }
    }

    /// <summary>
    /// For the current worker process: what to call when it exits, which fails its start-up and running invocations
    /// (its own, never those of a worker started after it).
    /// </summary>
    public Action<Exception> ExitHandler()
    {
        var session = current;
        return reason => Disconnected(session, reason);
    }

    private static void Disconnected(Session session, Exception reason)
    {
        session.Closed = true;
        session.Ready.TrySetException(reason);
        foreach (var pending in session.Invocations.Values) pending.TrySetException(reason);
    }

    /// <summary>Asks the worker to shut down (it stops after finishing what it runs) and closes the stream.</summary>
    public void Terminate(TimeSpan gracePeriod)
    {
        replaced.TrySetException(new InvalidOperationException("The host is stopping."));
        var session = current;
        session.Outbound.Writer.TryWrite(new StreamingMessage
        {
            WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(gracePeriod) },
        });
        session.Outbound.Writer.TryComplete();
    }

    /// <summary>
    /// Runs a function on the current worker; while a dead worker is being replaced it waits for the new one (within
    /// the function timeout). Throws InvalidOperationException when the worker is gone or could not start.
    /// </summary>
    public async Task<InvocationResponse> InvokeAsync(
        FunctionDefinition function,
        IEnumerable<ParameterBinding> inputs,
        IDictionary<string, TypedData> triggerMetadata,
        CancellationToken cancellationToken,
        string? traceParent = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(hostJson.FunctionTimeout);
        var (session, loaded) = await LiveSessionAsync(timeout.Token);
        // A restarted worker may number its functions anew: invoke by name.
        var functionId = loaded.FirstOrDefault(f => f.Name == function.Name)?.Id ?? function.Id;
        var request = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = functionId,
            // The worker dereferences trace_context unconditionally: always send a W3C traceparent.
            TraceContext = new RpcTraceContext { TraceParent = IsTraceParent(traceParent) ? traceParent! : NewTraceParent(), TraceState = "" },
        };
        request.InputData.AddRange(inputs);
        request.TriggerMetadata.Add(triggerMetadata);

        var completion = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        session.Invocations[request.InvocationId] = completion;
        try
        {
            if (!session.Outbound.Writer.TryWrite(new StreamingMessage { InvocationRequest = request }))
            {
                throw new InvalidOperationException("The worker is not connected.");
            }
            try
            {
                return await completion.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                session.Outbound.Writer.TryWrite(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = request.InvocationId } });
                throw;
            }
        }
        finally
        {
            session.Invocations.TryRemove(request.InvocationId, out _);
        }
    }

    /// <summary>
    /// The current worker once it has loaded its functions. A worker that died is waited out: the host starts the next
    /// one (<see cref="Restart"/>). Throws InvalidOperationException when it could not start or the host is stopping.
    /// </summary>
    private async Task<(Session Session, IReadOnlyList<FunctionDefinition> Loaded)> LiveSessionAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var session = current;
            var next = replaced.Task;
            string reason;
            try
            {
                var loaded = await session.Ready.Task.WaitAsync(cancellationToken);
                if (!session.Closed) return (session, loaded);
                reason = "The worker closed its event stream.";
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                reason = ex.Message;
            }
            // Dead before or after it loaded: wait for its replacement unless one is already there.
            if (session != current) continue;
            try
            {
                await next.WaitAsync(cancellationToken);
            }
            catch (InvalidOperationException stopping)
            {
                throw new InvalidOperationException($"The worker is not running: {reason} {stopping.Message}", stopping);
            }
        }
    }

    private void Handle(Session session, StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                Send(session, new StreamingMessage
                {
                    RequestId = session.RequestId,
                    WorkerInitRequest = new WorkerInitRequest
                    {
                        HostVersion = HostVersion,
                        WorkerDirectory = arguments.AppDirectory,
                        FunctionAppDirectory = arguments.AppDirectory,
                    },
                });
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                OnWorkerInit(session, message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                OnFunctionMetadata(session, message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                OnFunctionLoad(session, message.FunctionLoadResponse);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (session.Invocations.TryGetValue(message.InvocationResponse.InvocationId, out var pending))
                {
                    pending.TrySetResult(message.InvocationResponse);
                }
                break;
            case StreamingMessage.ContentOneofCase.RpcLog:
                Log(message.RpcLog);
                break;
            default:
                logger.LogDebug("Ignoring worker message {Kind}", message.ContentCase);
                break;
        }
    }

    private void OnWorkerInit(Session session, WorkerInitResponse response)
    {
        if (response.Result.Status == StatusResult.Types.Status.Failure)
        {
            session.Ready.TrySetException(new HostStartupException($"The worker failed to initialize: {Describe(response.Result)}"));
            return;
        }
        logger.LogInformation("Worker initialized: {Runtime} {RuntimeVersion}, worker {WorkerVersion}",
            response.WorkerMetadata?.RuntimeName, response.WorkerMetadata?.RuntimeVersion, response.WorkerVersion);
        logger.LogDebug("Worker capabilities: {Capabilities}", string.Join(", ", response.Capabilities.Keys));
        Send(session, new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = arguments.AppDirectory } });
    }

    private void OnFunctionMetadata(Session session, FunctionMetadataResponse response)
    {
        if (response.Result?.Status == StatusResult.Types.Status.Failure)
        {
            session.Ready.TrySetException(new HostStartupException($"The worker could not list its functions: {Describe(response.Result)}"));
            return;
        }
        // Worker indexing: the worker reports its functions (ids, raw bindings). It may instead ask the host to
        // index functions.metadata itself.
        var metadata = response.UseDefaultMetadataIndexing || response.FunctionMetadataResults.Count == 0
            ? FunctionsMetadataFile.Read(arguments.AppDirectory)
            : response.FunctionMetadataResults;
        if (metadata.Count == 0)
        {
            session.Ready.TrySetException(new HostStartupException("The worker reported no functions."));
            return;
        }
        // As the real host, only the functions that pass its checks are loaded; the others are in error.
        var entries = metadata.Select(m => (Entry: FunctionMetadataEntry.From(m), Metadata: m)).ToList();
        var result = FunctionSetValidator.Validate(entries.Select(e => e.Entry), validationOptions);
        validation = result;
        var reported = entries.Where(e => result.Accepted.Any(a => ReferenceEquals(a, e.Entry)))
            .Select(e => FunctionDefinition.FromWorker(e.Metadata, arguments.AppDirectory)).ToList();
        lock (session.PendingLoads)
        {
            if (reported.Count == 0)
            {
                functions = [];
                session.Ready.TrySetResult([]);
                return;
            }
            foreach (var function in reported) session.PendingLoads[function.Id] = function;
        }
        foreach (var function in reported)
        {
            Send(session, new StreamingMessage
            {
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.Id, Metadata = function.Metadata },
            });
        }
    }

    private void OnFunctionLoad(Session session, FunctionLoadResponse response)
    {
        lock (session.PendingLoads)
        {
            if (!session.PendingLoads.Remove(response.FunctionId, out var function)) return;
            if (response.Result.Status == StatusResult.Types.Status.Failure)
            {
                session.Ready.TrySetException(new HostStartupException($"The worker could not load function '{function.Name}': {Describe(response.Result)}"));
                return;
            }
            session.Loaded.Add(function);
            if (session.PendingLoads.Count == 0)
            {
                var all = session.Loaded.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
                functions = all;
                session.Ready.TrySetResult(all);
            }
        }
    }

    private void Log(RpcLog log)
    {
        var category = string.IsNullOrEmpty(log.Category) ? "Worker" : log.Category;
        var target = workerLoggers.GetOrAdd(category, loggers.CreateLogger);
        var level = log.Level switch
        {
            RpcLog.Types.Level.Trace => LogLevel.Trace,
            RpcLog.Types.Level.Debug => LogLevel.Debug,
            RpcLog.Types.Level.Information => LogLevel.Information,
            RpcLog.Types.Level.Warning => LogLevel.Warning,
            RpcLog.Types.Level.Error => LogLevel.Error,
            RpcLog.Types.Level.Critical => LogLevel.Critical,
            _ => LogLevel.None,
        };
        if (level < hostJson.MinimumLevel(category)) return;
        if (log.Exception is { } exception && !string.IsNullOrEmpty(exception.Message))
        {
            target.Log(level, "{Message}\n{Exception}", log.Message, exception.Message + Environment.NewLine + exception.StackTrace);
        }
        else
        {
            target.Log(level, "{Message}", log.Message);
        }
    }

    private static void Send(Session session, StreamingMessage message) => session.Outbound.Writer.TryWrite(message);

    public static string Describe(StatusResult? result) =>
        result?.Exception is { } e ? $"{e.Message}{(string.IsNullOrEmpty(e.StackTrace) ? "" : Environment.NewLine + e.StackTrace)}" : result?.Result ?? "no details";

    /// <summary>A version-00 W3C traceparent: <c>00-{32 hex trace id}-{16 hex span id}-{2 hex flags}</c>, ids not all zero.</summary>
    private static bool IsTraceParent(string? value) =>
        value is { Length: 55 } && value.StartsWith("00-", StringComparison.Ordinal) && value[35] == '-' && value[52] == '-'
        && value.Remove(52, 1).Remove(35, 1).Remove(0, 3).All(char.IsAsciiHexDigitLower)
        && value.Substring(3, 32) != new string('0', 32) && value.Substring(36, 16) != new string('0', 16);

    private static string NewTraceParent() =>
        $"00-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}-01";
}
