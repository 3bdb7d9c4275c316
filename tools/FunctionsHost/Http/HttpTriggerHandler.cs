using System.Globalization;
using System.Text;
using System.Text.Json;
using CoursePlatform.FunctionsHost.Configuration;
using CoursePlatform.FunctionsHost.Functions;
using CoursePlatform.FunctionsHost.Worker;
using Google.Protobuf;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace CoursePlatform.FunctionsHost.Http;

/// <summary>Maps HTTP-trigger functions to routes and converts requests/responses to and from RpcHttp.</summary>
public sealed class HttpTriggerHandler(
    WorkerChannel worker, FunctionEndpointDataSource endpoints, FunctionKeys keys, HostJson hostJson, ILoggerFactory loggers)
{
    private readonly ILogger logger = loggers.CreateLogger("Host.Http");
    /// <summary>Adds a route for every HTTP-trigger function; returns "Name: [GET,POST] /api/route" lines for the console.</summary>
    public IReadOnlyList<string> MapFunctions(IEnumerable<FunctionDefinition> functions)
    {
        var lines = new List<string>();
        foreach (var function in functions)
        {
            if (function.Trigger is not { } trigger || !string.Equals(trigger.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase)) continue;
            var route = (trigger.Get("route") ?? function.Name).Trim('/');
            var template = "/" + string.Join('/', new[] { hostJson.RoutePrefix, route }.Where(s => s.Length > 0));
            var methods = trigger.GetList("methods");
            endpoints.Add(template, methods, function.Name, context => HandleAsync(context, function, trigger));
            lines.Add($"{function.Name}: [{(methods.Count == 0 ? "ALL" : string.Join(',', methods.Select(m => m.ToUpperInvariant())))}] {template}");
        }
        return lines;
    }

    private async Task HandleAsync(HttpContext context, FunctionDefinition function, BindingDefinition trigger)
    {
        if (!keys.Allows(trigger.Get("authLevel"), context.Request))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        var http = await ToRpcHttpAsync(context);
        var metadata = new Dictionary<string, TypedData>
        {
            ["Query"] = Json(context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString())),
            ["Headers"] = Json(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString())),
        };
        // Route values also bind to function parameters by name (e.g. Guid id).
        foreach (var (name, value) in context.Request.RouteValues)
        {
            metadata[name] = new TypedData { String = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" };
        }

        InvocationResponse response;
        try
        {
            // Like the Functions host, the invocation continues the caller's W3C trace when the request carries one.
            response = await worker.InvokeAsync(function, [new ParameterBinding { Name = trigger.Name, Data = new TypedData { Http = http } }], metadata, context.RequestAborted,
                context.Request.Headers.TraceParent.ToString());
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            logger.LogError("Executed '{Function}' (Failed): {Reason}", function.FullName, ex.Message);
            context.Response.StatusCode = ex is OperationCanceledException ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (response.Result.Status != StatusResult.Types.Status.Success)
        {
            logger.LogError("Executed '{Function}' (Failed): {Reason}", function.FullName, WorkerChannel.Describe(response.Result));
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        logger.LogInformation("Executed '{Function}' (Succeeded)", function.FullName);
        await WriteResponseAsync(context, function, response);
    }

    private static async Task<RpcHttp> ToRpcHttpAsync(HttpContext context)
    {
        var request = context.Request;
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        var http = new RpcHttp
        {
            Method = request.Method,
            Url = $"{request.Scheme}://{request.Host}{request.PathBase}{request.Path}{request.QueryString}",
            // The worker announced RawHttpBodyBytes: the body always travels as bytes.
            Body = new TypedData { Bytes = ByteString.CopyFrom(body.GetBuffer(), 0, (int)body.Length) },
        };
        // The worker announced UseNullableValueDictionaryForHttp: it reads only the nullable_* maps.
        foreach (var header in request.Headers)
        {
            http.NullableHeaders[header.Key] = new NullableString { Value = header.Value.ToString() };
        }
        // Like Azure's front end, the host appends the address the connection came from: the one entry of
        // X-Forwarded-For the app can trust (Http__TrustedProxyHops = 1). Whatever the client sent stays to its left.
        if (context.Connection.RemoteIpAddress is { } remote)
        {
            var peer = remote.IsIPv4MappedToIPv6 ? remote.MapToIPv4() : remote;
            var entry = peer.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
                ? $"[{peer}]:{context.Connection.RemotePort}" : $"{peer}:{context.Connection.RemotePort}";
            var forwarded = request.Headers["X-Forwarded-For"].ToString(); // every spelling and line of it, in order
            foreach (var key in http.NullableHeaders.Keys.Where(k => k.Equals("X-Forwarded-For", StringComparison.OrdinalIgnoreCase)).ToList())
                http.NullableHeaders.Remove(key);
            http.NullableHeaders["X-Forwarded-For"] = new NullableString { Value = forwarded.Length == 0 ? entry : $"{forwarded}, {entry}" };
        }
        foreach (var query in request.Query)
        {
            http.NullableQuery[query.Key] = new NullableString { Value = query.Value.ToString() };
        }
        foreach (var (name, value) in request.RouteValues)
        {
            http.NullableParams[name] = new NullableString { Value = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "" };
        }
        return http;
    }

    private static async Task WriteResponseAsync(HttpContext context, FunctionDefinition function, InvocationResponse response)
    {
        var output = function.Bindings.FirstOrDefault(b => string.Equals(b.Type, "http", StringComparison.OrdinalIgnoreCase) && !b.IsTrigger);
        var data = output is null ? null
            : output.Name == "$return" ? response.ReturnValue
            : response.OutputData.FirstOrDefault(o => o.Name == output.Name)?.Data;
        if (data?.Http is not { } http)
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        context.Response.StatusCode = int.TryParse(http.StatusCode, NumberStyles.Integer, CultureInfo.InvariantCulture, out var status) ? status : StatusCodes.Status200OK;
        var headers = http.NullableHeaders.Count > 0
            ? http.NullableHeaders.Select(h => KeyValuePair.Create(h.Key, h.Value.Value))
            : http.Headers;
        foreach (var (name, value) in headers)
        {
            // Kestrel computes framing itself.
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase)) continue;
            context.Response.Headers.Append(name, value);
        }
        foreach (var cookie in http.Cookies)
        {
            context.Response.Cookies.Append(cookie.Name, cookie.Value, ToOptions(cookie));
        }
        var body = Bytes(http.Body);
        if (body.Length > 0) await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private static CookieOptions ToOptions(RpcHttpCookie cookie)
    {
        var options = new CookieOptions
        {
            Domain = cookie.Domain?.Value,
            Path = cookie.Path?.Value,
            Secure = cookie.Secure?.Value ?? false,
            HttpOnly = cookie.HttpOnly?.Value ?? false,
            SameSite = cookie.SameSite switch
            {
                RpcHttpCookie.Types.SameSite.Lax => SameSiteMode.Lax,
                RpcHttpCookie.Types.SameSite.Strict => SameSiteMode.Strict,
                RpcHttpCookie.Types.SameSite.ExplicitNone => SameSiteMode.None,
                _ => SameSiteMode.Unspecified,
            },
        };
        if (cookie.Expires?.Value is { } expires) options.Expires = expires.ToDateTimeOffset();
        if (cookie.MaxAge?.Value is { } maxAge) options.MaxAge = TimeSpan.FromSeconds(maxAge);
        return options;
    }

    private static byte[] Bytes(TypedData? data) => data?.DataCase switch
    {
        TypedData.DataOneofCase.Bytes => data.Bytes.ToByteArray(),
        TypedData.DataOneofCase.Stream => data.Stream.ToByteArray(),
        TypedData.DataOneofCase.String => Encoding.UTF8.GetBytes(data.String),
        TypedData.DataOneofCase.Json => Encoding.UTF8.GetBytes(data.Json),
        TypedData.DataOneofCase.Int => Encoding.UTF8.GetBytes(data.Int.ToString(CultureInfo.InvariantCulture)),
        TypedData.DataOneofCase.Double => Encoding.UTF8.GetBytes(data.Double.ToString(CultureInfo.InvariantCulture)),
        _ => [],
    };

    private static TypedData Json(object value) => new() { Json = JsonSerializer.Serialize(value) };
}
