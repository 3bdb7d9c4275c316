using System.Net;
using Npgsql;

namespace CoursePlatform.DevTool;

/// <summary>
/// The demo seed creates accounts with known passwords, so it runs only against a local development
/// database: <c>AZURE_FUNCTIONS_ENVIRONMENT=Development</c> and every database host a loopback address.
/// </summary>
public static class SeedGuard
{
    /// <summary>Null when seeding is allowed; otherwise the reason it is refused.</summary>
    public static string? Check(string? environment, string? connectionString)
    {
        if (!string.Equals(environment?.Trim(), "Development", StringComparison.OrdinalIgnoreCase))
            return $"Refusing to seed: AZURE_FUNCTIONS_ENVIRONMENT is '{environment ?? "(not set)"}', the demo seed runs only in 'Development'.";

        if (string.IsNullOrWhiteSpace(connectionString))
            return "Refusing to seed: Database__ConnectionString is not set.";

        string? hosts;
        try
        {
            hosts = new NpgsqlConnectionStringBuilder(connectionString).Host;
        }
        catch (ArgumentException)
        {
            return "Refusing to seed: Database__ConnectionString cannot be parsed.";
        }
        if (string.IsNullOrWhiteSpace(hosts))
            return "Refusing to seed: the connection string names no database host.";

        foreach (var entry in hosts.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var host = StripPort(entry);
            if (!IsLoopback(host))
                return $"Refusing to seed: database host '{host}' is not a loopback address (127.0.0.1, localhost, ::1).";
        }
        return null;
    }

    public static bool IsLoopback(string host)
    {
        host = host.Trim();
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    // Npgsql allows "host:port" entries in a multi-host list; "::1" alone is an IPv6 address, not a port.
    private static string StripPort(string entry)
    {
        if (entry.StartsWith('['))
        {
            var end = entry.IndexOf(']', StringComparison.Ordinal);
            return end > 0 ? entry[..(end + 1)] : entry;
        }
        var colon = entry.LastIndexOf(':');
        return colon > 0 && entry.IndexOf(':', StringComparison.Ordinal) == colon ? entry[..colon] : entry;
    }
}
