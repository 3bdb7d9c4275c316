namespace CoursePlatform.FunctionsHost.Configuration;

/// <summary>A problem the developer has to fix (wrong folder, missing setting, worker that does not start): printed, then exit code 1.</summary>
public sealed class HostStartupException : Exception
{
    public HostStartupException() { }
    public HostStartupException(string message) : base(message) { }
    public HostStartupException(string message, Exception inner) : base(message, inner) { }
}
