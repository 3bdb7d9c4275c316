using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CoursePlatform.FunctionsHost.Configuration;
using Microsoft.AspNetCore.Routing.Constraints;
using Microsoft.Azure.Functions.Worker.Grpc.Messages;

namespace CoursePlatform.FunctionsHost.Functions;

/// <summary>A function as the worker (or functions.metadata) reports it: its name, script file and raw binding JSON.</summary>
public sealed record FunctionMetadataEntry(string Name, string? ScriptFile, IReadOnlyList<string> RawBindings)
{
    public static FunctionMetadataEntry From(RpcFunctionMetadata metadata) => new(metadata.Name, metadata.ScriptFile, [.. metadata.RawBindings]);
}

/// <summary>What the validation depends on besides the functions: host.json's route prefix and the emulated plan.</summary>
public sealed record FunctionSetValidationOptions(string RoutePrefix = "api", bool FlexConsumption = false)
{
    /// <summary>
    /// The app setting the platform sets to the plan's SKU; the real host reads it in
    /// EnvironmentExtensions.IsFlexConsumptionSku (WEBSITE_SKU = "FlexConsumption").
    /// </summary>
    public const string SkuSetting = "WEBSITE_SKU";
    public const string FlexConsumptionSku = "FlexConsumption";

    public static FunctionSetValidationOptions From(AppSettings settings, HostJson hostJson) =>
        new(hostJson.RoutePrefix, string.Equals(settings[SkuSetting], FlexConsumptionSku, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The outcome: the functions the host runs, the functions in error (name, ignoring case, to messages, as the real
/// host's ScriptHost.FunctionErrors) and a host error, which stops the whole host rather than one function.
/// </summary>
public sealed class FunctionSetValidation(
    IReadOnlyList<FunctionMetadataEntry> accepted, IReadOnlyDictionary<string, IReadOnlyList<string>> errors, string? hostError)
{
    public IReadOnlyList<FunctionMetadataEntry> Accepted { get; } = accepted;
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Errors { get; } = errors;
    public string? HostError { get; } = hostError;
}

/// <summary>
/// The real Functions host's checks of a function set, ported (behaviour, not code) from Azure/azure-functions-host
/// v4.1037: a function that breaks a rule is "in error" and left out while the others run; an HTTP route that is not
/// a valid template stops the host. Stages and their order follow the real host: the worker metadata provider, the
/// metadata manager, the descriptor provider, ScriptHost, then the HTTP routes.
/// </summary>
public static partial class FunctionSetValidator
{
    /// <summary>
    /// The binding types this host knows, as the real host knows those of its built-in and installed extensions
    /// (ignoring case, like its binding providers): the HTTP trigger and output and the timer trigger (built in), and
    /// the Storage Blobs extension's trigger and its input/output binding (not supplied here: a warning says to use
    /// the SDK client, as the app does). Queues, Event Hubs, Durable Functions and others are not run by this host.
    /// </summary>
    public static readonly IReadOnlySet<string> KnownBindingTypes =
        new HashSet<string>(["httpTrigger", "http", "timerTrigger", "blobTrigger", "blob"], StringComparer.OrdinalIgnoreCase);

    public static FunctionSetValidation Validate(IEnumerable<FunctionMetadataEntry> functions, FunctionSetValidationOptions options)
    {
        ArgumentNullException.ThrowIfNull(functions);
        ArgumentNullException.ThrowIfNull(options);
        var errors = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        void AddError(string name, string message)
        {
            if (!errors.TryGetValue(name, out var messages)) errors[name] = messages = [];
            if (!messages.Contains(message, StringComparer.Ordinal)) messages.Add(message);
        }

        var all = functions.ToList();
        var indexed = new List<IndexedFunction>();
        foreach (var entry in all)
        {
            var error = ValidateMetadata(entry, out var bindings) ?? ValidateScriptFile(entry);
            if (error is null) indexed.Add(new IndexedFunction(entry, bindings));
            else AddError(entry.Name, error);
        }

        // FunctionMetadataManager.LoadFunctionMetadata hands ScriptHost the functions ordered by name (ignoring case), so
        // in a route conflict the function whose name sorts first keeps the route.
        var httpFunctions = new Dictionary<string, HttpRoute>(StringComparer.Ordinal);
        var described = new List<IndexedFunction>();
        foreach (var function in indexed.OrderBy(f => f.Entry.Name, StringComparer.OrdinalIgnoreCase))
        {
            var error = ValidateDescriptor(function) ?? ValidateFunction(function, httpFunctions, options);
            if (error is null) described.Add(function);
            else AddError(function.Entry.Name, error);
        }

        var hostError = described.Select(f => RouteTemplateError(f, options)).FirstOrDefault(e => e is not null);
        var accepted = all.Where(entry => described.Any(f => ReferenceEquals(f.Entry, entry))).ToList();
        return new FunctionSetValidation(
            accepted,
            errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value, StringComparer.OrdinalIgnoreCase),
            hostError);
    }

    /// <summary>
    /// WorkerFunctionMetadataProvider.ValidateMetadata: the name (Utility.ValidateName), then ValidateBindings: each
    /// binding read (BindingMetadata.Create) and checked (Utility.ValidateBinding), no two binding names alike
    /// ignoring case, at least one binding, and an input binding that is a trigger.
    /// </summary>
    private static string? ValidateMetadata(FunctionMetadataEntry entry, out List<Binding> bindings)
    {
        bindings = [];
        // Utility.ValidateName: FunctionNameValidationRegex, which also excludes "host".
        if (!FunctionName().IsMatch(entry.Name) || string.Equals(entry.Name, "host", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{entry.Name}' is not a valid function name.";
        }
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var raw in entry.RawBindings)
        {
            var error = Binding.TryParse(raw, out var binding);
            if (error is not null) return error;
            // Utility.ValidateBinding: BindingNameValidationRegex (case-sensitive, "$return" exactly), and a return
            // binding (named "$return" ignoring case) must be an output.
            if (binding.Name is null || !BindingName().IsMatch(binding.Name))
            {
                return $"The binding name {binding.Name} is invalid. Please assign a valid name to the binding.";
            }
            if (string.Equals(binding.Name, "$return", StringComparison.OrdinalIgnoreCase) && binding.Direction != BindingDirection.Out)
            {
                return "$return bindings must specify a direction of 'out'.";
            }
            if (!names.Add(binding.Name))
            {
                return $"Multiple bindings with name '{binding.Name}' discovered. Binding names must be unique.";
            }
            bindings.Add(binding);
        }
        if (bindings.Count == 0) return "At least one binding must be declared.";
        // The real host evaluates IsTrigger on a binding without a type here and fails with a NullReferenceException;
        // such a binding is left to the descriptor stage instead, whose message names the problem.
        if (!bindings.Any(b => b.IsInput && b.IsTrigger))
        {
            return "No trigger binding specified. A function must have a trigger input binding.";
        }
        return null;
    }

    /// <summary>FunctionMetadataManager.IsScriptFileDetermined: a function without a script file is in error.</summary>
    /// <remarks>
    /// The manager's other check, "Found duplicate FunctionMetadata with the name ..." (AddMetadataFromCustomProviders),
    /// only guards functions that custom IFunctionProviders add on top of the worker's list and stops the host; this
    /// host has no such providers. Names repeated within the worker's list reach ScriptHost.ValidateFunction below.
    /// </remarks>
    private static string? ValidateScriptFile(FunctionMetadataEntry entry) =>
        string.IsNullOrEmpty(entry.ScriptFile)
            ? "Unable to determine the primary function script. Make sure at least one script file is present. Try renaming your entry point script to 'run' or alternatively you can specify the name of the entry point script explicitly by adding a 'scriptFile' property to your function metadata."
            : null;

    /// <summary>
    /// FunctionDescriptorProvider.TryCreate: ValidateFunction (ValidateBinding: a type is required; a single trigger;
    /// its binding-name checks already passed in ValidateMetadata), then VerifyResolvedBindings with CreateBindingError
    /// for the types no binding provider resolves (listed once each, inputs first, in declaration order).
    /// </summary>
    private static string? ValidateDescriptor(IndexedFunction function)
    {
        if (function.Bindings.FirstOrDefault(b => b.Type is null) is { } untyped)
        {
            return $"Binding '{untyped.Name}' is invalid. Bindings must specify a Type.";
        }
        if (function.Bindings.Count(b => b.IsInput && b.IsTrigger) > 1)
        {
            return "Multiple trigger bindings defined. A function can only have a single trigger binding.";
        }
        var unresolved = function.Bindings.Where(b => b.IsInput).Concat(function.Bindings.Where(b => !b.IsInput))
            .Select(b => b.Type!).Where(type => !KnownBindingTypes.Contains(type)).Distinct(StringComparer.Ordinal).ToList();
        return unresolved.Count > 0
            ? $"The binding type(s) '{string.Join(", ", unresolved)}' are not registered. Please ensure the type is correct and the binding extension is installed."
            : null;
    }

    /// <summary>
    /// ScriptHost.ValidateFunction: for an HTTP trigger ValidateHttpFunction, then no route conflict with the HTTP
    /// functions accepted so far (HttpRoutesConflict), then a name no accepted HTTP function has (compared exactly, as
    /// its dictionary does); on Flex Consumption, a blob trigger must be Event Grid-sourced
    /// (FunctionMetadataExtensions.IsLegacyBlobTriggerFunction).
    /// </summary>
    private static string? ValidateFunction(IndexedFunction function, Dictionary<string, HttpRoute> httpFunctions, FunctionSetValidationOptions options)
    {
        var name = function.Entry.Name;
        var trigger = function.Trigger;
        if (string.Equals(trigger.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase))
        {
            var route = function.HttpRoute;
            // ValidateHttpFunction: the host's own routes (admin/..., runtime/...) are reserved. It tests the raw prefix,
            // so "administrator/x" and "runtimes" are refused too.
            var trimmed = route.Template.Trim('/').ToLowerInvariant();
            if (trimmed.StartsWith("admin", StringComparison.Ordinal) || trimmed.StartsWith("runtime", StringComparison.Ordinal))
            {
                return "The specified route conflicts with one or more built in routes.";
            }
            foreach (var (other, otherRoute) in httpFunctions)
            {
                if (route.ConflictsWith(otherRoute)) return $"The route specified conflicts with the route defined by function '{other}'.";
            }
            if (httpFunctions.ContainsKey(name))
            {
                return $"The function or proxy name '{name}' must be unique within the function app.";
            }
            httpFunctions.Add(name, route);
        }
        if (options.FlexConsumption && string.Equals(trigger.Type, "blobTrigger", StringComparison.OrdinalIgnoreCase)
            && !string.Equals(trigger.Get("source"), "EventGrid", StringComparison.OrdinalIgnoreCase))
        {
            return $"The Flex Consumption SKU only supports EventGrid as the source for BlobTrigger functions. Please update function '{name}' to use EventGrid. For more information see https://aka.ms/blob-trigger-eg.";
        }
        return null;
    }

    /// <summary>
    /// The real host checks no route template while validating. WebScriptHostHttpRoutesManager.InitializeHttpFunctionRoutes
    /// maps every accepted HTTP function with WebJobsRouteBuilder.MapFunctionRoute, which builds an ASP.NET Core
    /// <see cref="Route"/> for "{routePrefix}/{route}"; an invalid template (or an unknown constraint) throws there,
    /// nothing catches it (ScriptHost.OnHostInitialized), so the host fails to start: a host error, not a function
    /// error. The same Route type checks the same template here, with the constraints AddRouting registers. (Seen on
    /// Azure: MicrosoftDocs/azure-docs#69447, "Functions runtime error ... template 'api//hello'" for a route "/hello".)
    /// </summary>
    private static string? RouteTemplateError(IndexedFunction function, FunctionSetValidationOptions options)
    {
        if (!string.Equals(function.Trigger.Type, "httpTrigger", StringComparison.OrdinalIgnoreCase)) return null;
        var route = function.HttpRoute.Template;
        var template = string.IsNullOrEmpty(options.RoutePrefix) ? route : options.RoutePrefix + "/" + route;
        var constraints = new Dictionary<string, object>();
        if (function.HttpRoute.Methods.Count > 0) constraints.Add("httpMethod", new HttpMethodRouteConstraint([.. function.HttpRoute.Methods]));
        try
        {
            _ = new Route(new RouteHandler(_ => Task.CompletedTask), function.Entry.Name, template, null, constraints, null, ConstraintResolver.Value);
            return null;
        }
        catch (RouteCreationException ex)
        {
            return Flatten(ex);
        }
    }

    private static readonly Lazy<IInlineConstraintResolver> ConstraintResolver = new(() =>
        new ServiceCollection().AddRouting().BuildServiceProvider().GetRequiredService<IInlineConstraintResolver>());

    /// <summary>
    /// An exception and its inner ones as one line, "{source}: {message}." each, as Utility.FlattenException writes the
    /// host error the real host reports (e.g. "Microsoft.AspNetCore.Routing: An error occurred while creating the route ...").
    /// </summary>
    private static string Flatten(Exception exception)
    {
        var parts = new List<string>();
        for (var current = exception; current is not null; current = current.InnerException)
        {
            var message = (string.IsNullOrEmpty(current.Source) ? "" : current.Source + ": ")
                + (current.Message.EndsWith('.') ? current.Message : current.Message + ".");
            if (parts.Count == 0 || !string.Equals(parts[^1].Trim(), message.Trim(), StringComparison.Ordinal)) parts.Add(message);
        }
        return string.Join(" ", parts);
    }

    [GeneratedRegex(@"^[a-z][a-z0-9_\-]{0,127}$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FunctionName();

    [GeneratedRegex(@"^([a-zA-Z][a-zA-Z0-9]{0,127}|\$return)$")]
    private static partial Regex BindingName();

    private enum BindingDirection { In, Out, InOut }

    /// <summary>A raw binding read the way BindingMetadata.Create reads it (property names ignoring case; direction defaults to in).</summary>
    private sealed class Binding
    {
        private readonly JsonObject json;

        private Binding(JsonObject json, string? name, string? type, BindingDirection direction)
        {
            this.json = json;
            Name = name;
            Type = type;
            Direction = direction;
        }

        public string? Name { get; }
        public string? Type { get; }
        public BindingDirection Direction { get; }

        /// <summary>FunctionMetadata.InputBindings holds every binding that is not an output only.</summary>
        public bool IsInput => Direction != BindingDirection.Out;

        public bool IsTrigger => Type?.EndsWith("trigger", StringComparison.OrdinalIgnoreCase) == true;

        public string? Get(string key) => Property(json, key) is JsonValue value ? value.ToString() : null;

        public List<string> GetList(string key) =>
            Property(json, key) is JsonArray array ? array.Select(n => n?.ToString() ?? "").ToList() : [];

        /// <summary>Reads one binding; the error is the function's when it is not a JSON object or its direction is unknown.</summary>
        public static string? TryParse(string raw, out Binding binding)
        {
            binding = null!;
            JsonObject? json;
            try
            {
                json = JsonNode.Parse(raw) as JsonObject;
            }
            catch (JsonException ex)
            {
                return $"A binding is not valid JSON: {ex.Message}";
            }
            if (json is null) return "A binding is not a JSON object.";

            var direction = BindingDirection.In;
            // BindingMetadata.Create: a direction that is not one of the enum's names fails with this message (the real
            // host appends its JSON converter's message as an inner error).
            if (Property(json, "direction") is JsonValue directionValue && directionValue.GetValueKind() != JsonValueKind.Null)
            {
                var text = directionValue.ToString();
                var known = directionValue.GetValueKind() == JsonValueKind.Number
                    ? directionValue.TryGetValue<int>(out var number) && Enum.IsDefined((BindingDirection)number)
                    : Enum.GetNames<BindingDirection>().Any(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
                if (!known) return $"'{text}' is not a valid binding direction.";
                direction = Enum.Parse<BindingDirection>(text, ignoreCase: true);
            }
            binding = new Binding(json, Scalar(json, "name"), Scalar(json, "type"), direction);
            return null;
        }

        private static string? Scalar(JsonObject json, string key) =>
            Property(json, key) is JsonValue value && value.GetValueKind() != JsonValueKind.Null ? value.ToString() : null;

        private static JsonNode? Property(JsonObject json, string key) =>
            json.FirstOrDefault(p => string.Equals(p.Key, key, StringComparison.OrdinalIgnoreCase)).Value;
    }

    /// <summary>An HTTP trigger's route (the function name when it has none, as ValidateHttpFunction sets it) and methods.</summary>
    private sealed record HttpRoute(string Template, IReadOnlyList<string> Methods)
    {
        /// <summary>
        /// ScriptHost.HttpRoutesConflict: the same template without its outer slashes, ignoring case, and a method in
        /// common, no methods meaning all. Methods are compared exactly, as the real host's Intersect does.
        /// </summary>
        public bool ConflictsWith(HttpRoute other) =>
            string.Equals(Template.Trim('/'), other.Template.Trim('/'), StringComparison.OrdinalIgnoreCase)
            && (Methods.Count == 0 || other.Methods.Count == 0 || Methods.Intersect(other.Methods, StringComparer.Ordinal).Any());
    }

    private sealed class IndexedFunction(FunctionMetadataEntry entry, List<Binding> bindings)
    {
        public FunctionMetadataEntry Entry { get; } = entry;
        public IReadOnlyList<Binding> Bindings { get; } = bindings;
        public Binding Trigger => Bindings.First(b => b.IsInput && b.IsTrigger);

        public HttpRoute HttpRoute => new(
            Trigger.Get("route") is { } route && !string.IsNullOrWhiteSpace(route) ? route : Entry.Name,
            Trigger.GetList("methods"));
    }
}
