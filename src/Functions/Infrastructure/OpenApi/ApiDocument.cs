using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Auth;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.OpenApi;
using Microsoft.OpenApi.Reader;

namespace CoursePlatform.Functions.Infrastructure.OpenApi;

/// <summary>
/// The OpenAPI 3.1 document of every HTTP function of the build: the functions come from <c>functions.metadata</c>
/// (route, method), their request and response types, caller checks, query values and problem codes from their
/// compiled code (<see cref="FunctionScanner"/>), the schemas from the C# types (<see cref="SchemaComponents"/>),
/// descriptions from the XML doc comments. Built with Microsoft.OpenApi and written as OpenAPI 3.1 JSON.
/// </summary>
public static partial class ApiDocument
{
    public const string BearerScheme = "bearer";
    private const string Problem = "Problem";
    private const string ProblemCodeSchema = "ProblemCode";

    /// <summary>The facts of every documented function (the fallback route excluded), in metadata order.</summary>
    public static IReadOnlyList<FunctionFacts> Scan(Assembly assembly, string metadataPath) =>
        HttpFunction.ReadAll(metadataPath).Where(f => !f.IsFallback).Select(f => FunctionScanner.Scan(f, assembly)).ToList();

    /// <summary>The document as UTF-8 JSON.</summary>
    public static async Task<byte[]> GenerateAsync(Assembly assembly, string metadataPath, string? xmlDocsPath, CancellationToken cancellationToken = default)
    {
        var document = Build(assembly, metadataPath, xmlDocsPath);
        var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken);
        return Encoding.UTF8.GetBytes(json);
    }

    public static OpenApiDocument Build(Assembly assembly, string metadataPath, string? xmlDocsPath)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var docs = new XmlDocs(xmlDocsPath);
        var schemas = new SchemaComponents(Json.SchemaOptions, docs);
        var functions = Scan(assembly, metadataPath);
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

        var document = new OpenApiDocument
        {
            Info = new OpenApiInfo
            {
                Title = "Course Platform API", Version = version, Description = Introduction(),
                License = new OpenApiLicense { Name = "Proprietary" },
            },
            Servers = [new OpenApiServer { Url = "/api", Description = "This app (the host.json route prefix)" }],
            Paths = [],
            Components = new OpenApiComponents
            {
                Schemas = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal),
                SecuritySchemes = new Dictionary<string, IOpenApiSecurityScheme>
                {
                    [BearerScheme] = new OpenApiSecurityScheme
                    {
                        Type = SecuritySchemeType.Http, Scheme = "bearer", BearerFormat = "JWT",
                        Description = "The `accessToken` of `POST /auth/login`, `/auth/exchange` or `/auth/refresh`.",
                    },
                },
            },
            Tags = new HashSet<OpenApiTag>(),
        };
        schemas.Add(ProblemCodeSchema, ProblemCodeEnum());
        schemas.For(typeof(Problems.Problem), request: false);

        foreach (var facts in functions)
        {
            var tag = TagOf(facts.Method.DeclaringType!);
            if (document.Tags.All(t => t.Name != tag))
                document.Tags.Add(new OpenApiTag { Name = tag, Description = docs.Summary(facts.Method.DeclaringType!) ?? $"{Humanize(tag)}: the functions of `Features/{tag}`." });
            var path = "/" + RouteConstraint().Replace(facts.Function.Route, "{$1}");
            if (!document.Paths.TryGetValue(path, out var item)) document.Paths[path] = item = new OpenApiPathItem { Operations = [] };
            var operation = Operation(document, facts, schemas, docs, tag);
            ((OpenApiPathItem)item).Operations![new HttpMethod(facts.Function.Methods.Single())] = operation;
        }

        // Every schema the operations referenced (and the ones those reference), parsed into the document.
        foreach (var (name, schema) in schemas.Components())
        {
            if (name == Problem) schema["properties"]!["code"] = new JsonObject { ["$ref"] = SchemaComponents.Prefix + ProblemCodeSchema };
            document.Components.Schemas[name] = ToSchema(schema, document);
        }
        document.Tags = new HashSet<OpenApiTag>(document.Tags.OrderBy(t => t.Name, StringComparer.Ordinal));
        return document;
    }

    private static OpenApiOperation Operation(OpenApiDocument document, FunctionFacts facts, SchemaComponents schemas, XmlDocs docs, string tag)
    {
        var description = new StringBuilder(docs.Summary(facts.Method) ?? "");
        var who = facts.Caller switch
        {
            Callers.Admins => "**Admins only.**",
            Callers.CourseStaff => "**The course's tutors and admins only.**",
            Callers.Anyone => "Anonymous callers allowed; a valid bearer token identifies the caller, an invalid one is a 401.",
            _ => null,
        };
        if (who is not null) description.Append(description.Length > 0 ? "\n\n" : "").Append(who);

        var operation = new OpenApiOperation
        {
            OperationId = facts.Function.Name,
            Summary = Humanize(facts.Function.Name),
            Description = description.Length > 0 ? description.ToString() : null,
            Tags = new HashSet<OpenApiTagReference> { new(tag, document) },
            Parameters = [.. Parameters(facts)],
            Responses = [],
        };
        if (facts.RequestBody is { } body)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = !facts.BodyOptional,
                Content = new Dictionary<string, IOpenApiMediaType>
                {
                    ["application/json"] = new OpenApiMediaType { Schema = ToSchema(schemas.For(body, request: true), document) },
                },
            };
        }
        // From the function's [Allow]: anonymous allowed means no credentials or a bearer token.
        operation.Security = facts.Caller == Callers.Anyone
            ? [new OpenApiSecurityRequirement(), new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }]
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];

        var hasInput = facts.RequestBody is not null || facts.Function.Route.Contains('{', StringComparison.Ordinal) || facts.QueryParameters.Count > 0 || facts.Paged;
        var problems = new HashSet<ProblemCode>(facts.Problems);
        if (hasInput) problems.Add(ProblemCodes.BadRequest);
        // A value that is not a GUID where the route wants one matches no route: the catch-all answers 404 not_found.
        if (facts.Function.Route.Contains(":guid}", StringComparison.Ordinal)) problems.Add(ProblemCodes.NotFound);
        if (facts.Method.GetCustomAttribute<ProblemsAsRedirectAttribute>() is not null)
        {
            var redirected = problems.Where(p => p != ProblemCodes.InternalError && p != ProblemCodes.InvalidToken).OrderBy(p => p.Code, StringComparer.Ordinal).ToList();
            description.Append(description.Length > 0 ? "\n\n" : "")
                .Append("A failed sign-in is a redirect too, never a problem page: to the start's `redirect` (or the configured default frontend URL ")
                .Append("when the start is unknown) with `?error=<code>&error_description=<text>`, `<code>` one of the provider's OAuth errors (`access_denied`, …) or ")
                .Append(string.Join(", ", redirected.Select(p => $"`{p.Code}`"))).Append('.');
            operation.Description = description.ToString();
            // A bad bearer token is still refused before the function runs, as on every operation.
            problems = [ProblemCodes.InternalError, ProblemCodes.InvalidToken];
        }
        foreach (var (status, response) in BuildResponses(facts, problems, schemas, document).OrderBy(r => r.Key, StringComparer.Ordinal))
            operation.Responses[status] = response;
        return operation;
    }

    private static Dictionary<string, IOpenApiResponse> BuildResponses(FunctionFacts facts, HashSet<ProblemCode> problems, SchemaComponents schemas, OpenApiDocument document)
    {
        var responses = new Dictionary<string, IOpenApiResponse>(StringComparer.Ordinal);
        foreach (var group in facts.Responses.GroupBy(r => r.Status))
            responses[((int)group.Key).ToString(CultureInfo.InvariantCulture)] = Success([.. group], schemas, document);
        foreach (var group in problems.GroupBy(p => p.Status))
        {
            var codes = group.OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
            var schema = new JsonObject
            {
                ["allOf"] = new JsonArray(
                    new JsonObject { ["$ref"] = SchemaComponents.Prefix + Problem },
                    new JsonObject
                    {
                        ["type"] = "object",
                        ["properties"] = new JsonObject { ["code"] = new JsonObject { ["enum"] = new JsonArray([.. codes.Select(c => (JsonNode)c.Code)]) } },
                    }),
            };
            var response = new OpenApiResponse
            {
                Description = string.Join("\n", codes.Select(c => $"- `{c.Code}`: {c.Description}")),
                Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = ToSchema(schema, document) } },
                Headers = new Dictionary<string, IOpenApiHeader>(),
            };
            if (codes.Any(c => c.Status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable || c == ProblemCodes.QuizCooldown))
                response.Headers["Retry-After"] = Header("Seconds to wait before retrying.", "integer");
            if (group.Key == HttpStatusCode.Unauthorized)
                response.Headers["WWW-Authenticate"] = Header("`Bearer`, with `error=\"invalid_token\"` (or another RFC 6750 code) when a token was refused.", "string");
            if (group.Key == HttpStatusCode.MethodNotAllowed)
                response.Headers["Allow"] = Header("The methods the route answers.", "string");
            if (response.Headers.Count == 0) response.Headers = null;
            responses[((int)group.Key).ToString(CultureInfo.InvariantCulture)] = response;
        }
        return responses;
    }

    /// <summary>One status of a function's success responses; bodies of several types (a check or an enrolment, say) are <c>oneOf</c>.</summary>
    private static OpenApiResponse Success(IReadOnlyList<ResponseFact> responses, SchemaComponents schemas, OpenApiDocument document)
    {
        var response = responses[0];
        var result = new OpenApiResponse { Description = ReasonPhrase(response.Status) };
        var types = responses.Where(r => r.Body is not null).Select(r => r.Body!).ToList();
        var bodies = types.Select(t => schemas.For(t, request: false)).ToList();
        if (bodies.Count > 0)
        {
            var schema = bodies.Count == 1 ? bodies[0] : new JsonObject { ["oneOf"] = new JsonArray([.. bodies]) };
            // Bodies that each carry a discriminator property (a distinct constant under one name): say so, with the mapping.
            var tags = types.Select(schemas.DiscriminatorOf).ToList();
            if (bodies.Count > 1 && tags.All(t => t is not null) && tags.Select(t => t!.Value.Property).Distinct().Count() == 1
                && tags.Select(t => t!.Value.Value).Distinct().Count() == tags.Count)
            {
                var mapping = new JsonObject();
                for (var i = 0; i < bodies.Count; i++) mapping[tags[i]!.Value.Value] = bodies[i]["$ref"]!.DeepClone();
                schema["discriminator"] = new JsonObject { ["propertyName"] = tags[0]!.Value.Property, ["mapping"] = mapping };
                schema["required"] = new JsonArray(tags[0]!.Value.Property); // every body has it (OpenAPI asks the union to say so)
            }
            result.Content = new Dictionary<string, IOpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = ToSchema(schema, document) } };
        }
        else if (responses.Where(r => r.ContentType is not null).Select(r => r.ContentType!).Distinct().ToList() is { Count: > 0 } contentTypes)
        {
            result.Content = new Dictionary<string, IOpenApiMediaType>();
            foreach (var contentType in contentTypes)
            {
                var schema = contentType.StartsWith("application/json", StringComparison.Ordinal) ? new JsonObject { ["type"] = "object" }
                    : contentType.StartsWith("image/", StringComparison.Ordinal) ? new JsonObject { ["type"] = "string", ["contentEncoding"] = "binary" }
                    : new JsonObject { ["type"] = "string" };
                result.Content[contentType.Split(';')[0]] = new OpenApiMediaType { Schema = ToSchema(schema, document) };
            }
        }
        if (responses.Any(r => r.Location))
            result.Headers = new Dictionary<string, IOpenApiHeader> { ["Location"] = Header(response.Status == HttpStatusCode.Accepted
                ? "The URL to poll for the queued work's status: path-absolute (`/api/…`), relative to the API's origin."
                : "The created resource's URL: path-absolute (`/api/…`), relative to the API's origin; it answers GET with the resource.", "string") };
        if (response.Status == HttpStatusCode.Found)
            result.Headers = new Dictionary<string, IOpenApiHeader> { ["Location"] = Header("Where the browser goes next.", "string") };
        return result;
    }

    private static IEnumerable<IOpenApiParameter> Parameters(FunctionFacts facts)
    {
        foreach (Match match in RouteParameter().Matches(facts.Function.Route))
        {
            var name = match.Groups["name"].Value;
            var constraint = match.Groups["constraint"].Success ? match.Groups["constraint"].Value : null;
            var clrType = facts.Method.GetParameters().FirstOrDefault(p => p.Name == name)?.ParameterType;
            yield return new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Path,
                Required = true,
                Description = name == "course" ? "The course's id (a GUID) or its slug." : null,
                Schema = constraint switch
                {
                    "guid" => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                    "int" or "long" => new OpenApiSchema { Type = JsonSchemaType.Integer },
                    "bool" => new OpenApiSchema { Type = JsonSchemaType.Boolean },
                    _ when clrType == typeof(Guid) => new OpenApiSchema { Type = JsonSchemaType.String, Format = "uuid" },
                    _ when clrType == typeof(int) => new OpenApiSchema { Type = JsonSchemaType.Integer },
                    _ => new OpenApiSchema { Type = JsonSchemaType.String },
                },
            };
        }
        if (facts.Paged)
        {
            yield return Query("page", "The page, from 1.", new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "1", Default = 1 });
            yield return Query("pageSize", $"Items a page, 1 to {Http.PageRequest.MaxSize}.", new OpenApiSchema
            {
                Type = JsonSchemaType.Integer, Minimum = "1", Maximum = Http.PageRequest.MaxSize.ToString(CultureInfo.InvariantCulture), Default = Http.PageRequest.DefaultSize,
            });
        }
        foreach (var query in facts.QueryParameters)
        {
            var schema = new OpenApiSchema
            {
                Type = query.Type == typeof(int) || query.Type == typeof(long) ? JsonSchemaType.Integer
                    : query.Type == typeof(bool) ? JsonSchemaType.Boolean : JsonSchemaType.String,
                Format = query.Type == typeof(Guid) ? "uuid" : null,
            };
            if (query.Values is { } values) schema.Enum = [.. values.Select(v => (JsonNode)v)];
            if (query.Minimum != long.MinValue) schema.Minimum = query.Minimum.ToString(CultureInfo.InvariantCulture);
            if (query.Maximum != long.MaxValue) schema.Maximum = query.Maximum.ToString(CultureInfo.InvariantCulture);
            if (query.MaxLength >= 0) schema.MaxLength = query.MaxLength;
            if (query.Default is { } value)
                schema.Default = schema.Type == JsonSchemaType.Integer ? JsonValue.Create(long.Parse(value, CultureInfo.InvariantCulture))
                    : schema.Type == JsonSchemaType.Boolean ? JsonValue.Create(bool.Parse(value)) : JsonValue.Create(value);
            var parameter = Query(query.Name, query.Description, schema);
            parameter.Required = query.Required;
            yield return parameter;
        }
    }

    private static OpenApiParameter Query(string name, string description, OpenApiSchema schema) =>
        new() { Name = name, In = ParameterLocation.Query, Description = description, Schema = schema };

    private static OpenApiHeader Header(string description, string type) => new()
    {
        Description = description,
        Schema = new OpenApiSchema { Type = type == "integer" ? JsonSchemaType.Integer : JsonSchemaType.String },
    };

    /// <summary>A JSON Schema node as a Microsoft.OpenApi schema, its <c>$ref</c>s bound to the document's components.</summary>
    private static IOpenApiSchema ToSchema(JsonNode node, OpenApiDocument document)
    {
        if (node is JsonObject { Count: 1 } only && only["$ref"]?.GetValue<string>() is { } reference && reference.StartsWith(SchemaComponents.Prefix, StringComparison.Ordinal))
            return new OpenApiSchemaReference(reference[SchemaComponents.Prefix.Length..], document);
        var schema = new OpenApiJsonReader().ReadFragment<OpenApiSchema>(node.DeepClone(), OpenApiSpecVersion.OpenApi3_1, document, out var diagnostic);
        if (schema is null || diagnostic?.Errors.Count > 0)
            throw new InvalidOperationException($"Schema not readable: {string.Join("; ", diagnostic?.Errors.Select(e => e.Message) ?? [])}: {node.ToJsonString()}");
        return schema;
    }

    private static JsonObject ProblemCodeEnum() => new()
    {
        ["type"] = "string",
        ["description"] = "The stable code of a problem; each has its own `type` URI (`" + ProblemCode.TypeBase + "<code with dashes>`). See the table in the API description.",
        ["enum"] = new JsonArray([.. ProblemCodes.All.Select(c => (JsonNode)c.Code)]),
    };

    private static string Introduction()
    {
        var text = new StringBuilder("""
            The contract of the Course Platform backend, generated from the functions of this build.

            **Authentication.** Functions marked with the `bearer` scheme need `Authorization: Bearer <accessToken>` (from `POST /auth/login`, `POST /auth/exchange` or `POST /auth/refresh`). A token sent to any function is checked: an invalid or expired one is `401 invalid_token`, whatever the function.

            **Dates** are ISO-8601 instants in UTC with milliseconds: `2026-03-01T09:30:00.000Z`. **Lists** take `?page=&pageSize=` and return `{ items, page, pageSize, total }`.

            **Errors** are RFC 9457 `application/problem+json`: `type` (a URI per code), `title`, `status`, `detail` (English, for people), `code` (stable, for programs), `traceId` (the request's W3C trace id) and, for `validation_failed`, `errors` (field -> messages). Each operation lists the codes it can return.

            | code | status | type | meaning |
            |---|---|---|---|

            """);
        foreach (var code in ProblemCodes.All)
            text.Append(CultureInfo.InvariantCulture, $"| `{code.Code}` | {(int)code.Status} | `{code.Type}` | {code.Description} |\n");
        return text.ToString();
    }

    /// <summary>A function class's tag: its feature folder, the namespace segment after <c>Features</c>.</summary>
    public static string TagOf(Type functionClass)
    {
        ArgumentNullException.ThrowIfNull(functionClass);
        var parts = (functionClass.Namespace ?? "").Split('.');
        var index = Array.IndexOf(parts, "Features");
        return index >= 0 && index + 1 < parts.Length ? parts[index + 1] : parts[^1];
    }

    private static string Humanize(string name)
    {
        var words = Words().Matches(name).Select(m => m.Value).ToList();
        return string.Join(' ', words.Select((w, i) => i == 0 ? w : w.Length > 1 && w.All(char.IsUpper) ? w : w.ToLowerInvariant()));
    }

    private static string ReasonPhrase(HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => "OK",
        HttpStatusCode.Created => "Created",
        HttpStatusCode.Accepted => "Accepted (queued; poll the `Location` URL)",
        HttpStatusCode.NoContent => "No content",
        HttpStatusCode.Found => "Found (a redirect)",
        HttpStatusCode.NotModified => "Not modified (the `If-None-Match` ETag is current)",
        HttpStatusCode.ServiceUnavailable => "Unhealthy: a dependency is down",
        _ => status.ToString(),
    };

    [GeneratedRegex(@"\{(\w+)(?::[^}]*)?\}")]
    private static partial Regex RouteConstraint();

    [GeneratedRegex(@"\{(?<name>\w+)(?::(?<constraint>\w+))?\??\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"[A-Z]+(?![a-z])|[A-Z][a-z]*|[a-z]+|\d+")]
    private static partial Regex Words();
}
