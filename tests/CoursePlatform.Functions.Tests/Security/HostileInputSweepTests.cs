using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CoursePlatform.Data;

namespace CoursePlatform.Functions.Tests.Security;

/// <summary>
/// Every HTTP function the build lists in <c>functions.metadata</c> (read, not hand-listed), called anonymously,
/// as a learner and as an admin, with hostile route values, query strings, bodies and headers. Nothing may
/// answer 5xx, every error must be problem+json with a body, and every answer carries
/// <c>X-Content-Type-Options: nosniff</c>. (A NUL in the path never reaches the app: the host refuses it, as
/// Kestrel and Azure's front end do; NULs are sent in queries and bodies instead.)
/// </summary>
public sealed class HostileInputSweepTests(SecurityHostedApp app) : IClassFixture<SecurityHostedApp>
{
    private static readonly string[] RouteValues = ["x%01y%7F", new('a', 3000), "%E2%82", "..%2F..", "00000000-0000-0000-0000-000000000000"];

    private static readonly string[] Queries =
    [
        "", "?q=%00", "?q=" + new string('q', 5000), "?page=-1&pageSize=999999999", "?page=abc&pageSize=%00", "?k=1e9&q=subnet",
        "?redirect=" + Uri.EscapeDataString("http://localhost:5173/" + new string('r', 4000)), "?redirect=%00&login_hint=%00",
        "?email=%00", "?checkOnly=%00", "?code=%00&state=%00", "?parentId=not-a-guid&topicId=%00", "?resource=%00",
        "?path=..", "?path=.", "?path=%2E%2E%2F%2E%2E", "?path=a%2F%2Fb.vtt", "?path=..%5Cb.vtt", "?path=b%01.vtt",
    ];

    private static readonly string[] Bodies =
    [
        "", "null", "[]", "\"text\"", "{}", "{", "{\"a\":" + new string('[', 5000),
        """{"email":"a\u0000@example.com","password":"\u0000"}""",
        """{"progress":"NaN","status":"completed"}""", """{"progress":1e999,"status":"in_progress"}""",
        """{"moduleNo":"1","topicPairIndex":"1","limit":"Infinity"}""", """{"moduleNo":2147483648,"topicPairIndex":-1}""",
        """{"course":"\u0000","fileName":"\u0000.md","topicId":"nope"}""", """{"members":[{"email":"\u0000","batchNo":1e10}]}""",
        """{"name":"x","startsOn":"9999-99-99","isActive":"yes"}""", """{"answers":[{"questionId":null,"optionId":"x"}]}""",
        """{"refreshToken":"\u0000"}""", """{"code":""" + "\"" + new string('c', 10000) + "\"}",
        """{"persona":"\u0000","answers":{"background":"\u0000"}}""", """{"title":"","tagline":null,"description":[]}""",
        """{"fileName":"..","topicId":null}""", """{"fileName":"..\\..\\deck.md"}""", """{"fileName":"a/./b.md"}""",
    ];

    [Fact]
    public async Task No_function_answers_hostile_input_with_a_server_error_or_a_bodyless_error()
    {
        var functions = FunctionRoutes.Http();
        Assert.True(functions.Count > 40, $"only {functions.Count} HTTP functions in functions.metadata");
        var failures = new List<string>();
        var sent = 0;
        foreach (var (name, method, route) in functions)
        {
            // Fresh callers per function: a logout or account deletion must not blind the rest of the sweep.
            var learner = (await app.SignInAsync()).Token;
            var admin = (await app.SignInAsync(UserRole.Admin)).Token;
            var hasBody = method is not ("GET" or "HEAD" or "OPTIONS");
            var hasParameters = FunctionRoutes.Parameter().IsMatch(route);
            // Each hostile part on its own against otherwise plain parts: route values, then queries, then bodies.
            var cases = (hasParameters ? RouteValues : ["x"]).Select(v => (Value: v, Query: "", Body: hasBody ? "{}" : null))
                .Concat(Queries.Select(q => (Value: "x", Query: q, Body: hasBody ? "{}" : null)))
                .Concat(hasBody ? Bodies.Select(b => (Value: "x", Query: "", Body: (string?)b)) : []);
            foreach (var token in new[] { null, learner, admin })
            {
                foreach (var (value, query, body) in cases)
                {
                    sent++;
                    var path = FunctionRoutes.Parameter().Replace(route, value) + query;
                    var problem = await SendAsync(method, path, token, body);
                    if (problem is not null)
                        failures.Add($"{name} {method} /api/{path} {(token is null ? "anonymous" : token == admin ? "admin" : "learner")} body={Short(body)}: {problem}");
                }
            }
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {sent} requests failed:\n" + string.Join("\n", failures.Take(40)));
    }

    /// <summary>Null when the answer is acceptable; otherwise what is wrong with it.</summary>
    private async Task<string?> SendAsync(string method, string path, string? token, string? body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", new string('1', 600) + ", ::zz, 300.1.1.1");
        request.Headers.TryAddWithoutValidation("User-Agent", new string('u', 3000));
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Api.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (status >= 500) return $"{status} {Short(text)}";
        if (!response.Headers.TryGetValues("X-Content-Type-Options", out var sniff) || !sniff.SequenceEqual(["nosniff"])) return $"{status} without X-Content-Type-Options: nosniff";
        if (status < 400 || method == "HEAD") return null;
        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json") return $"{status} with {response.Content.Headers.ContentType?.MediaType ?? "no content type"}";
        try
        {
            using var json = JsonDocument.Parse(text);
            return json.RootElement.TryGetProperty("status", out var s) && s.GetInt32() == status ? null : $"{status} with a problem body of another status";
        }
        catch (JsonException)
        {
            return $"{status} with a body that is not JSON: {Short(text)}";
        }
    }

    private static string Short(string? text) => text is null ? "none" : text.Length <= 80 ? text : text[..80] + "…";
}
