using System.Net;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.Extensions.Options;

namespace CoursePlatform.Functions.Infrastructure.Http;

/// <summary>
/// The client's address as the platform recorded it: every proxy in front of the app appends the address it
/// received the connection from to <c>X-Forwarded-For</c>, so the entry <see cref="HttpOptions.TrustedProxyHops"/>
/// places from the right is the one our own front end saw. Everything left of it is whatever the client
/// typed and is never read. The local host appends the connection's address the same way (one hop).
/// Used for rate limits and the session log, never for authorization.
/// </summary>
public sealed class ClientAddress(IOptions<HttpOptions> options)
{
    /// <summary>Longest address kept (an IPv6 address with a zone fits); anything longer is not an address.</summary>
    public const int MaxLength = 64;

    /// <summary>What the session log records of a request: the client's address and User-Agent.</summary>
    public ClientInfo Client(HttpRequestData request) => new(Of(request), UserAgent(request));

    /// <summary>The client's IP (port removed), or null when the trusted hop left none or it is not an IP address.</summary>
    public string? Of(HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var trustedHops = options.Value.TrustedProxyHops;
        if (trustedHops < 1 || !request.Headers.TryGetValues("X-Forwarded-For", out var values)) return null;
        // Several header lines count as one comma-separated list, in order.
        var entries = values.SelectMany(v => v.Split(',')).Select(e => e.Trim()).ToList();
        if (entries.Count < trustedHops) return null;
        return Parse(entries[^trustedHops]);
    }

    /// <summary>An entry as proxies write it (<c>ip</c>, <c>ip:port</c>, <c>[ipv6]:port</c>), normalised; null when it is not an IP address.</summary>
    public static string? Parse(string entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.Length is 0 or > MaxLength) return null;
        var host = entry;
        if (entry.StartsWith('['))
        {
            var close = entry.IndexOf(']', StringComparison.Ordinal);
            if (close < 0) return null;
            host = entry[1..close];
        }
        else if (entry.Count(c => c == ':') == 1)
        {
            host = entry[..entry.IndexOf(':', StringComparison.Ordinal)];
        }
        return IPAddress.TryParse(host, out var address) ? address.ToString() : null;
    }

    /// <summary>
    /// The key an address is rate-limited under: an IPv4 address as it is; an IPv6 address by its /64, since one
    /// subscriber holds a whole /64 and could otherwise rotate through it for fresh counts.
    /// </summary>
    public static string? LimitKey(string? address)
    {
        if (address is null || !IPAddress.TryParse(address, out var ip)) return address;
        if (ip.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || ip.IsIPv4MappedToIPv6) return ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4().ToString() : address;
        var bytes = ip.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    /// <summary>The User-Agent, cut to the session log's column.</summary>
    public static string? UserAgent(HttpRequestData request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Headers.TryGetValues("User-Agent", out var values)) return null;
        var agent = values.First();
        return agent.Length <= 512 ? agent : agent[..512];
    }
}

/// <summary>Who is on the other end of a request, as far as rate limits and the session log care.</summary>
public sealed record ClientInfo(string? IpAddress, string? UserAgent);
