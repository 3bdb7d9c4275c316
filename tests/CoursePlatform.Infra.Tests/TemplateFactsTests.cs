using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CoursePlatform.Infra.Tests;

/// <summary>Facts about the compiled ARM JSON of infra/bicep/main.bicep that the app and the spec depend on.</summary>
public sealed partial class TemplateFactsTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    /// <summary>Sample settings whose Azure form is a group of identity-based settings.</summary>
    private static readonly Dictionary<string, string[]> AzureForms = new()
    {
        ["AzureWebJobsStorage"] =
        [
            "AzureWebJobsStorage__blobServiceUri", "AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
            "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId",
        ],
    };

    /// <summary>Sample settings that are not app settings on Flex Consumption (checked another way).</summary>
    private static readonly Dictionary<string, string> NotAppSettingsInAzure = new()
    {
        ["FUNCTIONS_WORKER_RUNTIME"] = "set by functionAppConfig.runtime; Flex Consumption rejects it as an app setting",
    };

    /// <summary>Development-only settings that must never reach Azure.</summary>
    private static readonly string[] LocalOnlyPrefixes = ["DemoSeed__"];

    // Database__ConnectionString is one only in password mode: PasswordlessDatabaseTests.
    private static readonly string[] KeyVaultBackedSettings = ["Auth__SigningKey", "Google__ClientSecret"];

    private JsonObject AppSettings
    {
        get
        {
            var config = Assert.Single(compiled.ResourcesOfType("Microsoft.Web/sites/config"),
                r => ((string?)r["name"] ?? "").Contains("'appsettings'", StringComparison.Ordinal));
            return config["properties"]!.AsObject();
        }
    }

    private JsonObject Site => compiled.OnlyOfType("Microsoft.Web/sites");

    [Fact]
    public void Every_sample_setting_is_configured_in_azure_or_listed_as_local_only()
    {
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.RepoRoot, "local.settings.sample.json")))!;
        var sampleKeys = sample["Values"]!.AsObject().Select(p => p.Key).ToList();
        var settings = AppSettings;

        var missing = new List<string>();
        foreach (var key in sampleKeys)
        {
            if (LocalOnlyPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)) || NotAppSettingsInAzure.ContainsKey(key))
                continue;
            var azureKeys = AzureForms.TryGetValue(key, out var forms) ? forms : [key];
            missing.AddRange(azureKeys.Where(k => !settings.ContainsKey(k)));
        }

        Assert.True(missing.Count == 0,
            "Settings of local.settings.sample.json missing from the app settings in infra/bicep/main.bicep: " + string.Join(", ", missing) +
            ". Add them to main.bicep (resource appSettings), or to the local-only list in this test if they must never reach Azure.");
    }

    [Fact]
    public void Local_only_settings_never_reach_azure()
    {
        var leaked = AppSettings.Select(p => p.Key).Where(k => LocalOnlyPrefixes.Any(p => k.StartsWith(p, StringComparison.Ordinal))).ToList();
        Assert.Empty(leaked);
        Assert.False(AppSettings.ContainsKey("FUNCTIONS_WORKER_RUNTIME"));
        Assert.False(AppSettings.ContainsKey("AzureWebJobsStorage"), "no connection string: identity-based storage only");
    }

    [Fact]
    public void App_settings_have_the_production_values_the_app_requires()
    {
        var settings = AppSettings;
        Assert.Equal("Production", (string?)settings["AZURE_FUNCTIONS_ENVIRONMENT"]);
        // The app refuses a loopback authority outside Development; production is pinned to Google.
        Assert.Equal("https://accounts.google.com", (string?)settings["Google__Authority"]);
        Assert.Equal("managedidentity", (string?)settings["AzureWebJobsStorage__credential"]);
        Assert.Contains("userAssignedIdentities", (string?)settings["AzureWebJobsStorage__clientId"]);
        Assert.Contains("userAssignedIdentities", (string?)settings["AZURE_CLIENT_ID"]);
        Assert.Contains(".clientId", (string?)settings["AZURE_CLIENT_ID"]);
        Assert.Contains("/api/auth/google/callback", (string?)settings["Google__CallbackUrl"]);
        Assert.Contains("Authorization=AAD", (string?)settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
        Assert.Equal("0 0 0 * * *", (string?)compiled.Template["parameters"]!["quotaResetSchedule"]!["defaultValue"]);
        Assert.Equal("0 0 * * * *", (string?)compiled.Template["parameters"]!["sessionExpirySchedule"]!["defaultValue"]);
    }

    [Fact]
    public void Secrets_reach_the_app_only_as_key_vault_references()
    {
        var settings = AppSettings;
        foreach (var key in KeyVaultBackedSettings)
        {
            var value = (string?)settings[key];
            Assert.NotNull(value);
            Assert.StartsWith("[format('@Microsoft.KeyVault(SecretUri={0})'", value, StringComparison.Ordinal);
        }

        // Optional keys: empty, or a Key Vault reference when given.
        foreach (var key in new[] { "Embeddings__AzureOpenAI__ApiKey", "ChatModel__ApiKey" })
        {
            var value = (string?)settings[key];
            Assert.NotNull(value);
            Assert.Contains("'@Microsoft.KeyVault(SecretUri={0})'", value, StringComparison.Ordinal);
        }

        var site = Site;
        Assert.Contains("identityId", (string?)site["properties"]!["keyVaultReferenceIdentity"]);

        var vault = compiled.OnlyOfType("Microsoft.KeyVault/vaults");
        Assert.True((bool?)vault["properties"]!["enableRbacAuthorization"]);
        var secretNames = compiled.ResourcesOfType("Microsoft.KeyVault/vaults/secrets").Select(s => (string?)s["name"] ?? "").ToList();
        foreach (var name in new[] { "auth-signing-key", "google-client-secret", "stripe-secret-key", "stripe-webhook-secret" })
            Assert.Contains(secretNames, n => n.Contains(name, StringComparison.Ordinal));
    }

    [Fact]
    public void Secret_parameters_are_secure_and_never_output()
    {
        var parameters = compiled.Template["parameters"]!.AsObject();
        string[] secrets = ["authSigningKey", "googleClientSecret", "postgresAdminPassword", "embeddingsAzureOpenAIApiKey", "chatModelApiKey", "stripeSecretKey", "stripeWebhookSecret"];
        foreach (var name in secrets)
        {
            Assert.Equal("securestring", (string?)parameters[name]!["type"]);
            var defaultValue = parameters[name]!["defaultValue"];
            Assert.True(defaultValue is null || (string?)defaultValue == "", $"{name} has a default value");
        }

        // No output of the main template or of any module mentions a secure parameter.
        foreach (var template in new[] { compiled.Template }.Concat(compiled.Resources()
                     .Where(r => (string?)r.Resource["type"] == "Microsoft.Resources/deployments")
                     .Select(r => r.Resource["properties"]!["template"]!.AsObject())))
        {
            var secureNames = template["parameters"]?.AsObject()
                .Where(p => (string?)p.Value!["type"] == "securestring").Select(p => p.Key).ToList() ?? [];
            var outputs = CompiledTemplate.Text(template["outputs"]);
            foreach (var name in secureNames)
                Assert.DoesNotContain($"parameters('{name}')", outputs, StringComparison.Ordinal);
            Assert.DoesNotContain("listKeys(", outputs, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Storage_account_disallows_shared_keys_and_has_the_containers()
    {
        var storage = compiled.OnlyOfType("Microsoft.Storage/storageAccounts");
        var properties = storage["properties"]!;
        Assert.False((bool?)properties["allowSharedKeyAccess"]);
        Assert.False((bool?)properties["allowBlobPublicAccess"]);
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);

        // The blob trigger's path names the container: course-content.
        Assert.Equal("course-content", (string?)compiled.Template["variables"]!["contentContainerName"]);
        Assert.Contains("variables('contentContainerName')", CompiledTemplate.Text(ModuleParameters("storage")["contentContainerName"]), StringComparison.Ordinal);
        var containers = compiled.ResourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers").Select(c => (string?)c["name"] ?? "").ToList();
        Assert.Equal(2, containers.Count);
        Assert.Contains(containers, c => c.Contains("contentContainerName", StringComparison.Ordinal));
        Assert.Contains(containers, c => c.Contains("deploymentContainerName", StringComparison.Ordinal));
    }

    [Fact]
    public void An_availability_test_probes_health_into_application_insights()
    {
        var test = compiled.OnlyOfType("Microsoft.Insights/webtests");
        Assert.Equal("standard", (string?)test["kind"]);
        var properties = test["properties"]!;
        Assert.Equal("GET", (string?)properties["Request"]!["HttpVerb"]);
        Assert.Contains("parameters('healthUrl')", CompiledTemplate.Text(properties["Request"]!["RequestUrl"]), StringComparison.Ordinal);
        Assert.Equal(200, (int?)properties["ValidationRules"]!["ExpectedHttpStatusCode"]);
        Assert.True(properties["Locations"]!.AsArray().Count >= 5, "Azure recommends at least five probe locations");
        // Without the hidden-link tag the results do not show under the app's Application Insights.
        Assert.Contains("hidden-link:", CompiledTemplate.Text(test["tags"]), StringComparison.Ordinal);
        Assert.Contains("/api/health", CompiledTemplate.Text(ModuleParameters("availability")["healthUrl"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Blob_service_cors_lets_the_frontend_put_uploads()
    {
        var blobService = compiled.OnlyOfType("Microsoft.Storage/storageAccounts/blobServices");
        var cors = CompiledTemplate.Text(blobService["properties"]!["cors"]);
        Assert.Contains("\"allowedMethods\":[\"PUT\"]", cors, StringComparison.Ordinal);
        Assert.Contains("parameters('uploadOrigins')", cors, StringComparison.Ordinal);
        Assert.Contains("x-ms-*", cors, StringComparison.Ordinal);
        Assert.Contains("variables('origins')", CompiledTemplate.Text(ModuleParameters("storage")["uploadOrigins"]), StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_allow_lists_vector_and_creates_the_database()
    {
        var server = compiled.OnlyOfType("Microsoft.DBforPostgreSQL/flexibleServers");
        Assert.Contains("administratorPassword", (string?)server["properties"]!["administratorLoginPassword"]);

        var configuration = Assert.Single(compiled.ResourcesOfType("Microsoft.DBforPostgreSQL/flexibleServers/configurations"),
            c => ((string?)c["name"] ?? "").Contains("'azure.extensions'", StringComparison.Ordinal));
        var value = ((string?)configuration["properties"]!["value"] ?? "").Split(',').Select(v => v.Trim());
        Assert.Contains("VECTOR", value, StringComparer.OrdinalIgnoreCase);

        Assert.Single(compiled.ResourcesOfType("Microsoft.DBforPostgreSQL/flexibleServers/databases"));
        Assert.Equal("courseplatform", (string?)compiled.Template["parameters"]!["databaseName"]!["defaultValue"]);
    }

    [Fact]
    public void Function_app_is_flex_consumption_dotnet_isolated_with_a_user_assigned_identity()
    {
        var plan = compiled.OnlyOfType("Microsoft.Web/serverfarms");
        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);

        var site = Site;
        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.Equal("UserAssigned", (string?)site["identity"]!["type"]);
        Assert.Single(site["identity"]!["userAssignedIdentities"]!.AsObject());

        var config = site["properties"]!["functionAppConfig"]!;
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]!["name"]);
        Assert.Equal("10.0", (string?)compiled.Template["parameters"]!["dotnetVersion"]!["defaultValue"]);
        var storage = config["deployment"]!["storage"]!;
        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.NotNull(config["scaleAndConcurrency"]!["maximumInstanceCount"]);
        Assert.NotNull(config["scaleAndConcurrency"]!["instanceMemoryMB"]);

        // The app relies on the platform for CORS preflight.
        Assert.Contains("allowedOrigins", (string?)site["properties"]!["siteConfig"]!["cors"]!["allowedOrigins"]);
        Assert.True((bool?)site["properties"]!["httpsOnly"]);
        Assert.Equal("api", (string?)ModuleParameters("functionapp")["serviceName"]!["value"]);
    }

    [Fact]
    public void Identity_has_the_roles_the_host_and_app_need()
    {
        var assignments = compiled.ResourcesOfType("Microsoft.Authorization/roleAssignments").ToList();
        Assert.NotEmpty(assignments);
        var rolesTemplate = CompiledTemplate.Text(compiled.Resources().First(r => r.Resource == assignments[0]).Template);
        foreach (var roleId in new[]
                 {
                     "b7e6dc6d-f1e8-4753-8033-0f276bb0955b", // Storage Blob Data Owner
                     "974c5e8b-45b9-4653-ba55-5f855dd0fb88", // Storage Queue Data Contributor
                     "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3", // Storage Table Data Contributor
                     "4633458b-17de-408a-b874-0445c86b69e6", // Key Vault Secrets User
                     "3913510d-42f4-4e42-8a64-420c390055eb", // Monitoring Metrics Publisher
                 })
        {
            Assert.Contains(roleId, rolesTemplate, StringComparison.Ordinal);
        }
        Assert.Contains("principalId", CompiledTemplate.Text(ModuleParameters("roles")), StringComparison.Ordinal);
    }

    [Fact]
    public void Event_grid_sends_blob_created_on_course_content_to_the_blob_extension_webhook()
    {
        var topic = compiled.OnlyOfType("Microsoft.EventGrid/systemTopics");
        Assert.Equal("Microsoft.Storage.StorageAccounts", (string?)topic["properties"]!["topicType"]);

        var subscription = compiled.OnlyOfType("Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var properties = subscription["properties"]!;
        var filter = properties["filter"]!;
        Assert.Equal(["Microsoft.Storage.BlobCreated"], filter["includedEventTypes"]!.AsArray().Select(e => (string?)e));
        Assert.Equal("/blobServices/default/containers/course-content/", (string?)filter["subjectBeginsWith"]);

        var destination = properties["destination"]!;
        Assert.Equal("WebHook", (string?)destination["endpointType"]);
        var url = (string?)destination["properties"]!["endpointUrl"] ?? "";
        Assert.Contains("/runtime/webhooks/blobs?functionName=Host.Functions.IngestCourseContent&code=", url, StringComparison.Ordinal);
        Assert.Contains("systemKeys.blobs_extension", url, StringComparison.Ordinal);
    }

    [Fact]
    public void The_webhook_names_the_function_the_code_declares()
    {
        var source = File.ReadAllText(Path.Combine(BicepCli.RepoRoot, "src", "Functions", "Features", "Ingestion", "IngestCourseContentFunction.cs"));
        Assert.Contains("[Function(\"IngestCourseContent\")]", source, StringComparison.Ordinal);
        Assert.Contains("BlobTriggerSource.EventGrid", source, StringComparison.Ordinal);
    }

    [Fact]
    public void Azd_files_match_the_template()
    {
        var yaml = File.ReadAllText(Path.Combine(BicepCli.RepoRoot, "azure.yaml"));
        Assert.Matches(ServiceBlock(), yaml);
        Assert.Contains("path: infra/bicep", yaml, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(BicepCli.RepoRoot, "src", "Functions", "CoursePlatform.Functions.csproj")));
        Assert.True(File.Exists(Path.Combine(BicepCli.RepoRoot, "infra", "bicep", "scripts", "subscribe-blob-events.sh")));

        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = compiled.Template["parameters"]!.AsObject();
        foreach (var (name, _) in parameters)
            Assert.True(declared.ContainsKey(name), $"main.parameters.json sets {name}, which main.bicep does not declare");

        // Outputs the hooks require (HookScriptTests checks every variable the scripts read).
        var outputs = compiled.Template["outputs"]!.AsObject();
        foreach (var name in new[] { "AZURE_RESOURCE_GROUP", "AZURE_FUNCTION_APP_NAME", "EVENT_GRID_SYSTEM_TOPIC_NAME", "POSTGRES_SERVER_NAME", "POSTGRES_ENTRA_ADMIN_NAME", "POSTGRES_APP_ROLE" })
            Assert.True(outputs.ContainsKey(name), name);
    }

    [Fact]
    public void The_app_connects_through_the_servers_pgbouncer_where_the_tier_has_one()
    {
        var variables = compiled.Template["variables"]!.AsObject();
        Assert.Equal("[and(parameters('postgresPgBouncer'), not(equals(parameters('postgresSkuTier'), 'Burstable')))]", (string?)variables["pgBouncer"]);
        Assert.Equal("[if(variables('pgBouncer'), 6432, 5432)]", (string?)variables["databasePort"]);
        Assert.Equal("[if(variables('pgBouncer'), ';No Reset On Close=true', '')]", (string?)variables["poolingOptions"]);
        // Both forms of the app's connection string: the Key Vault secret (password mode) and the app setting (Entra ID).
        foreach (var connection in new[] { CompiledTemplate.Text(ModuleParameters("keyvault")["databaseConnectionString"]), (string?)AppSettings["Database__ConnectionString"] ?? "" })
        {
            Assert.Contains("variables('databasePort')", connection, StringComparison.Ordinal);
            Assert.Contains("variables('poolingOptions')", connection, StringComparison.Ordinal);
            Assert.DoesNotContain("Port=5432", connection, StringComparison.Ordinal);
        }
        Assert.Equal("[variables('pgBouncer')]", (string?)ModuleParameters("postgres")["enablePgBouncer"]!["value"]);

        var module = Assert.Single(compiled.ResourcesOfType("Microsoft.Resources/deployments"), d => (string?)d["name"] == "postgres");
        var resources = module["properties"]!["template"]!["resources"]!;
        var all = resources is JsonObject named ? named.Select(p => p.Value!) : resources.AsArray().Select(r => r!);
        var setting = Assert.Single(all, r => ((string?)r["name"] ?? "").Contains("pgbouncer.enabled", StringComparison.Ordinal));
        Assert.Equal("[parameters('enablePgBouncer')]", (string?)setting["condition"]);
        Assert.Equal("true", (string?)setting["properties"]!["value"]);
    }

    internal JsonObject ModuleParametersOf(string moduleName) => ModuleParameters(moduleName);

    private JsonObject ModuleParameters(string moduleName)
    {
        var module = Assert.Single(compiled.ResourcesOfType("Microsoft.Resources/deployments"), d => (string?)d["name"] == moduleName);
        return module["properties"]!["parameters"]!.AsObject();
    }

    [GeneratedRegex(@"services:\s*\n\s+api:\s*\n\s+project:\s*\.?/?src/Functions/?\s*\n\s+language:\s*dotnet\s*\n\s+host:\s*function")]
    private static partial Regex ServiceBlock();
}
