using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using CoursePlatform.Functions.Infrastructure.Http;

namespace CoursePlatform.Functions.Infrastructure.OpenApi;

/// <summary>
/// JSON Schemas of the request and response types, made by <see cref="JsonSchemaExporter"/> from the API's own
/// serializer options (camelCase, enums as lower_snake strings, nullability from the annotations), with the data
/// annotations the request validation enforces (<c>[Required]</c>, <c>[MaxLength]</c>, <c>[Range]</c>, …). Every
/// type of this app becomes a named component (<c>#/components/schemas/Name</c>); a type read as a request has
/// the fields a client may leave out as optional, a response type lists every field it always writes as required.
/// </summary>
internal sealed class SchemaComponents(JsonSerializerOptions options, XmlDocs docs)
{
    public const string Prefix = "#/components/schemas/";

    private readonly Dictionary<(Type Type, bool Request), string> names = [];
    private readonly HashSet<string> taken = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, JsonObject> schemas = new(StringComparer.Ordinal);
    private readonly Queue<(Type Type, bool Request, string Name)> pending = new();

    /// <summary>The schema of a body: a reference for an app type, inline otherwise (with references inside).</summary>
    public JsonNode For(Type type, bool request)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (IsNamed(type)) return Ref(type, request);
        return Export(type, request);
    }

    /// <summary>Adds a ready-made component.</summary>
    public void Add(string name, JsonObject schema)
    {
        taken.Add(name);
        schemas[name] = schema;
    }

    /// <summary>Every component referenced so far (exporting each pulls in the ones it references).</summary>
    public IReadOnlyDictionary<string, JsonObject> Components()
    {
        while (pending.TryDequeue(out var item)) schemas[item.Name] = Export(item.Type, item.Request);
        return schemas;
    }

    private JsonObject Ref(Type type, bool request)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsEnum) request = false; // an enum reads as it writes
        if (!names.TryGetValue((type, request), out var name))
        {
            name = NameOf(type);
            if (!taken.Add(name)) name = (request ? name + "Input" : type.Namespace?.Split('.')[^1] + name);
            taken.Add(name);
            names[(type, request)] = name;
            pending.Enqueue((type, request, name));
        }
        return new JsonObject { ["$ref"] = Prefix + name };
    }

    private JsonObject Export(Type type, bool request)
    {
        var exporter = new JsonSchemaExporterOptions
        {
            TreatNullObliviousAsNonNullable = true,
            TransformSchemaNode = (context, node) => Transform(context, node, request),
        };
        var schema = JsonSchemaExporter.GetJsonSchemaAsNode(options, type, exporter).AsObject();
        schema.Remove("$schema");
        return schema;
    }

    private JsonNode Transform(JsonSchemaExporterContext context, JsonNode node, bool request)
    {
        // "Any JSON" (a JsonElement payload): {} rather than the boolean schema true, which OpenAPI tools read badly.
        if (node is JsonValue any && any.GetValueKind() == JsonValueKind.True) node = new JsonObject();
        var type = context.TypeInfo.Type;
        var property = context.PropertyInfo;
        var attributes = property?.AttributeProvider;
        var required = attributes?.IsDefined(typeof(RequiredAttribute), true) == true;

        // An app type below the root: a reference to its component (null allowed where the property allows it).
        if (context.Path.Length > 0 && IsNamed(type))
        {
            var reference = Ref(type, request);
            var nullable = AllowsNull(node) && !(request && required)
                && !(!request && property?.DeclaringType.Name.StartsWith("<>", StringComparison.Ordinal) == true);
            JsonObject result = nullable ? new JsonObject { ["anyOf"] = new JsonArray(reference, new JsonObject { ["type"] = "null" }) } : reference;
            if (attributes is not null) Describe(result, attributes);
            return result;
        }
        if (node is not JsonObject schema) return node;
        // An anonymous response wrapper ({ items = list }) is generic over its members' types, so the exporter cannot
        // know their nullability and allows null; the code always writes a value there (a list is never null).
        if (!request && property?.DeclaringType.Name.StartsWith("<>", StringComparison.Ordinal) == true) RemoveNull(schema);
        if (attributes?.GetCustomAttributes(typeof(DiscriminatorAttribute), true) is [DiscriminatorAttribute discriminator, ..])
        {
            schema["type"] = "string";
            schema["enum"] = new JsonArray(discriminator.Value);
        }
        // Enums serialize as their lower_snake labels: say so, for generators that type an untyped enum as unknown.
        if (schema["enum"] is JsonArray labels && schema["type"] is null)
            schema["type"] = labels.Any(v => v is null) ? new JsonArray("string", "null") : "string";

        if (context.Path.Length == 0 && context.TypeInfo.Kind == JsonTypeInfoKind.Object)
        {
            if (docs.Summary(type) is { } summary) schema["description"] = summary;
            SetRequired(schema, context.TypeInfo, request);
            if (request) Exclusive(schema, type);
        }
        // A response writes exactly the properties of its type (no extension data, no polymorphic subtypes), so its
        // object schemas are closed; a request's stay open, as the API ignores members it does not know.
        if (!request && context.TypeInfo.Kind == JsonTypeInfoKind.Object) schema["additionalProperties"] = false;
        if (type.IsEnum && context.Path.Length == 0 && docs.Summary(type) is { } enumSummary) schema["description"] = enumSummary;
        if (attributes is not null)
        {
            if (request) Constrain(schema, attributes, required);
            if (attributes.IsDefined(typeof(WebUrlAttribute), true)) WebUrl(schema);
            Describe(schema, attributes);
        }
        return schema;
    }

    /// <summary>What a string needs to count as given: a character that is neither white space nor a control character.</summary>
    public const string NotBlank = @"[^\s\u0000-\u001F\u007F-\u009F]";

    /// <summary>An http(s) URL (<see cref="WebUrlAttribute"/>), or a list of them.</summary>
    private static void WebUrl(JsonObject schema)
    {
        var target = IsType(schema, "array") ? schema["items"] as JsonObject : schema;
        if (target is null) return;
        target["format"] = "uri";
        target["pattern"] = WebUrlAttribute.Pattern;
    }

    /// <summary>
    /// The <see cref="ExclusiveAttribute"/> rules of a request type: exactly one given (<c>oneOf</c> of one per property),
    /// or not both (<c>not</c> of both). Given is what the validation checks: present, not null, a string not blank.
    /// </summary>
    private void Exclusive(JsonObject schema, Type type)
    {
        foreach (var rule in type.GetCustomAttributes<ExclusiveAttribute>())
        {
            var properties = schema["properties"] as JsonObject
                ?? throw new InvalidOperationException($"{type.Name}: [Exclusive] on a type without properties.");
            JsonObject Given(params string[] names)
            {
                var given = new JsonObject();
                foreach (var name in names)
                {
                    var json = options.PropertyNamingPolicy?.ConvertName(name) ?? name;
                    var property = properties[json] as JsonObject
                        ?? throw new InvalidOperationException($"{type.Name}: [Exclusive] names {name}, which it does not have.");
                    given[json] = IsType(property, "string") ? new JsonObject { ["type"] = "string", ["pattern"] = NotBlank } : new JsonObject { ["not"] = new JsonObject { ["type"] = "null" } };
                }
                return new JsonObject { ["required"] = new JsonArray([.. given.Select(g => (JsonNode)g.Key)]), ["properties"] = given };
            }
            if (rule.Rule == ExclusiveAttribute.Mode.ExactlyOne) schema["oneOf"] = new JsonArray([.. rule.Properties.Select(p => (JsonNode)Given(p))]);
            else if (rule.Properties.Count == 2) schema["not"] = Given([.. rule.Properties]);
            else throw new InvalidOperationException($"{type.Name}: [Exclusive(NotBoth)] names two properties.");
        }
    }

    /// <summary>A request may leave out what is optional; a response always writes every field it does not skip when null.</summary>
    private static void SetRequired(JsonObject schema, JsonTypeInfo info, bool request)
    {
        if (schema["properties"] is not JsonObject properties) return;
        var required = new JsonArray();
        foreach (var property in info.Properties)
        {
            if (property.Get is null && !request) continue;
            bool isRequired;
            if (request)
            {
                var annotated = property.IsRequired || property.AttributeProvider?.IsDefined(typeof(RequiredAttribute), true) == true;
                isRequired = annotated || (properties[property.Name] is { } p && !AllowsNull(p));
            }
            else isRequired = property.ShouldSerialize is null;
            if (isRequired) required.Add(property.Name);
        }
        if (required.Count > 0) schema["required"] = required;
        else schema.Remove("required");
    }

    private void Constrain(JsonObject schema, ICustomAttributeProvider attributes, bool required)
    {
        var isArray = IsType(schema, "array");
        if (required) RemoveNull(schema);
        foreach (var attribute in attributes.GetCustomAttributes(true))
        {
            switch (attribute)
            {
                case MaxLengthAttribute max:
                    schema[isArray ? "maxItems" : "maxLength"] = max.Length;
                    break;
                case MinLengthAttribute min:
                    schema[isArray ? "minItems" : "minLength"] = min.Length;
                    break;
                case StringLengthAttribute length:
                    schema["maxLength"] = length.MaximumLength;
                    if (length.MinimumLength > 0) schema["minLength"] = length.MinimumLength;
                    break;
                case RangeAttribute range when range.Minimum is int or double && range.Maximum is int or double:
                    schema["minimum"] = JsonValue.Create(Convert.ToDouble(range.Minimum, System.Globalization.CultureInfo.InvariantCulture));
                    schema["maximum"] = JsonValue.Create(Convert.ToDouble(range.Maximum, System.Globalization.CultureInfo.InvariantCulture));
                    break;
                case EmailAddressAttribute:
                    schema["format"] = "email";
                    break;
                case UrlAttribute:
                    schema["format"] = "uri";
                    break;
                case RegularExpressionAttribute regex:
                    schema["pattern"] = regex.Pattern;
                    break;
                case RequiredAttribute when IsType(schema, "string"):
                    schema["minLength"] ??= 1;
                    break;
                case ExactlyOneTrueAttribute one when isArray:
                    var name = options.PropertyNamingPolicy?.ConvertName(one.Property) ?? one.Property;
                    schema["contains"] = new JsonObject
                    {
                        ["required"] = new JsonArray(name),
                        // enum [true], not const: Microsoft.OpenApi keeps const as a string and would write "True".
                        ["properties"] = new JsonObject { [name] = new JsonObject { ["enum"] = new JsonArray(true) } },
                    };
                    schema["minContains"] = 1;
                    schema["maxContains"] = 1;
                    break;
            }
        }
    }

    private void Describe(JsonObject schema, ICustomAttributeProvider attributes)
    {
        if (attributes is MemberInfo member && docs.Summary(member) is { } summary) schema["description"] = summary;
        else if (attributes is ParameterInfo parameter && docs.Param(parameter) is { } param) schema["description"] = param;
    }

    private static bool IsType(JsonObject schema, string type) => schema["type"] switch
    {
        JsonValue value => value.GetValue<string>() == type,
        JsonArray values => values.Any(v => v?.GetValue<string>() == type),
        _ => false,
    };

    private static bool AllowsNull(JsonNode node) => node switch
    {
        JsonObject o when o["type"] is JsonValue t => t.GetValue<string>() == "null",
        JsonObject o when o["type"] is JsonArray a => a.Any(v => v?.GetValue<string>() == "null"),
        JsonObject o when o["enum"] is JsonArray e => e.Any(v => v is null),
        JsonObject o when o["anyOf"] is JsonArray any => any.Any(v => v is not null && AllowsNull(v)),
        JsonObject o => o.Count == 0,
        _ => true,
    };

    private static void RemoveNull(JsonObject schema)
    {
        if (schema["type"] is JsonArray types)
        {
            var rest = types.Where(t => t?.GetValue<string>() != "null").Select(t => t!.GetValue<string>()).ToList();
            schema["type"] = rest.Count == 1 ? JsonValue.Create(rest[0]) : new JsonArray([.. rest.Select(r => (JsonNode)JsonValue.Create(r))]);
        }
        if (schema["enum"] is JsonArray values)
            schema["enum"] = new JsonArray([.. values.Where(v => v is not null).Select(v => v!.DeepClone())]);
    }

    /// <summary>
    /// The JSON name and value of <paramref name="type"/>'s <see cref="DiscriminatorAttribute"/> property, if it has one.
    /// </summary>
    public (string Property, string Value)? DiscriminatorOf(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        foreach (var member in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (member.GetCustomAttribute<DiscriminatorAttribute>() is { } attribute)
                return (options.PropertyNamingPolicy?.ConvertName(member.Name) ?? member.Name, attribute.Value);
        }
        return null;
    }

    /// <summary>This app's own classes, records and enums get components; framework and anonymous types stay inline.</summary>
    public static bool IsNamed(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.Namespace?.StartsWith("CoursePlatform.", StringComparison.Ordinal) == true
            && !type.Name.StartsWith('<') && !type.IsGenericTypeDefinition && !type.IsPrimitive;
    }

    /// <summary><c>PagedList&lt;CourseSummary&gt;</c> becomes <c>PagedListOfCourseSummary</c>.</summary>
    private static string NameOf(Type type) => type.IsGenericType
        ? type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)] + "Of" + string.Join("And", type.GetGenericArguments().Select(NameOf))
        : type.IsArray ? NameOf(type.GetElementType()!) + "Array"
        : type.Name;
}
