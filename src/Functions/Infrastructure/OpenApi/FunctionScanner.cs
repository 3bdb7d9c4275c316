using System.Collections.Specialized;
using System.Net;
using System.Reflection;
using System.Reflection.Emit;
using System.Text.Json;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Infrastructure.OpenApi;

/// <summary>One response a function writes: status, body type (null: none, or raw content) and whether it carries <c>Location</c>.</summary>
public sealed record ResponseFact(HttpStatusCode Status, Type? Body, bool Location = false, string? ContentType = null);

/// <summary>What a function's code does, read from its IL (and from the methods it reaches, for problems).</summary>
public sealed record FunctionFacts(
    HttpFunction Function,
    MethodInfo Method,
    Type? RequestBody,
    bool BodyOptional,
    IReadOnlyList<ResponseFact> Responses,
    Callers Caller,
    bool Paged,
    IReadOnlySet<string> QueryReads,
    IReadOnlyList<QueryParameterAttribute> QueryParameters,
    IReadOnlySet<ProblemCode> Problems,
    IReadOnlyList<string> UnknownProblems);

/// <summary>
/// Reads what each HTTP function does from its compiled code, so the OpenAPI document needs no hand-kept list:
/// the request type of <c>ReadJsonAsync&lt;T&gt;</c>; the responses of <see cref="HttpResponses"/>,
/// <see cref="ETags"/> and <c>CreateResponse</c>; the caller checks; the query values it reads; and every
/// <see cref="ProblemCodes"/> entry its code (through services, into this assembly) can throw.
/// </summary>
public static class FunctionScanner
{
    public static FunctionFacts Scan(HttpFunction function, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(assembly);
        var method = FindMethod(function, assembly);
        var local = LocalScope(method);

        Type? requestBody = null;
        var responses = new List<ResponseFact>();
        var caller = method.GetCustomAttribute<AllowAttribute>()?.Callers
            ?? throw new InvalidOperationException($"{function.Name} declares no [Allow].");
        var paged = false;
        var queryReads = new HashSet<string>(StringComparer.Ordinal);
        var genericJsonCalls = new List<Type>();
        var statusConstants = new HashSet<long>();

        foreach (var body in local)
        {
            var instructions = IlReader.Read(body);
            for (var i = 0; i < instructions.Count; i++)
            {
                var instruction = instructions[i];
                if (instruction.Constant is >= 200 and < 600) statusConstants.Add(instruction.Constant.Value);
                if (instruction.Member is not MethodInfo called) continue;
                var declaring = called.DeclaringType;
                var previous = i > 0 ? instructions[i - 1] : default;
                if (declaring == typeof(RequestBody) && called.Name is nameof(RequestBody.ReadJsonAsync) or nameof(RequestBody.ReadMergePatchAsync))
                    requestBody = called.GetGenericArguments()[0];
                else if (declaring == typeof(HttpResponses))
                {
                    switch (called.Name)
                    {
                        case nameof(HttpResponses.OkAsync) or nameof(HttpResponses.PrivateJsonAsync):
                            responses.Add(new(HttpStatusCode.OK, called.GetGenericArguments()[0]));
                            break;
                        case nameof(HttpResponses.CreatedAsync):
                            responses.Add(new(HttpStatusCode.Created, called.GetGenericArguments()[0], Location: true));
                            break;
                        case nameof(HttpResponses.AcceptedAsync):
                            responses.Add(new(HttpStatusCode.Accepted, called.GetGenericArguments()[0], Location: true));
                            break;
                        case nameof(HttpResponses.CreatedOrOkAsync):
                            responses.Add(new(HttpStatusCode.Created, called.GetGenericArguments()[0], Location: true));
                            responses.Add(new(HttpStatusCode.OK, called.GetGenericArguments()[0]));
                            break;
                        case nameof(HttpResponses.NoContent):
                            responses.Add(new(HttpStatusCode.NoContent, null));
                            break;
                        case nameof(HttpResponses.JsonAsync):
                            genericJsonCalls.Add(called.GetGenericArguments()[0]);
                            break;
                    }
                }
                else if (declaring == typeof(ETags) && called.Name == nameof(ETags.JsonWithETagAsync))
                {
                    responses.Add(new(HttpStatusCode.OK, called.GetGenericArguments()[0]));
                    responses.Add(new(HttpStatusCode.NotModified, null));
                }
                else if (declaring == typeof(StaticContent) && called.Name == nameof(StaticContent.ServeAsync))
                {
                    var contentTypes = method.GetCustomAttribute<ProducesContentAttribute>()?.ContentTypes
                        ?? throw new InvalidOperationException($"{function.Name} serves static content without [ProducesContent].");
                    foreach (var contentType in contentTypes) responses.Add(new(HttpStatusCode.OK, null, ContentType: contentType));
                    responses.Add(new(HttpStatusCode.NotModified, null));
                }
                else if (called.Name == nameof(HttpRequestData.CreateResponse)
                    && called.GetParameters() is { Length: > 0 } parameters && parameters[^1].ParameterType == typeof(HttpStatusCode))
                {
                    if (previous.Constant is { } status) statusConstants.Remove(status);
                    responses.Add(new((HttpStatusCode)(previous.Constant
                        ?? throw new InvalidOperationException($"{function.Name}: CreateResponse with a status that is not a constant.")), null));
                }
                else if (declaring == typeof(PageRequest) && called.Name == nameof(PageRequest.From))
                    paged = true;
                else if (declaring == typeof(NameValueCollection) && called.Name == "get_Item" && previous.String is { } name)
                    queryReads.Add(name);
            }
        }
        // JsonAsync names its status as an argument: the status constants the function loads (and does not give
        // to CreateResponse) are its statuses, 200 when it loads none.
        foreach (var type in genericJsonCalls)
        {
            var statuses = statusConstants.Where(s => s < 400 || s == 503).DefaultIfEmpty(200).ToList();
            foreach (var status in statuses) responses.Add(new((HttpStatusCode)status, type));
        }

        var (problems, unknown) = ReachableProblems(method, assembly);
        var all = new HashSet<ProblemCode>(problems) { ProblemCodes.InternalError, ProblemCodes.DatabaseUnavailable };
        // The authentication middleware refuses a bad bearer token on every function, anonymous ones included (a client
        // learns at once to refresh rather than silently reading the anonymous view), so every operation declares it.
        all.Add(ProblemCodes.InvalidToken);
        if (caller != Callers.Anyone) all.Add(ProblemCodes.Unauthorized);
        if (caller is Callers.Admins or Callers.CourseStaff) all.Add(ProblemCodes.Forbidden);

        return new FunctionFacts(function, method, requestBody, method.GetCustomAttribute<OptionalBodyAttribute>() is not null,
            responses.DistinctBy(r => (r.Status, r.Body, r.ContentType)).OrderBy(r => r.Status).ToList(), caller, paged, queryReads,
            method.GetCustomAttributes<QueryParameterAttribute>().ToList(), all, unknown);
    }

    /// <summary>The method behind a function's <c>entryPoint</c> (<c>Namespace.Type.Method</c>).</summary>
    public static MethodInfo FindMethod(HttpFunction function, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(assembly);
        var split = function.EntryPoint.LastIndexOf('.');
        var type = assembly.GetType(function.EntryPoint[..split], throwOnError: true)!;
        return type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)
            .Single(m => m.Name == function.EntryPoint[(split + 1)..]);
    }

    /// <summary>The function's own code: the method, its state machine, and the helpers and lambdas of its class it calls.</summary>
    private static List<MethodBase> LocalScope(MethodInfo method)
    {
        var scope = new List<MethodBase>();
        var seen = new HashSet<MethodBase>();
        var queue = new Queue<MethodBase>([method]);
        while (queue.TryDequeue(out var current))
        {
            if (!seen.Add(current)) continue;
            scope.Add(current);
            foreach (var companion in IlReader.Companions(current)) queue.Enqueue(companion);
            foreach (var instruction in IlReader.Read(current))
            {
                if (instruction.Member is MethodBase target && IsSameClass(target.DeclaringType, method.DeclaringType!)) queue.Enqueue(target);
            }
        }
        return scope;
    }

    private static bool IsSameClass(Type? type, Type root)
    {
        for (; type is not null; type = type.DeclaringType)
        {
            if (type == root) return true;
        }
        return false;
    }

    /// <summary>
    /// The problem codes the code reachable from <paramref name="root"/> (within <paramref name="assembly"/>) names:
    /// every <c>ProblemCodes.X</c> it loads, and the default code of each <see cref="ProblemException"/> factory it
    /// calls without a code. <c>UnknownProblems</c> lists calls whose code cannot be known (a status without a code).
    /// </summary>
    private static (IReadOnlySet<ProblemCode> Codes, IReadOnlyList<string> Unknown) ReachableProblems(MethodInfo root, Assembly assembly)
    {
        var codes = new HashSet<ProblemCode>();
        var unknown = new List<string>();
        var seen = new HashSet<MethodBase>();
        var queue = new Queue<MethodBase>([root]);
        while (queue.TryDequeue(out var current))
        {
            if (!seen.Add(current)) continue;
            foreach (var companion in IlReader.Companions(current)) queue.Enqueue(companion);
            var instructions = IlReader.Read(current);
            for (var i = 0; i < instructions.Count; i++)
            {
                var member = instructions[i].Member;
                if (member is FieldInfo { IsStatic: true } field && field.DeclaringType == typeof(ProblemCodes) && field.FieldType == typeof(ProblemCode))
                {
                    codes.Add((ProblemCode)field.GetValue(null)!);
                    continue;
                }
                if (member is not MethodBase target || target.DeclaringType is null) continue;
                if (target.DeclaringType == typeof(ProblemException))
                {
                    var passedNull = i > 0 && instructions[i - 1].OpCode == OpCodes.Ldnull;
                    foreach (var code in FactoryDefaults(target, passedNull, unknown, current)) codes.Add(code);
                    continue;
                }
                if (target.DeclaringType.IsInterface)
                {
                    foreach (var implementation in Implementations(target, assembly)) queue.Enqueue(implementation);
                    continue;
                }
                if (target.Module != assembly.ManifestModule || target.DeclaringType == typeof(ProblemCodes)) continue;
                queue.Enqueue(Definition(target));
            }
        }
        return (codes, unknown);
    }

    /// <summary>The codes a call to a <see cref="ProblemException"/> member produces by itself.</summary>
    private static HashSet<ProblemCode> FactoryDefaults(MethodBase factory, bool passedNull, List<string> unknown, MethodBase caller)
    {
        var parameters = factory.GetParameters();
        var codeParameter = parameters.LastOrDefault(p => p.ParameterType == typeof(ProblemCode));
        // A code given by the caller is a ProblemCodes field the caller loads itself.
        if (codeParameter is not null && (!codeParameter.IsOptional || codeParameter.Position != parameters.Length - 1 || !passedNull)) return [];
        var codes = new HashSet<ProblemCode>();
        var seen = new HashSet<MethodBase>();
        var queue = new Queue<(MethodBase Method, bool PassedNull)>([(factory, passedNull)]);
        while (queue.TryDequeue(out var item))
        {
            if (!seen.Add(item.Method)) continue;
            var instructions = IlReader.Read(item.Method);
            for (var i = 0; i < instructions.Count; i++)
            {
                var member = instructions[i].Member;
                if (member is FieldInfo { IsStatic: true } field && field.DeclaringType == typeof(ProblemCodes) && field.FieldType == typeof(ProblemCode))
                    codes.Add((ProblemCode)field.GetValue(null)!);
                else if (member is MethodInfo { Name: nameof(ProblemCodes.ForStatus) } && member.DeclaringType == typeof(ProblemCodes))
                    unknown.Add($"{caller.DeclaringType?.FullName}.{caller.Name}: new ProblemException(status, …) without a ProblemCode");
                else if (member is MethodBase next && next.DeclaringType == typeof(ProblemException))
                {
                    var nextParameters = next.GetParameters();
                    var nextCode = nextParameters.LastOrDefault(p => p.ParameterType == typeof(ProblemCode));
                    var nullPassed = i > 0 && instructions[i - 1].OpCode == OpCodes.Ldnull;
                    if (nextCode is null || (nextCode.IsOptional && nextCode.Position == nextParameters.Length - 1 && nullPassed))
                        queue.Enqueue((next, nullPassed));
                }
            }
        }
        return codes;
    }

    private static MethodBase Definition(MethodBase method)
    {
        if (method is MethodInfo { IsGenericMethod: true, IsGenericMethodDefinition: false } generic) method = generic.GetGenericMethodDefinition();
        if (method.DeclaringType is { IsGenericType: true, IsGenericTypeDefinition: false } type)
        {
            var definition = type.GetGenericTypeDefinition();
            method = definition.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Cast<MethodBase>()
                .Concat(definition.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
                .FirstOrDefault(m => m.MetadataToken == method.MetadataToken) ?? method;
        }
        return method;
    }

    /// <summary>The implementations of an interface method in <paramref name="assembly"/> (the interface may be another assembly's).</summary>
    private static IEnumerable<MethodBase> Implementations(MethodBase method, Assembly assembly)
    {
        var contract = method.DeclaringType!;
        if (contract.IsGenericType || method is not MethodInfo) yield break;
        foreach (var type in assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false, IsGenericTypeDefinition: false } && contract.IsAssignableFrom(t)))
        {
            var map = type.GetInterfaceMap(contract);
            var index = Array.IndexOf(map.InterfaceMethods, method);
            if (index >= 0) yield return map.TargetMethods[index];
        }
    }
}
