using System.Text.Json;
using CoursePlatform.FunctionsHost.Functions;

namespace CoursePlatform.FunctionsHost.Tests;

/// <summary>
/// The real host's checks of a function set (FunctionSetValidator), one rule per test, each on a tiny set that breaks
/// it: the function in error is left out with the real host's message, the others are accepted.
/// </summary>
public sealed class FunctionSetValidatorTests
{
    private const string HttpOut = """{"name":"$return","type":"http","direction":"Out"}""";
    private const string Timer = """{"name":"timer","type":"timerTrigger","direction":"In","schedule":"0 0 * * * *"}""";

    [Theory]
    [InlineData("1st")]
    [InlineData("has.dot")]
    [InlineData("has space")]
    [InlineData("host")]
    [InlineData("HOST")]
    public void A_function_name_must_follow_the_pattern_and_not_be_host(string name)
    {
        var result = Validate(Function(name, Timer), Function("Valid-name_2", Timer));

        AssertInError(result, name, $"'{name}' is not a valid function name.");
        Assert.Equal(["Valid-name_2"], result.Accepted.Select(f => f.Name));
    }

    [Fact]
    public void A_function_name_has_at_most_128_characters()
    {
        var longest = "a" + new string('b', 127);
        var tooLong = longest + "c";

        var result = Validate(Function(longest, Timer), Function(tooLong, Timer));

        AssertInError(result, tooLong, $"'{tooLong}' is not a valid function name.");
        Assert.Equal([longest], result.Accepted.Select(f => f.Name));
    }

    [Theory]
    [InlineData("my-request")]
    [InlineData("1request")]
    [InlineData("$Return")]
    public void A_binding_name_must_follow_the_pattern(string bindingName)
    {
        var result = Validate(Function("Items", HttpNamed("items", bindingName), HttpOut));
        AssertInError(result, "Items", $"The binding name {bindingName} is invalid. Please assign a valid name to the binding.");
    }

    [Fact]
    public void A_return_binding_must_be_an_output()
    {
        var result = Validate(Function("Items", Http("items"), """{"name":"$return","type":"http","direction":"In"}"""));
        AssertInError(result, "Items", "$return bindings must specify a direction of 'out'.");
    }

    [Fact]
    public void A_binding_direction_must_be_in_out_or_inout()
    {
        var result = Validate(
            Function("Sideways", Timer, """{"name":"extra","type":"blob","direction":"sideways"}"""),
            Function("InOut", Timer, """{"name":"extra","type":"blob","direction":"InOut"}"""));

        AssertInError(result, "Sideways", "'sideways' is not a valid binding direction.");
        Assert.Equal(["InOut"], result.Accepted.Select(f => f.Name));
    }

    [Fact]
    public void Binding_names_must_be_unique_ignoring_case()
    {
        var result = Validate(Function("Items", HttpNamed("items", "req"), """{"name":"REQ","type":"http","direction":"Out"}"""));
        AssertInError(result, "Items", "Multiple bindings with name 'REQ' discovered. Binding names must be unique.");
    }

    [Fact]
    public void A_function_needs_at_least_one_binding()
    {
        var result = Validate(Function("Empty"));
        AssertInError(result, "Empty", "At least one binding must be declared.");
    }

    [Fact]
    public void A_function_needs_a_trigger_among_its_inputs()
    {
        var result = Validate(
            Function("OutputOnly", HttpOut),
            Function("TriggerAsOutput", """{"name":"timer","type":"timerTrigger","direction":"Out"}"""));

        AssertInError(result, "OutputOnly", "No trigger binding specified. A function must have a trigger input binding.");
        AssertInError(result, "TriggerAsOutput", "No trigger binding specified. A function must have a trigger input binding.");
    }

    [Fact]
    public void A_function_needs_a_script_file()
    {
        var result = FunctionSetValidator.Validate([new FunctionMetadataEntry("NoScript", "", [Timer])], new FunctionSetValidationOptions());
        AssertInError(result, "NoScript",
            "Unable to determine the primary function script. Make sure at least one script file is present. Try renaming your entry point script to 'run' or alternatively you can specify the name of the entry point script explicitly by adding a 'scriptFile' property to your function metadata.");
    }

    [Fact]
    public void Every_binding_needs_a_type()
    {
        var result = Validate(Function("Untyped", Timer, """{"name":"extra","direction":"In"}"""));
        AssertInError(result, "Untyped", "Binding 'extra' is invalid. Bindings must specify a Type.");
    }

    [Fact]
    public void A_function_has_a_single_trigger()
    {
        var result = Validate(Function("TwoTriggers", Http("items"), Timer, HttpOut));
        AssertInError(result, "TwoTriggers", "Multiple trigger bindings defined. A function can only have a single trigger binding.");
    }

    [Fact]
    public void Binding_types_the_host_does_not_know_are_not_registered()
    {
        var result = Validate(
            Function("Queued", """{"name":"message","type":"queueTrigger","direction":"In","queueName":"q"}""",
                """{"name":"copy","type":"queue","direction":"Out"}""", """{"name":"next","type":"queue","direction":"Out"}"""),
            Function("Typo", """{"name":"blob","type":"blobsTrigger","direction":"In","path":"c/{name}"}"""),
            // Known types match ignoring case; a blob input is known (declared, not supplied by this host).
            Function("KnownTypes", """{"name":"timer","type":"TIMERTRIGGER","direction":"In","schedule":"0 0 * * * *"}""",
                """{"name":"source","type":"blob","direction":"In","path":"c/x"}"""));

        AssertInError(result, "Queued", "The binding type(s) 'queueTrigger, queue' are not registered. Please ensure the type is correct and the binding extension is installed.");
        AssertInError(result, "Typo", "The binding type(s) 'blobsTrigger' are not registered. Please ensure the type is correct and the binding extension is installed.");
        Assert.Equal(["KnownTypes"], result.Accepted.Select(f => f.Name));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("admin/courses")]
    [InlineData("/Admin/courses/")]
    [InlineData("administrator/ping")]
    [InlineData("runtime/webhooks/blobs")]
    [InlineData("runtimes")]
    public void Routes_in_the_hosts_admin_and_runtime_space_are_refused(string route)
    {
        var result = Validate(Function("Reserved", Http(route), HttpOut), Function("Managed", Http("manage/courses"), HttpOut));

        AssertInError(result, "Reserved", "The specified route conflicts with one or more built in routes.");
        Assert.Equal(["Managed"], result.Accepted.Select(f => f.Name));
    }

    [Fact]
    public void A_function_without_a_route_is_routed_by_its_name_which_may_be_reserved_too()
    {
        var result = Validate(Function("AdminReport", Http(null), HttpOut), Function("Report", Http(null), HttpOut));

        AssertInError(result, "AdminReport", "The specified route conflicts with one or more built in routes.");
        Assert.Equal(["Report"], result.Accepted.Select(f => f.Name));
    }

    [Fact]
    public void A_route_that_conflicts_with_an_accepted_function_is_refused()
    {
        // Functions are checked in name order: "a-items" keeps the route although listed last.
        var result = Validate(
            Function("b-items", Http("/ITEMS/{id}/", "get", "post"), HttpOut),
            Function("a-items", Http("items/{id}", "get"), HttpOut),
            Function("c-all-methods", Http("items/{id}"), HttpOut),
            Function("d-other-method", Http("items/{id}", "delete"), HttpOut),
            Function("e-method-case", Http("items/{id}", "GET"), HttpOut));

        AssertInError(result, "b-items", "The route specified conflicts with the route defined by function 'a-items'.");
        AssertInError(result, "c-all-methods", "The route specified conflicts with the route defined by function 'a-items'.");
        // Methods are compared exactly, as the real host does: "GET" does not meet "get".
        Assert.Equal(["a-items", "d-other-method", "e-method-case"], result.Accepted.Select(f => f.Name));
    }

    [Fact]
    public void An_http_function_name_must_be_unique()
    {
        var result = Validate(Function("Items", Http("items"), HttpOut), Function("Items", Http("more-items"), HttpOut));

        Assert.Equal(["The function or proxy name 'Items' must be unique within the function app."], result.Errors["Items"]);
        Assert.Single(result.Accepted);
    }

    [Fact]
    public void Flex_consumption_refuses_blob_triggers_not_sourced_from_event_grid()
    {
        FunctionMetadataEntry[] functions =
        [
            Function("Scanned", """{"name":"blob","type":"blobTrigger","direction":"In","path":"c/{name}"}"""),
            Function("Logs", """{"name":"blob","type":"blobTrigger","direction":"In","path":"c/{name}","source":"LogsAndContainerScan"}"""),
            Function("Events", """{"name":"blob","type":"blobTrigger","direction":"In","path":"c/{name}","Source":"eventgrid"}"""),
        ];

        var flex = FunctionSetValidator.Validate(functions, new FunctionSetValidationOptions(FlexConsumption: true));
        var other = FunctionSetValidator.Validate(functions, new FunctionSetValidationOptions());

        foreach (var name in new[] { "Scanned", "Logs" })
        {
            AssertInError(flex, name, $"The Flex Consumption SKU only supports EventGrid as the source for BlobTrigger functions. Please update function '{name}' to use EventGrid. For more information see https://aka.ms/blob-trigger-eg.");
        }
        Assert.Equal(["Events"], flex.Accepted.Select(f => f.Name));
        Assert.Empty(other.Errors);
    }

    [Fact]
    public void Flex_consumption_is_emulated_when_the_sku_setting_says_so()
    {
        var hostJson = new FunctionsHost.Configuration.HostJson("api", 5, TimeSpan.FromMinutes(5), new Dictionary<string, Microsoft.Extensions.Logging.LogLevel>());
        var flex = new FunctionsHost.Configuration.AppSettings(new Dictionary<string, string> { ["WEBSITE_SKU"] = "flexconsumption" });
        var dedicated = new FunctionsHost.Configuration.AppSettings(new Dictionary<string, string> { ["WEBSITE_SKU"] = "ElasticPremium" });

        Assert.True(FunctionSetValidationOptions.From(flex, hostJson).FlexConsumption);
        Assert.False(FunctionSetValidationOptions.From(dedicated, hostJson).FlexConsumption);
    }

    [Theory]
    [InlineData("items/{id", "api/items/{id", "There is an incomplete parameter in the route template.")]
    [InlineData("/items", "api//items", "The route template separator character '/' cannot appear consecutively.")]
    [InlineData("items/{id:nosuch}", "api/items/{id:nosuch}", "The constraint entry 'id' - 'nosuch' on the route 'api/items/{id:nosuch}' could not be resolved")]
    public void An_invalid_route_template_is_a_host_error(string route, string template, string reason)
    {
        var fine = Function("Fine", Http("fine/{id:regex(^\\d+$)}/{name?}/{*rest}"), HttpOut);
        var result = Validate(Function("Broken", Http(route), HttpOut), fine);
        Assert.Null(Validate(fine).HostError);

        Assert.NotNull(result.HostError);
        Assert.StartsWith($"Microsoft.AspNetCore.Routing: An error occurred while creating the route with name 'Broken' and template '{template}'. ",
            result.HostError, StringComparison.Ordinal);
        Assert.Contains(reason, result.HostError, StringComparison.Ordinal);
        Assert.Empty(result.Errors);
    }

    [Fact]
    public void Only_the_functions_not_in_error_have_their_routes_built_or_claim_a_route()
    {
        // "admin/{x" is in error for its prefix, so its template is never built; "1bad" never reaches the route checks.
        var result = Validate(
            Function("AdminBroken", Http("admin/{x"), HttpOut),
            Function("1bad", Http("items"), HttpOut),
            Function("Items", Http("items"), HttpOut));

        Assert.Null(result.HostError);
        Assert.Equal(["1bad", "AdminBroken"], result.Errors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["Items"], result.Accepted.Select(f => f.Name));
    }

    private static FunctionMetadataEntry Function(string name, params string[] bindings) => new(name, "App.dll", bindings);

    private static string Http(string? route, params string[] methods) => HttpNamed(route, "req", methods);

    private static string HttpNamed(string? route, string bindingName, params string[] methods) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["name"] = bindingName,
        ["type"] = "httpTrigger",
        ["direction"] = "In",
        ["authLevel"] = "Anonymous",
        ["methods"] = methods.Length == 0 ? null : methods,
        ["route"] = route,
    });

    private static FunctionSetValidation Validate(params FunctionMetadataEntry[] functions) =>
        FunctionSetValidator.Validate(functions, new FunctionSetValidationOptions());

    private static void AssertInError(FunctionSetValidation result, string name, string message)
    {
        Assert.True(result.Errors.TryGetValue(name, out var errors), $"'{name}' is not in error; errors: {JsonSerializer.Serialize(result.Errors)}");
        Assert.Equal([message], errors);
        Assert.DoesNotContain(result.Accepted, f => f.Name == name);
    }
}
