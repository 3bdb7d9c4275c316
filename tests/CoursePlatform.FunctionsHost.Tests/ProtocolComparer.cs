using Google.Protobuf.Reflection;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>
/// Compares two protocol descriptors field by field: every message, field (number, name, type, label, oneof),
/// enum value and RPC of <c>expected</c> must exist unchanged in <c>actual</c>. Called both ways, it reports any
/// difference between the host's protocol and a worker's.
/// </summary>
public static class ProtocolComparer
{
    public static IReadOnlyList<string> Differences(FileDescriptorSet host, FileDescriptorSet worker, string hostName = "the host", string workerName = "the worker")
    {
        var differences = new List<string>();
        var workerMessages = Messages(worker);
        var workerEnums = Enums(worker);
        foreach (var (name, message) in Messages(host))
        {
            if (!workerMessages.TryGetValue(name, out var other))
            {
                differences.Add($"message {name}: missing in {workerName}");
                continue;
            }
            foreach (var field in message.Field)
            {
                var match = other.Field.FirstOrDefault(f => f.Number == field.Number);
                if (match is null)
                {
                    differences.Add($"{name}.{field.Name} = {field.Number}: missing in {workerName}");
                    continue;
                }
                if (match.Name != field.Name) differences.Add($"{name} field {field.Number}: named {field.Name} in {hostName}, {match.Name} in {workerName}");
                if (match.Type != field.Type || match.TypeName != field.TypeName)
                    differences.Add($"{name}.{field.Name}: type {field.Type} {field.TypeName} in {hostName}, {match.Type} {match.TypeName} in {workerName}");
                if (match.Label != field.Label) differences.Add($"{name}.{field.Name}: label {field.Label} in {hostName}, {match.Label} in {workerName}");
                var hostOneof = field.HasOneofIndex ? message.OneofDecl[field.OneofIndex].Name : null;
                var workerOneof = match.HasOneofIndex ? other.OneofDecl[match.OneofIndex].Name : null;
                if (hostOneof != workerOneof) differences.Add($"{name}.{field.Name}: oneof {hostOneof} in {hostName}, {workerOneof} in {workerName}");
            }
        }
        foreach (var (name, enumType) in Enums(host))
        {
            if (!workerEnums.TryGetValue(name, out var other))
            {
                differences.Add($"enum {name}: missing in {workerName}");
                continue;
            }
            foreach (var value in enumType.Value.Where(v => !other.Value.Any(o => o.Number == v.Number && o.Name == v.Name)))
            {
                differences.Add($"{name}.{value.Name} = {value.Number}: missing in {workerName}");
            }
        }
        foreach (var service in host.File.SelectMany(f => f.Service.Select(s => (File: f, Service: s))))
        {
            var workerService = worker.File.Where(f => f.Package == service.File.Package).SelectMany(f => f.Service).FirstOrDefault(s => s.Name == service.Service.Name);
            foreach (var method in service.Service.Method)
            {
                var match = workerService?.Method.FirstOrDefault(m => m.Name == method.Name);
                if (match is null || match.InputType != method.InputType || match.OutputType != method.OutputType
                    || match.ClientStreaming != method.ClientStreaming || match.ServerStreaming != method.ServerStreaming)
                {
                    differences.Add($"rpc {service.Service.Name}.{method.Name}: differs or is missing in {workerName}");
                }
            }
        }
        return differences;
    }

    private static Dictionary<string, DescriptorProto> Messages(FileDescriptorSet set)
    {
        var result = new Dictionary<string, DescriptorProto>(StringComparer.Ordinal);
        void Add(string scope, DescriptorProto message)
        {
            var name = $"{scope}.{message.Name}";
            result[name] = message;
            foreach (var nested in message.NestedType) Add(name, nested);
        }
        foreach (var file in set.File)
        {
            foreach (var message in file.MessageType) Add(file.Package.Length > 0 ? "." + file.Package : "", message);
        }
        return result;
    }

    private static Dictionary<string, EnumDescriptorProto> Enums(FileDescriptorSet set)
    {
        var result = new Dictionary<string, EnumDescriptorProto>(StringComparer.Ordinal);
        void Add(string scope, DescriptorProto message)
        {
            var name = $"{scope}.{message.Name}";
            foreach (var e in message.EnumType) result[$"{name}.{e.Name}"] = e;
            foreach (var nested in message.NestedType) Add(name, nested);
        }
        foreach (var file in set.File)
        {
            var scope = file.Package.Length > 0 ? "." + file.Package : "";
            foreach (var e in file.EnumType) result[$"{scope}.{e.Name}"] = e;
            foreach (var message in file.MessageType) Add(scope, message);
        }
        return result;
    }
}
