using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using Google.Protobuf;
using Google.Protobuf.Reflection;

namespace CoursePlatform.FunctionsHost.Protocol;

/// <summary>
/// Reads the protocol descriptor the worker was compiled with: the internal
/// <c>Microsoft.Azure.Functions.Worker.Grpc.Messages.FunctionRpcReflection.Descriptor</c> in the app's
/// Microsoft.Azure.Functions.Worker.Grpc.dll. Used to refresh Protocol/worker-protocol.pb (from which the host's
/// messages are generated) and by the test that fails when the app's worker and the host disagree.
/// </summary>
public static class WorkerProtocolDescriptor
{
    public const string WorkerGrpcAssembly = "Microsoft.Azure.Functions.Worker.Grpc.dll";
    private const string ReflectionType = "Microsoft.Azure.Functions.Worker.Grpc.Messages.FunctionRpcReflection";

    /// <summary>The worker's FunctionRpc.proto and its imports, dependencies first, as a FileDescriptorSet.</summary>
    public static FileDescriptorSet ReadFromApp(string appDirectory)
    {
        var path = Path.Combine(appDirectory, WorkerGrpcAssembly);
        if (!File.Exists(path)) throw new FileNotFoundException($"{WorkerGrpcAssembly} is not in '{appDirectory}'.", path);

        // A collectible context with the app's own Google.Protobuf: the worker's types never meet the host's.
        var context = new AssemblyLoadContext("worker-protocol", isCollectible: true);
        context.Resolving += (ctx, name) =>
            File.Exists(Path.Combine(appDirectory, name.Name + ".dll")) ? ctx.LoadFromAssemblyPath(Path.Combine(appDirectory, name.Name + ".dll")) : null;
        try
        {
            var assembly = context.LoadFromAssemblyPath(path);
            var descriptor = assembly.GetType(ReflectionType, throwOnError: true)!
                .GetProperty("Descriptor", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static)!
                .GetValue(null)!;
            var set = new FileDescriptorSet();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            Add(descriptor, set, seen);
            return set;
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>The descriptor the host was generated from (what it sends and expects), same shape as <see cref="ReadFromApp"/>.</summary>
    public static FileDescriptorSet Host()
    {
        var set = new FileDescriptorSet();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        AddHost(Microsoft.Azure.Functions.Worker.Grpc.Messages.FunctionRpcReflection.Descriptor, set, seen);
        return set;
    }

    private static void AddHost(FileDescriptor file, FileDescriptorSet set, HashSet<string> seen)
    {
        if (!seen.Add(file.Name)) return;
        foreach (var dependency in file.Dependencies) AddHost(dependency, set, seen);
        set.File.Add(FileDescriptorProto.Parser.ParseFrom(file.SerializedData));
    }

    // The worker's FileDescriptor lives in another load context: reach it by reflection, carry only bytes across.
    private static void Add(object file, FileDescriptorSet set, HashSet<string> seen)
    {
        var type = file.GetType();
        var name = (string)type.GetProperty("Name")!.GetValue(file)!;
        if (!seen.Add(name)) return;
        foreach (var dependency in (IEnumerable)type.GetProperty("Dependencies")!.GetValue(file)!) Add(dependency, set, seen);
        var data = type.GetProperty("SerializedData")!.GetValue(file)!;
        var bytes = (byte[])data.GetType().GetMethod("ToByteArray")!.Invoke(data, null)!;
        set.File.Add(FileDescriptorProto.Parser.ParseFrom(bytes));
    }

    public static void Write(FileDescriptorSet set, string path) => File.WriteAllBytes(path, set.ToByteArray());
}
