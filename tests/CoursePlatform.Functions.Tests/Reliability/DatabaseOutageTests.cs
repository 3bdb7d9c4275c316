using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CoursePlatform.Data;
using Npgsql;

namespace CoursePlatform.Functions.Tests.Reliability;

/// <summary>The app reaching its database through a relay the test can cut (a server that went away and came back).</summary>
public sealed class DatabaseOutageApp : HostedApp
{
    public TcpFaultProxy Proxy { get; private set; } = null!;

    protected override IDictionary<string, string> Settings()
    {
        var builder = new NpgsqlConnectionStringBuilder(Database.ConnectionString);
        Proxy = new TcpFaultProxy(builder.Port);
        builder.Host = "127.0.0.1";
        builder.Port = Proxy.Port;
        return new Dictionary<string, string> { ["Database__ConnectionString"] = builder.ConnectionString };
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (Proxy is not null) await Proxy.DisposeAsync();
    }
}

/// <summary>
/// With the database gone, every endpoint answers at once: 503 problem+json with Retry-After where it needs the
/// database, never a 500 and never a hang; when the database is back the same worker serves again within seconds.
/// </summary>
public sealed class DatabaseOutageTests(DatabaseOutageApp app) : IClassFixture<DatabaseOutageApp>
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(20);

    /// <summary>
    /// A database that accepts connections and never answers is given up on by Npgsql's own limits: 15 s to open a
    /// connection (Timeout), 30 s for a command on a pooled one (Command Timeout) plus the cancellation it then sends
    /// over a new connection. Measured here: 16 s to about 61 s; the bound leaves room for a busy machine.
    /// </summary>
    private static readonly TimeSpan BlackholeBound = TimeSpan.FromSeconds(100);

    /// <summary>How long the same worker may take to serve again once the database is back (seconds when quiet).</summary>
    private static readonly TimeSpan Recovers = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_endpoint_answers_503_or_without_the_database_and_the_same_worker_recovers_when_it_returns()
    {
        var (_, token) = await app.SignInAsync();
        await app.WaitUntilHealthyAsync();
        using (var before = new HttpRequestMessage(HttpMethod.Get, "users/me"))
        {
            before.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.OK, (await app.Api.SendAsync(before)).StatusCode);
        }
        var worker = app.Host.Output.Length; // the host's log so far: a restart would show up after it

        app.Proxy.Cut();

        using var health = await app.Api.GetAsync("health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        Assert.True(health.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("down", JsonDocument.Parse(await health.Content.ReadAsStringAsync()).RootElement.GetProperty("database").GetString());

        var routes = FunctionRoutes.Http()
            .Where(r => !r.Route.Contains("{*", StringComparison.Ordinal) && r.Route != "health").Select(r => (r.Method, r.Route)).ToList();
        var wrong = new List<string>();
        var unavailable = 0;
        foreach (var (method, route) in routes)
        {
            var path = FunctionRoutes.Parameter().Replace(route, m => m.Value.Contains("guid", StringComparison.Ordinal) || m.Value.EndsWith("Id}", StringComparison.Ordinal) ? Guid.NewGuid().ToString() : "cloud-foundations");
            foreach (var signedIn in new[] { true, false })
            {
                using var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (signedIn) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                if (method is not "GET") request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
                var clock = Stopwatch.StartNew();
                using var response = await app.Api.SendAsync(request);
                var took = clock.Elapsed;
                var status = (int)response.StatusCode;
                var who = signedIn ? "signed in" : "anonymous";
                if (took > Bound) wrong.Add($"{method} {path} ({who}) took {took.TotalSeconds:F1} s");
                if (status >= 500 && status != 503) wrong.Add($"{method} {path} ({who}): {status} {await response.Content.ReadAsStringAsync()}");
                if (status == 503)
                {
                    unavailable++;
                    if (!(response.Headers.RetryAfter?.Delta > TimeSpan.Zero)) wrong.Add($"{method} {path} ({who}): 503 without Retry-After");
                    if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") wrong.Add($"{method} {path} ({who}): 503 not problem+json");
                }
                if (signedIn && status != 503) wrong.Add($"{method} {path} (signed in): {status}; the session check needs the database");
            }
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.True(unavailable > routes.Count, $"{unavailable} of {routes.Count * 2} requests were 503");

        app.Proxy.Restore();
        var back = Stopwatch.StartNew();
        HttpStatusCode last;
        do
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "users/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            last = (await app.Api.SendAsync(request)).StatusCode;
            if (last != HttpStatusCode.OK) await Task.Delay(200);
        }
        while (last != HttpStatusCode.OK && back.Elapsed < Recovers);
        Assert.Equal(HttpStatusCode.OK, last);
        await app.WaitUntilHealthyAsync();
        Assert.DoesNotContain("Started worker process", app.Host.Output[worker..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_accepts_connections_and_never_answers_gets_503_within_a_bounded_time_and_the_worker_recovers()
    {
        var (_, token) = await app.SignInAsync();
        var worker = app.Host.Output.Length;

        app.Proxy.Blackhole(); // a partition or a frozen server: connections open, nothing comes back

        // In parallel, as users would keep arriving: each answers on its own within the bound.
        var calls = new (string Path, bool SignedIn)[]
        {
            ("health", false), ("users/me", true), ("cart", true), ("courses", false), ("courses/cloud-foundations", false), ("me/enrollments", true),
        };
        using var patient = new HttpClient { BaseAddress = app.Api.BaseAddress, Timeout = BlackholeBound * 3 };
        var answers = await Task.WhenAll(calls.Select(async call =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, call.Path);
            if (call.SignedIn) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var clock = Stopwatch.StartNew();
            try
            {
                using var response = await patient.SendAsync(request);
                return (call.Path, call.SignedIn, Status: (int)response.StatusCode, clock.Elapsed,
                    RetryAfter: response.Headers.RetryAfter?.Delta, response.Content.Headers.ContentType?.MediaType, Body: await response.Content.ReadAsStringAsync());
            }
            catch (TaskCanceledException)
            {
                return (call.Path, call.SignedIn, Status: 0, clock.Elapsed, RetryAfter: null, MediaType: null, Body: "no answer");
            }
        }));

        var wrong = answers.Where(a => a.Elapsed > BlackholeBound || (a.Status >= 500 && a.Status != 503) || (a.SignedIn && a.Status != 503)
                || (a.Status == 503 && !(a.RetryAfter > TimeSpan.Zero && (a.MediaType == "application/problem+json" || a.Path == "health"))))
            .Select(a => $"GET {a.Path}: {a.Status} after {a.Elapsed.TotalSeconds:F1} s, Retry-After {a.RetryAfter}, {a.MediaType}: {a.Body}").ToList();
        Assert.True(wrong.Count == 0, string.Join("\n", wrong) + "\n" + app.Host.Output[worker..]);
        Assert.Equal(503, answers.Single(a => a.Path == "health").Status);

        app.Proxy.Restore();
        Assert.True(await Eventually.HoldsAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "users/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return (await app.Api.SendAsync(request)).StatusCode == HttpStatusCode.OK;
        }, Recovers), app.Host.Output[worker..]);
        Assert.DoesNotContain("Started worker process", app.Host.Output[worker..], StringComparison.Ordinal);
    }
}
