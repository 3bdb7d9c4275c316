using CoursePlatform.FunctionsHost.Protocol;
using CoursePlatform.FunctionsHost.Tests.Infrastructure;
using CoursePlatform.Testing;
using Google.Protobuf.Reflection;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>
/// The host's messages are generated from a copy of the worker's embedded descriptor. These tests read the
/// descriptor from the worker the apps are actually built with, so upgrading Microsoft.Azure.Functions.Worker to
/// a version with a different protocol fails here (refresh with tools/FunctionsHost/Protocol/README.md).
/// </summary>
public sealed class ProtocolCompatibilityTests
{
    [Theory]
    [InlineData("functions")]
    [InlineData("fixture")]
    public void Host_protocol_matches_the_descriptor_embedded_in_the_apps_worker(string app)
    {
        var worker = WorkerProtocolDescriptor.ReadFromApp(app == "functions" ? Paths.FunctionsApp : Paths.FixtureApp);

        var host = WorkerProtocolDescriptor.Host();

        // Both ways: what the host sends must mean the same to the worker, and the worker must not expect more.
        var differences = ProtocolComparer.Differences(host, worker)
            .Concat(ProtocolComparer.Differences(worker, host, "the worker", "the host"))
            .ToList();

        Assert.True(differences.Count == 0,
            "The host and the app's worker disagree on the protocol (refresh tools/FunctionsHost/Protocol/worker-protocol.pb, see its README):\n"
            + string.Join("\n", differences));
        // Sanity: the comparison covered the messages the host relies on.
        Assert.Contains(worker.File, f => f.Name == "FunctionRpc.proto" && f.MessageType.Any(m => m.Name == "RpcHttp"));
    }

    [Fact]
    public void A_changed_field_in_the_worker_is_reported()
    {
        var worker = WorkerProtocolDescriptor.ReadFromApp(Paths.FunctionsApp);
        var rpcHttp = worker.File.Single(f => f.Name == "FunctionRpc.proto").MessageType.Single(m => m.Name == "RpcHttp");
        rpcHttp.Field.Single(f => f.Name == "nullable_headers").Number = 99;
        var invocation = worker.File.Single(f => f.Name == "FunctionRpc.proto").MessageType.Single(m => m.Name == "InvocationRequest");
        invocation.Field.Single(f => f.Name == "trace_context").Name = "renamed_trace_context";

        var differences = ProtocolComparer.Differences(WorkerProtocolDescriptor.Host(), worker);

        Assert.Contains(differences, d => d.Contains("RpcHttp.nullable_headers = 20: missing in the worker", StringComparison.Ordinal));
        Assert.Contains(differences, d => d.Contains("InvocationRequest field 5: named trace_context in the host, renamed_trace_context in the worker", StringComparison.Ordinal));
    }

    [Fact]
    public void A_field_only_the_worker_has_is_reported()
    {
        var worker = WorkerProtocolDescriptor.ReadFromApp(Paths.FunctionsApp);
        worker.File.Single(f => f.Name == "FunctionRpc.proto").MessageType.Single(m => m.Name == "InvocationRequest").Field.Add(
            new FieldDescriptorProto { Name = "new_required_context", Number = 42, Type = FieldDescriptorProto.Types.Type.String, Label = FieldDescriptorProto.Types.Label.Optional });

        var differences = ProtocolComparer.Differences(worker, WorkerProtocolDescriptor.Host(), "the worker", "the host");

        Assert.Contains(".AzureFunctionsRpcMessages.InvocationRequest.new_required_context = 42: missing in the host", differences);
    }

    [Fact]
    public void Checked_in_descriptor_is_the_one_the_host_was_generated_from()
    {
        var file = Path.Combine(Paths.RepositoryRoot, "tools", "FunctionsHost", "Protocol", "worker-protocol.pb");
        var checkedIn = FileDescriptorSet.Parser.ParseFrom(File.ReadAllBytes(file));

        Assert.Empty(ProtocolComparer.Differences(checkedIn, WorkerProtocolDescriptor.Host()));
        Assert.Empty(ProtocolComparer.Differences(WorkerProtocolDescriptor.Host(), checkedIn));
    }
}
