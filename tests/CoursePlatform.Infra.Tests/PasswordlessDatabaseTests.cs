using System.Text.Json.Nodes;

namespace CoursePlatform.Infra.Tests;

/// <summary>
/// The app reaches PostgreSQL as its own identity with an Entra ID token and a DML-only role; the deploying principal
/// is the server's Entra administrator (it migrates and creates that role); no database password exists unless
/// <c>postgresAuthentication</c> asks for password mode. Checked on the compiled ARM JSON (no Azure here).
/// </summary>
public sealed class PasswordlessDatabaseTests(CompiledTemplate compiled) : IClassFixture<CompiledTemplate>
{
    private JsonObject AppSettings => Assert.Single(compiled.ResourcesOfType("Microsoft.Web/sites/config"),
        r => ((string?)r["name"] ?? "").Contains("'appsettings'", StringComparison.Ordinal))["properties"]!.AsObject();

    private JsonObject PostgresModule => Assert.Single(compiled.ResourcesOfType("Microsoft.Resources/deployments"), d => (string?)d["name"] == "postgres");

    private IEnumerable<JsonObject> PostgresResources
    {
        get
        {
            var resources = PostgresModule["properties"]!["template"]!["resources"]!;
            return resources is JsonObject named ? named.Select(p => p.Value!.AsObject()) : resources.AsArray().Select(r => r!.AsObject());
        }
    }

    private JsonObject Parameter(string name) => compiled.Template["parameters"]![name]!.AsObject();

    [Fact]
    public void Entra_id_is_the_default_and_password_mode_is_a_parameter()
    {
        var authentication = Parameter("postgresAuthentication");
        Assert.Equal("EntraId", (string?)authentication["defaultValue"]);
        Assert.Equal(["EntraId", "Password"], authentication["allowedValues"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("[equals(parameters('postgresAuthentication'), 'Password')]", (string?)compiled.Template["variables"]!["passwordMode"]);
    }

    [Fact]
    public void The_server_accepts_entra_id_with_the_deploying_principal_as_administrator_and_passwords_only_in_password_mode()
    {
        var server = Assert.Single(PostgresResources, r => (string?)r["type"] == "Microsoft.DBforPostgreSQL/flexibleServers");
        var auth = server["properties"]!["authConfig"]!;
        Assert.Equal("Enabled", (string?)auth["activeDirectoryAuth"]);
        Assert.Equal("[if(parameters('passwordAuthentication'), 'Enabled', 'Disabled')]", (string?)auth["passwordAuth"]);
        Assert.Equal("[tenant().tenantId]", (string?)auth["tenantId"]);
        Assert.Equal("[if(parameters('passwordAuthentication'), parameters('administratorPassword'), null())]", (string?)server["properties"]!["administratorLoginPassword"]);
        Assert.Equal("[variables('passwordMode')]", (string?)PostgresModule["properties"]!["parameters"]!["passwordAuthentication"]!["value"]);

        var admin = Assert.Single(PostgresResources, r => (string?)r["type"] == "Microsoft.DBforPostgreSQL/flexibleServers/administrators");
        Assert.Contains("parameters('entraAdminObjectId')", (string?)admin["name"], StringComparison.Ordinal);
        Assert.Equal("[parameters('entraAdminName')]", (string?)admin["properties"]!["principalName"]);
        Assert.Equal("[parameters('entraAdminType')]", (string?)admin["properties"]!["principalType"]);
        var moduleParameters = CompiledTemplate.Text(PostgresModule["properties"]!["parameters"]);
        Assert.Contains("parameters('postgresEntraAdminObjectId')", moduleParameters, StringComparison.Ordinal);
        Assert.Contains("parameters('postgresEntraAdminName')", moduleParameters, StringComparison.Ordinal);

        // azd fills the administrator from the signed-in principal (the preprovision hook stores its name).
        var parameters = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))!["parameters"]!;
        Assert.Equal("${AZURE_PRINCIPAL_ID}", (string?)parameters["postgresEntraAdminObjectId"]!["value"]);
        Assert.Equal("${AZURE_PRINCIPAL_NAME}", (string?)parameters["postgresEntraAdminName"]!["value"]);
        Assert.Equal(["User", "Group", "ServicePrincipal"], Parameter("postgresEntraAdminType")["allowedValues"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public void The_app_signs_in_as_its_identity_role_with_a_token_in_entra_mode()
    {
        var settings = AppSettings;
        Assert.Equal("[parameters('postgresAuthentication')]", (string?)settings["Database__Authentication"]);
        var connection = (string?)settings["Database__ConnectionString"] ?? "";
        Assert.StartsWith("[if(variables('passwordMode'), format('@Microsoft.KeyVault(SecretUri={0})'", connection, StringComparison.Ordinal);
        // The Entra branch: the identity's role as user name, and nothing a password could hide in.
        var entraBranch = connection[connection.IndexOf("format('{0};Username={1}'", StringComparison.Ordinal)..];
        Assert.Contains("variables('appDatabaseRole')", entraBranch, StringComparison.Ordinal);
        Assert.DoesNotContain("Password", entraBranch, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("postgresAdminLogin", entraBranch, StringComparison.Ordinal);
        Assert.Contains("SSL Mode=VerifyFull", entraBranch, StringComparison.Ordinal);

        // The role is named after the user-assigned identity the app runs as, and the hook learns both from outputs.
        Assert.Equal("[format('id-{0}', variables('resourceToken'))]", (string?)compiled.Template["variables"]!["appDatabaseRole"]);
        var outputs = compiled.Template["outputs"]!;
        Assert.Equal("[if(variables('passwordMode'), '', variables('appDatabaseRole'))]", (string?)outputs["POSTGRES_APP_ROLE"]!["value"]);
        Assert.Contains("principalId", CompiledTemplate.Text(outputs["AZURE_MANAGED_IDENTITY_PRINCIPAL_ID"]), StringComparison.Ordinal);
        Assert.Equal("[parameters('postgresEntraAdminName')]", (string?)outputs["POSTGRES_ENTRA_ADMIN_NAME"]!["value"]);
        // DefaultAzureCredential picks the user-assigned identity by its client id.
        Assert.Contains(".clientId", (string?)settings["AZURE_CLIENT_ID"], StringComparison.Ordinal);
    }

    [Fact]
    public void No_database_password_exists_in_entra_mode()
    {
        // The Key Vault secret gets an empty value outside password mode, and is then not created at all.
        var secretParameter = CompiledTemplate.Text(Assert.Single(compiled.ResourcesOfType("Microsoft.Resources/deployments"),
            d => (string?)d["name"] == "keyvault")["properties"]!["parameters"]!["databaseConnectionString"]);
        Assert.StartsWith("\"[if(variables('passwordMode'), createObject('value', ", secretParameter, StringComparison.Ordinal);
        Assert.EndsWith("createObject('value', ''))]\"", secretParameter, StringComparison.Ordinal);
        var secret = Assert.Single(compiled.ResourcesOfType("Microsoft.KeyVault/vaults/secrets"),
            s => ((string?)s["name"] ?? "").Contains("databaseSecretName", StringComparison.Ordinal));
        Assert.Equal("[not(empty(parameters('databaseConnectionString')))]", (string?)secret["condition"]);

        // The administrator password is optional (azd asks for none) and reaches nothing but the password-mode branches.
        var password = Parameter("postgresAdminPassword");
        Assert.Equal("securestring", (string?)password["type"]);
        Assert.Equal("", (string?)password["defaultValue"]);
        Assert.Equal("${POSTGRES_ADMIN_PASSWORD=}",
            (string?)JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "main.parameters.json")))!["parameters"]!["postgresAdminPassword"]!["value"]);
        foreach (var (resource, _) in compiled.Resources())
        {
            if ((string?)resource["type"] == "Microsoft.Resources/deployments") continue; // modules: their parameters are checked above
            Assert.DoesNotContain("postgresAdminPassword", CompiledTemplate.Text(resource), StringComparison.Ordinal);
        }
        Assert.DoesNotContain("Password", (string?)AppSettings["Database__Authentication"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_azure_services_rule_is_the_only_standing_firewall_rule()
    {
        // The migration hook adds a rule for its runner's address for the length of one run (HookScriptTests).
        var rules = PostgresResources.Where(r => (string?)r["type"] == "Microsoft.DBforPostgreSQL/flexibleServers/firewallRules").ToList();
        var rule = Assert.Single(rules);
        Assert.Equal("[parameters('allowAzureServices')]", (string?)rule["condition"]);
        Assert.Equal("0.0.0.0", (string?)rule["properties"]!["startIpAddress"]);
    }
}
