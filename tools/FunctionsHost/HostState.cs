namespace CoursePlatform.FunctionsHost;

/// <summary>
/// Whether the host serves requests: set once the worker loaded every function and routes, timers and blob
/// watchers are in place (not merely when the worker is ready, or a caller could see "Running" and get 404).
/// </summary>
public sealed class HostState
{
    private volatile bool running;

    public bool IsRunning => running;

    public void MarkRunning() => running = true;
}
