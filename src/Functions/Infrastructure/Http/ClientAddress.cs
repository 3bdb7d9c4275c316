using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Infrastructure.Http;

public static class ClientAddress
{
    /// <summary>
    /// The client's IP as Azure's front end reports it (first <c>X-Forwarded-For</c> entry, port removed);
    /// null when absent. Used for rate limits and the session log, never for authorization.
    /// </summary>
    public static string? Of(HttpRequestData request)
    {
        if (!request.Headers.TryGetValues("X-Forwarded-For", out var values)) return null;
        var first = values.First().Split(',')[0].Trim();
        if (first.StartsWith('[')) return first[1..first.IndexOf(']', StringComparison.Ordinal)]; // [ipv6]:port
        return first.Count(c => c == ':') == 1 ? first[..first.IndexOf(':', StringComparison.Ordinal)] : first; // ipv4:port
    }

    public static string? UserAgent(HttpRequestData request) =>
        request.Headers.TryGetValues("User-Agent", out var values) ? values.First() : null;
}
