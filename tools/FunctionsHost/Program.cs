using CoursePlatform.FunctionsHost;
using CoursePlatform.FunctionsHost.Configuration;
using CoursePlatform.FunctionsHost.Protocol;

// A local stand-in for the Azure Functions host (see tools/FunctionsHost/README.md): runs the built isolated
// worker unchanged, for development and tests where Core Tools (`func`) cannot be installed.
HostArguments arguments;
try
{
    arguments = HostArguments.Parse(args);
}
catch (ArgumentException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

if (arguments.ExtractProtocolTo is { } target)
{
    WorkerProtocolDescriptor.Write(WorkerProtocolDescriptor.ReadFromApp(arguments.AppDirectory), target);
    Console.WriteLine($"Wrote the worker protocol descriptor of '{arguments.AppDirectory}' to '{target}'.");
    return 0;
}

try
{
    return await LocalFunctionsHost.RunAsync(arguments);
}
catch (HostStartupException ex)
{
    Console.Error.WriteLine($"Functions host error: {ex.Message}");
    return 1;
}
catch (IOException ex) when (ex.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
{
    Console.Error.WriteLine($"Functions host error: the port is in use ({ex.Message}). Pass another with --port.");
    return 1;
}
