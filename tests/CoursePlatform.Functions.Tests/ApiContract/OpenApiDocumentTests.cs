using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Auth;
using System.Net;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using CoursePlatform.Functions.Infrastructure.Problems;

namespace CoursePlatform.Functions.Tests.ApiContract;

/// <summary>The generated document against the build's <c>functions.metadata</c> and the functions' code.</summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options"];

    [GeneratedRegex(@"\{(\w+)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [Fact]
    public async Task Every_http_function_has_exactly_one_path_and_method_with_its_route_parameters_and_nothing_else()
    {
        var document = await ContractDocument.JsonAsync();
        Assert.StartsWith("3.1.", document["openapi"]!.GetValue<string>(), StringComparison.Ordinal);
        var functions = HttpFunction.ReadAll(ContractDocument.MetadataPath);
        Assert.True(functions.Count > 60, $"only {functions.Count} HTTP functions in the metadata");
        // The one function left out: the catch-all that answers unmatched requests (not an endpoint).
        Assert.Equal(["UnmatchedRoute"], functions.Where(f => f.IsFallback).Select(f => f.Name));

        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(o => Methods.Contains(o.Key)).Select(o => (Path: path.Key, Method: o.Key, Operation: o.Value!.AsObject())))
            .ToList();
        var wrong = new List<string>();
        foreach (var function in functions.Where(f => !f.IsFallback))
        {
            if (function.Methods.Count != 1) wrong.Add($"{function.Name} answers {function.Methods.Count} methods");
            var path = "/" + RouteParameter().Replace(function.Route, "{$1}");
            var matches = operations.Where(o => o.Operation["operationId"]?.GetValue<string>() == function.Name).ToList();
            if (matches.Count != 1) { wrong.Add($"{function.Name}: {matches.Count} operations"); continue; }
            var (actualPath, method, operation) = matches[0];
            if (actualPath != path || !string.Equals(method, function.Methods[0], StringComparison.OrdinalIgnoreCase)) wrong.Add($"{function.Name}: {method} {actualPath}, expected {function.Methods[0]} {path}");
            var routeParameters = RouteParameter().Matches(function.Route).Select(m => m.Groups[1].Value).Order().ToList();
            var documented = (operation["parameters"]?.AsArray() ?? []).Where(p => p!["in"]!.GetValue<string>() == "path").Select(p => p!["name"]!.GetValue<string>()).Order().ToList();
            if (!routeParameters.SequenceEqual(documented)) wrong.Add($"{function.Name}: path parameters {string.Join(",", documented)}, route has {string.Join(",", routeParameters)}");
            if (operation["responses"]?.AsObject().Any(r => r.Key.StartsWith('2') || r.Key.StartsWith('3')) != true) wrong.Add($"{function.Name}: no success response");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
        Assert.Equal(functions.Count(f => !f.IsFallback), operations.Count);
    }

    [Fact]
    public async Task The_second_audits_contract_findings_are_declared()
    {
        var document = await ContractDocument.JsonAsync();
        var paths = document["paths"]!.AsObject();
        JsonObject Operation(string path, string method) => paths[path]![method]!.AsObject();

        // 1. A bad bearer token is 401 invalid_token on every operation, anonymous ones included (/health, /courses, /auth/login).
        var undeclared = paths.SelectMany(p => p.Value!.AsObject().Where(o => Methods.Contains(o.Key))
                .Where(o => o.Value!["responses"]?["401"]?.ToJsonString().Contains("invalid_token", StringComparison.Ordinal) != true)
                .Select(o => $"{o.Key} {p.Key}"))
            .ToList();
        Assert.True(undeclared.Count == 0, "no 401 invalid_token: " + string.Join(", ", undeclared));
        // 2. A value that is not a GUID where the route wants one matches no route: 404.
        Assert.NotNull(Operation("/cold-call-messages/{messageId}", "delete")["responses"]!["404"]);
        Assert.NotNull(Operation("/manage/topics/{topicId}/prompt-suggestions/{suggestionId}", "delete")["responses"]!["404"]);
        // 3. The reference page's assets are scripts, stylesheets and images, not an octet stream.
        Assert.Equal(["image/png", "text/css", "text/javascript"],
            Operation("/docs/assets/{file}", "get")["responses"]!["200"]!["content"]!.AsObject().Select(c => c.Key).Order());
        // 5. The merge patches document their bodies.
        Assert.NotNull(Operation("/manage/courses/{course}", "patch")["requestBody"]);
        Assert.NotNull(Operation("/manage/courses/{course}/topics/{topicId}", "patch")["requestBody"]);
    }

    [Fact]
    public void Every_function_declares_the_query_values_it_reads_and_reads_the_ones_it_declares()
    {
        var wrong = new List<string>();
        foreach (var facts in ContractDocument.Facts())
        {
            var declared = facts.QueryParameters.Select(q => q.Name).ToHashSet(StringComparer.Ordinal);
            if (!declared.SetEquals(facts.QueryReads))
                wrong.Add($"{facts.Function.Name}: reads [{string.Join(", ", facts.QueryReads.Order())}], declares [{string.Join(", ", declared.Order())}] with [QueryParameter]");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }

    [Fact]
    public void Every_201_carries_Location_and_every_problem_has_a_known_code()
    {
        var facts = ContractDocument.Facts();
        Assert.Empty(facts.SelectMany(f => f.Responses.Where(r => r.Status == HttpStatusCode.Created && !r.Location).Select(_ => f.Function.Name)));
        Assert.Empty(facts.SelectMany(f => f.UnknownProblems));
        Assert.Contains(facts, f => f.Responses.Any(r => r.Status == HttpStatusCode.Created));
    }

    [Fact]
    public void The_scanner_sees_what_the_functions_do()
    {
        var facts = ContractDocument.Facts().ToDictionary(f => f.Function.Name);
        Assert.Equal(Callers.Anyone, facts["GetCourse"].Caller);
        Assert.Equal(Callers.SignedIn, facts["GetCart"].Caller);
        Assert.Equal(Callers.CourseStaff, facts["GetCourseRoster"].Caller);
        Assert.Equal(Callers.Admins, facts["ManageCreateCohort"].Caller);
        Assert.Contains(ProblemCodes.Forbidden, facts["ManageCreateCohort"].Problems);
        Assert.True(facts["ListCourses"].Paged);
        Assert.Equal("StartAttemptRequest", facts["StartQuizAttempt"].RequestBody?.Name);
        Assert.Contains(facts["StartQuizAttempt"].Responses, r => r is { Status: HttpStatusCode.Created, Location: true, Body.Name: "StartedAttempt" });
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.ServiceUnavailable], facts["Health"].Responses.Select(r => r.Status));
        Assert.Contains(facts["GoogleSignInStart"].Responses, r => r.Status == HttpStatusCode.Found);

        // Problem codes reached through the services, not listed by hand.
        Assert.Contains(ProblemCodes.QuizCooldown, facts["StartQuizAttempt"].Problems);
        Assert.Contains(ProblemCodes.ModuleLocked, facts["StartQuizAttempt"].Problems);
        Assert.Contains(ProblemCodes.AttemptAlreadySubmitted, facts["SubmitQuizAttempt"].Problems);
        Assert.Contains(ProblemCodes.CartEmpty, facts["Checkout"].Problems);
        Assert.Contains(ProblemCodes.NotInCohort, facts["Enroll"].Problems);
        Assert.Contains(ProblemCodes.CohortInactive, facts["Enroll"].Problems);
        Assert.Contains(ProblemCodes.QuotaExceeded, facts["AskAiTutor"].Problems);
        Assert.Contains(ProblemCodes.BlindResponseRequired, facts["GetColdCallThread"].Problems);
        Assert.Contains(ProblemCodes.ValidationFailed, facts["StaffLogin"].Problems);
        Assert.Contains(ProblemCodes.UnsupportedMediaType, facts["StaffLogin"].Problems);
        Assert.DoesNotContain(ProblemCodes.CartEmpty, facts["StartQuizAttempt"].Problems);
        Assert.DoesNotContain(ProblemCodes.Unauthorized, facts["ListCourses"].Problems);
    }

    [Fact]
    public async Task Operations_carry_the_bearer_scheme_their_functions_need()
    {
        var document = await ContractDocument.JsonAsync();
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        JsonArray Security(string path, string method) => document["paths"]![path]![method]!["security"]!.AsArray();
        // Anonymous callers allowed: no credentials, or a bearer token (validated: a bad one is a 401 there too).
        Assert.Equal("""[{},{"bearer":[]}]""", Security("/courses", "get").ToJsonString());
        Assert.Equal("""[{"bearer":[]}]""", Security("/tutor/courses", "get").ToJsonString());
        Assert.Equal("""[{"bearer":[]}]""", Security("/cart", "get").ToJsonString());
        Assert.Equal("""[{},{"bearer":[]}]""", Security("/courses/{course}", "get").ToJsonString());
    }

    [Fact]
    public async Task Every_problem_code_is_listed_once_and_in_the_document()
    {
        Assert.Equal(ProblemCodes.All.Count, ProblemCodes.All.Select(c => c.Code).Distinct().Count());
        Assert.Equal(ProblemCodes.All.Count, ProblemCodes.All.Select(c => c.Type).Distinct().Count());
        Assert.All(ProblemCodes.All, c => Assert.Matches("^[a-z]+(_[a-z]+)*$", c.Code));
        var document = await ContractDocument.JsonAsync();
        var listed = document["components"]!["schemas"]!["ProblemCode"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>());
        Assert.Equal(ProblemCodes.All.Select(c => c.Code), listed);
        var description = document["info"]!["description"]!.GetValue<string>();
        Assert.All(ProblemCodes.All, c => Assert.Contains($"| `{c.Code}` | {(int)c.Status} | `{c.Type}` |", description, StringComparison.Ordinal));

        // Every specific code is one some operation says it can return (a generic default of a status may be unused
        // while every call site of its status names a specific code).
        var returned = ContractDocument.Facts().SelectMany(f => f.Problems).ToHashSet();
        var generic = Enum.GetValues<HttpStatusCode>().Select(ProblemCodes.ForStatus).ToHashSet();
        var neverReturned = ProblemCodes.All.Where(c => !generic.Contains(c) && !returned.Contains(c)).ToList();
        Assert.True(neverReturned.Count == 0, "No operation returns " + string.Join(", ", neverReturned));
    }

    /// <summary>
    /// Each code is produced by at least one test that asserts it: a test file (other than this one) names
    /// <c>ProblemCodes.X</c> in an assertion about a problem it provoked (an <c>Assert…</c> call, or a
    /// <c>Problem(request, status, code)</c> helper that asserts the body's code).
    /// </summary>
    [Fact]
    public void Every_problem_code_is_asserted_by_a_test()
    {
        var tests = Directory.EnumerateFiles(Path.Combine(Paths.RepositoryRoot, "tests"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "OpenApiDocumentTests.cs")
            .Select(File.ReadAllText)
            .ToList();
        // concurrent_update answers a lost race (two identical writes at the same instant); no test can make that race
        // happen on demand without a hook in the code, so it is the one code asserted by no test.
        string[] unprovokable = [nameof(ProblemCodes.ConcurrentUpdate)];
        var fields = typeof(ProblemCodes).GetFields().Where(f => f.FieldType == typeof(ProblemCode)).Select(f => f.Name).Except(unprovokable);
        var unasserted = fields.Where(name => !tests.Any(t => Regex.IsMatch(t, $@"(Assert[\w.]*|Problem)\([^;]*ProblemCodes\.{name}\b"))).ToList();
        Assert.True(unasserted.Count == 0, "No test asserts: " + string.Join(", ", unasserted));
    }
}
