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
/// functions_metadata, function_load), invocations, and the worker's logs. One worker, one stream.
/// </summary>
public sealed class WorkerChannel(HostArguments arguments, HostJson hostJson, ILoggerFactory loggers)
{
    /// <summary>Reported to the worker as the host version; the worker only logs it.</summary>
    public const string HostVersion = "4.1000.0-local";

    private readonly ILogger logger = loggers.CreateLogger("Host.Worker");
    private readonly Channel<StreamingMessage> outbound = Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> invocations = new();
    private readonly TaskCompletionSource<IReadOnlyList<FunctionDefinition>> ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<string, ILogger> workerLoggers = new();
    private readonly Dictionary<string, FunctionDefinition> pendingLoads = [];
    private readonly List<FunctionDefinition> loaded = [];
    private int connected;

    public string WorkerId { get; } = Guid.NewGuid().ToString();
    public string RequestId { get; } = Guid.NewGuid().ToString();

    /// <summary>Completes when every function is loaded; faults when the handshake fails.</summary>
    public Task<IReadOnlyList<FunctionDefinition>> Ready => ready.Task;

    public IReadOnlyList<FunctionDefinition> Functions => ready.Task.IsCompletedSuccessfully ? ready.Task.Result : [];

    public FunctionDefinition? Find(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase)
                                      || string.Equals(f.FullName, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Runs one EventStream call until the worker disconnects or the host stops.</summary>
    public async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref connected, 1) == 1)
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, "This host serves a single worker."));
        }
        // gRPC allows one pending write per stream: a single loop drains the outbound queue.
        var writer = Task.Run(async () =>
        {
            await foreach (var message in outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await responses.WriteAsync(message, cancellationToken);
            }
        }, cancellationToken);

        try
        {
            await foreach (var message in requests.ReadAllAsync(cancellationToken))
            {
                Handle(message);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException || (ex is RpcException rpc && rpc.StatusCode == StatusCode.Cancelled))
        {
            // The worker went away or the host is stopping.
        }
        finally
        {
            outbound.Writer.TryComplete();
            Disconnected(new InvalidOperationException("The worker closed its event stream."));
        }
        try { await writer; } catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException or RpcException) { }
    }

    /// <summary>Fails start-up and every running invocation (worker exited, stream closed).</summary>
    public void Disconnected(Exception reason)
    {
        ready.TrySetException(reason);
        foreach (var pending in invocations.Values) pending.TrySetException(reason);
    }

    /// <summary>Asks the worker to shut down (it stops after finishing what it runs) and closes the stream.</summary>
    public void Terminate(TimeSpan gracePeriod)
    {
        outbound.Writer.TryWrite(new StreamingMessage
        {
            WorkerTerminate = new WorkerTerminate { GracePeriod = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(gracePeriod) },
        });
        outbound.Writer.TryComplete();
    }

    public async Task<InvocationResponse> InvokeAsync(
        FunctionDefinition function,
        IEnumerable<ParameterBinding> inputs,
        IDictionary<string, TypedData> triggerMetadata,
        CancellationToken cancellationToken,
        string? traceParent = null)
    {
        var request = new InvocationRequest
        {
            InvocationId = Guid.NewGuid().ToString(),
            FunctionId = function.Id,
            // The worker dereferences trace_context unconditionally: always send a W3C traceparent.
            TraceContext = new RpcTraceContext { TraceParent = IsTraceParent(traceParent) ? traceParent! : NewTraceParent(), TraceState = "" },
        };
        request.InputData.AddRange(inputs);
        request.TriggerMetadata.Add(triggerMetadata);

        var completion = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        invocations[request.InvocationId] = completion;
        try
        {
            if (!outbound.Writer.TryWrite(new StreamingMessage { InvocationRequest = request }))
            {
                throw new InvalidOperationException("The worker is not connected.");
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(hostJson.FunctionTimeout);
            try
            {
                return await completion.Task.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                outbound.Writer.TryWrite(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = request.InvocationId } });
                throw;
            }
        }
        finally
        {
            invocations.TryRemove(request.InvocationId, out _);
        }
    }

    private void Handle(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.StartStream:
                Send(new StreamingMessage
                {
                    RequestId = RequestId,
                    WorkerInitRequest = new WorkerInitRequest
                    {
                        HostVersion = HostVersion,
                        WorkerDirectory = arguments.AppDirectory,
                        FunctionAppDirectory = arguments.AppDirectory,
                    },
                });
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                OnWorkerInit(message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                OnFunctionMetadata(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                OnFunctionLoad(message.FunctionLoadResponse);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (invocations.TryGetValue(message.InvocationResponse.InvocationId, out var pending))
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

    private void OnWorkerInit(WorkerInitResponse response)
    {
        if (response.Result.Status == StatusResult.Types.Status.Failure)
        {
            ready.TrySetException(new HostStartupException($"The worker failed to initialize: {Describe(response.Result)}"));
            return;
        }
        logger.LogInformation("Worker initialized: {Runtime} {RuntimeVersion}, worker {WorkerVersion}",
            response.WorkerMetadata?.RuntimeName, response.WorkerMetadata?.RuntimeVersion, response.WorkerVersion);
        logger.LogDebug("Worker capabilities: {Capabilities}", string.Join(", ", response.Capabilities.Keys));
        Send(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = arguments.AppDirectory } });
    }

    private void OnFunctionMetadata(FunctionMetadataResponse response)
    {
        if (response.Result?.Status == StatusResult.Types.Status.Failure)
        {
            ready.TrySetException(new HostStartupException($"The worker could not list its functions: {Describe(response.Result)}"));
            return;
        }
        // Worker indexing: the worker reports its functions (ids, raw bindings). It may instead ask the host to
        // index functions.metadata itself.
        var metadata = response.UseDefaultMetadataIndexing || response.FunctionMetadataResults.Count == 0
            ? FunctionsMetadataFile.Read(arguments.AppDirectory)
            : response.FunctionMetadataResults;
        var functions = metadata.Select(m => FunctionDefinition.FromWorker(m, arguments.AppDirectory)).ToList();
        if (functions.Count == 0)
        {
            ready.TrySetException(new HostStartupException("The worker reported no functions."));
            return;
        }
        lock (pendingLoads)
        {
            foreach (var function in functions) pendingLoads[function.Id] = function;
        }
        foreach (var function in functions)
        {
            Send(new StreamingMessage
            {
                FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.Id, Metadata = function.Metadata },
            });
        }
    }

    private void OnFunctionLoad(FunctionLoadResponse response)
    {
        lock (pendingLoads)
        {
            if (!pendingLoads.Remove(response.FunctionId, out var function)) return;
            if (response.Result.Status == StatusResult.Types.Status.Failure)
            {
                ready.TrySetException(new HostStartupException($"The worker could not load function '{function.Name}': {Describe(response.Result)}"));
                return;
            }
            loaded.Add(function);
            if (pendingLoads.Count == 0)
            {
                ready.TrySetResult(loaded.OrderBy(f => f.Name, StringComparer.Ordinal).ToList());
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

    private void Send(StreamingMessage message) => outbound.Writer.TryWrite(message);

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
