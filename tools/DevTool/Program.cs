using CoursePlatform.Data;
using CoursePlatform.DevTool;
using Microsoft.EntityFrameworkCore;
using Npgsql;

// Usage: dotnet run --project tools/DevTool -- [migrate] [app-role <role>] [seed] [grant-admin <email>] [--settings <file>] [--connection <string>]
const string Usage = """
    Usage: CoursePlatform.DevTool [migrate] [app-role <role> [--entra-object-id <id>]] [seed] [grant-admin <email>] [storage-cors] [--settings <local.settings.json>] [--connection <connection string>]
      migrate              apply the EF Core migrations
      app-role <role>      grant the app's database role its rights (rows of the app's tables; no DDL); with
                           --entra-object-id, first create it for that Entra identity (Azure; run as the Entra admin)
      seed                 load the demo data (refused outside Development)
      grant-admin <email>  make the account an admin (created when none has the email); prints a one-time
                           password-setup token when the account has no way to sign in yet
      storage-cors         let the frontend origins (Host.CORS) PUT to upload URLs on Azurite and create the content container, as the Bicep does in Azure
      --connection         the database to use instead of Database__ConnectionString (the Azure database, say)
    """;

var commands = new List<string>();
string? settingsPath = null;
string? connectionOverride = null;
string? adminEmail = null;
string? appRole = null;
string? entraObjectId = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "migrate" or "seed" or "storage-cors":
            if (!commands.Contains(args[i])) commands.Add(args[i]);
            break;
        case "grant-admin" when i + 1 < args.Length:
            adminEmail = args[++i];
            if (!commands.Contains("grant-admin")) commands.Add("grant-admin");
            break;
        case "app-role" when i + 1 < args.Length:
            appRole = args[++i];
            if (!commands.Contains("app-role")) commands.Add("app-role");
            break;
        case "--entra-object-id" when i + 1 < args.Length:
            entraObjectId = args[++i];
            break;
        case "--connection" when i + 1 < args.Length:
            connectionOverride = args[++i];
            break;
        case "--settings" when i + 1 < args.Length:
            settingsPath = args[++i];
            break;
        case "-h" or "--help":
            Console.WriteLine(Usage);
            return 0;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'.");
            Console.Error.WriteLine(Usage);
            return 64;
    }
}
if (commands.Count == 0)
{
    Console.Error.WriteLine(Usage);
    return 64;
}

try
{
    var settings = DevToolSettings.Load(settingsPath, DevToolSettings.ProcessEnvironment());
    Console.WriteLine(settings.SettingsFile is null
        ? "Settings: environment variables only (no local.settings.json found; copy local.settings.sample.json to create one)."
        : $"Settings: {settings.SettingsFile} + environment variables.");

    if (commands.Contains("storage-cors"))
    {
        var storage = settings[DevToolSettings.StorageKey] ?? throw new DevToolException("AzureWebJobsStorage is not set (local.settings.json Values or environment).");
        var allowed = await StorageCors.ApplyAsync(storage, settings[DevToolSettings.HostCorsKey], CancellationToken.None);
        Console.WriteLine($"storage-cors: upload URLs accept PUT from {string.Join(", ", allowed)}.");
        if (commands.All(c => c == "storage-cors")) return 0;
    }

    var connectionString = connectionOverride ?? settings.ConnectionString
        ?? throw new DevToolException("Database__ConnectionString is not set (local.settings.json Values or environment).");
    var seed = commands.Contains("seed");
    DemoSeedOptions? seedOptions = null;
    if (seed)
    {
        // Check everything before touching the database, so "migrate seed" does nothing when seeding is refused.
        var refusal = SeedGuard.Check(settings.Environment, connectionString);
        if (refusal is not null) throw new DevToolException(refusal, exitCode: 2);
        seedOptions = settings.ToSeedOptions();
        seedOptions.Validate();
    }

    Console.WriteLine($"Database: {Describe(connectionString)}");
    await using var db = CoursePlatformDb.CreateContext(connectionString);

    if (commands.Contains("migrate"))
    {
        var pending = (await db.Database.GetPendingMigrationsAsync()).ToList();
        await db.Database.MigrateAsync();
        Console.WriteLine(pending.Count == 0
            ? "migrate: database is up to date."
            : $"migrate: applied {pending.Count} migration(s): {string.Join(", ", pending)}.");
    }

    if (appRole is not null)
    {
        var role = await AppRole.ApplyAsync(connectionString, appRole, entraObjectId, CancellationToken.None);
        Console.WriteLine($"app-role: {(role.Created ? "created " : "")}{appRole} may read and write the app's tables (no DDL).");
    }

    if (seed)
    {
        var result = await new DemoSeed().ApplyAsync(db, seedOptions!, TimeProvider.System, CancellationToken.None);
        Console.WriteLine($"seed: {result}");
    }

    if (adminEmail is not null)
    {
        var granted = await GrantAdmin.ApplyAsync(db, adminEmail, TimeProvider.System, CancellationToken.None);
        Console.WriteLine(granted.Created
            ? $"grant-admin: created admin {adminEmail.Trim().ToLowerInvariant()} ({granted.UserId})."
            : $"grant-admin: {adminEmail.Trim().ToLowerInvariant()} ({granted.UserId}) is now an admin (was {granted.PreviousRole.ToString().ToLowerInvariant()}).");
        if (granted.SetupToken is not null)
        {
            Console.WriteLine($"grant-admin: the account has no password yet; this one-time token sets it (valid until {granted.SetupExpiresAt:u}):");
            Console.WriteLine($"  curl -s <app>/api/auth/password-setup -H 'Content-Type: application/json' -d '{{\"token\":\"{granted.SetupToken}\",\"password\":\"<at least 12 characters>\"}}'");
        }
    }
    return 0;
}
catch (DevToolException e)
{
    Console.Error.WriteLine(e.Message);
    return e.ExitCode;
}
catch (Azure.RequestFailedException e)
{
    Console.Error.WriteLine($"Storage error: {e.Message}");
    return 1;
}
catch (NpgsqlException e)
{
    Console.Error.WriteLine($"Database error: {e.Message}");
    return 1;
}
catch (DbUpdateException e)
{
    Console.Error.WriteLine($"Seed failed, nothing was written: {e.InnerException?.Message ?? e.Message}");
    return 1;
}

// Host, port and database only: the connection string may carry a password.
static string Describe(string connectionString)
{
    var builder = new NpgsqlConnectionStringBuilder(connectionString);
    return $"{builder.Host}:{builder.Port}/{builder.Database}";
}
