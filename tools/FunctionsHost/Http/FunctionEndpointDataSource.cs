using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Primitives;

namespace CoursePlatform.FunctionsHost.Http;

/// <summary>
/// HTTP-trigger routes as ASP.NET Core endpoints, added once the worker has reported its functions. The real
/// host also routes with ASP.NET Core templates, so constraints ({id:guid}, {n:int}), optional and catch-all
/// parameters behave the same; a known path with the wrong method gets 405 from endpoint routing.
/// </summary>
public sealed class FunctionEndpointDataSource : EndpointDataSource, IDisposable
{
    private readonly object gate = new();
    private IReadOnlyList<Endpoint> endpoints = [];
    private CancellationTokenSource changed = new();

    public override IReadOnlyList<Endpoint> Endpoints => endpoints;

    public override IChangeToken GetChangeToken() => new CancellationChangeToken(changed.Token);

    public void Dispose() => changed.Dispose();

    public void Add(string routeTemplate, IReadOnlyList<string> methods, string displayName, RequestDelegate handler)
    {
        var builder = new RouteEndpointBuilder(handler, RoutePatternFactory.Parse(routeTemplate), order: 0) { DisplayName = displayName };
        if (methods.Count > 0) builder.Metadata.Add(new HttpMethodMetadata(methods.Select(m => m.ToUpperInvariant()).ToList()));
        lock (gate)
        {
            endpoints = [.. endpoints, builder.Build()];
            var previous = changed;
            changed = new CancellationTokenSource();
            previous.Cancel();
            previous.Dispose();
        }
    }
}
