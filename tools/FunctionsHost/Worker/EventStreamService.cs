using Grpc.Core;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace CoursePlatform.FunctionsHost.Worker;

/// <summary>The gRPC service the worker connects to (generated base from the worker's own descriptor).</summary>
public sealed class EventStreamService(WorkerChannel channel, IHostApplicationLifetime lifetime) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopped);
        await channel.RunAsync(requestStream, responseStream, stopping.Token);
    }
}
