using Npgsql;

namespace CoursePlatform.Functions.Tests.Reliability;

/// <summary>
/// The app reaching its database through PgBouncer in transaction mode (scripts/services.sh starts it), with the
/// connection options the Bicep gives it in Azure: a server connection serves one transaction, then another
/// client, so any session state, session advisory lock or prepared statement the app kept would break here.
/// </summary>
public sealed class PgBouncerApp : HostedApp
{
    protected override IDictionary<string, string> Settings()
    {
        var builder = new NpgsqlConnectionStringBuilder(Database.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = LocalServices.PgBouncerPort,
            NoResetOnClose = true,
        };
        return new Dictionary<string, string> { ["Database__ConnectionString"] = builder.ConnectionString };
    }
}
