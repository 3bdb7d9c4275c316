using Azure.Core;
using CoursePlatform.Data;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>Supplies the database password for new physical connections (an access token, in Azure).</summary>
public interface IDatabasePasswordSource
{
    ValueTask<string> GetPasswordAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The app identity's Entra ID token for Azure Database for PostgreSQL, used as the password
/// (https://learn.microsoft.com/azure/postgresql/flexible-server/how-to-connect-with-managed-identity).
/// </summary>
public sealed class EntraIdPasswordSource(TokenCredential credential) : IDatabasePasswordSource
{
    /// <summary>The audience of tokens Azure Database for PostgreSQL accepts.</summary>
    public const string Scope = "https://ossrdbms-aad.database.windows.net/.default";

    public async ValueTask<string> GetPasswordAsync(CancellationToken cancellationToken) =>
        (await credential.GetTokenAsync(new TokenRequestContext([Scope]), cancellationToken)).Token;
}

/// <summary>
/// Builds the app's one <see cref="NpgsqlDataSource"/>: the EF context and the ingestion lease connections both
/// come from it, so both authenticate the same way. With a password source, Npgsql's periodic password provider
/// (https://www.npgsql.org/doc/security.html) fetches a fresh password in the background and hands the latest
/// one to every new physical connection; a failed fetch is retried after a few seconds while the last good
/// password stays in use.
/// </summary>
public static class DatabaseDataSource
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(5);

    public static NpgsqlDataSource Build(string connectionString, IDatabasePasswordSource? passwords, TimeSpan refreshInterval, ILoggerFactory? loggerFactory = null)
    {
        var builder = CoursePlatformDb.CreateDataSourceBuilder(connectionString);
        if (loggerFactory is not null) builder.UseLoggerFactory(loggerFactory);
        if (passwords is not null)
        {
            if (!string.IsNullOrEmpty(builder.ConnectionStringBuilder.Password))
                throw new InvalidOperationException("Database:ConnectionString has a password although Database:Authentication is EntraId; remove it (the token is the password).");
            var logger = loggerFactory?.CreateLogger(typeof(DatabaseDataSource));
            builder.UsePeriodicPasswordProvider(async (_, cancellationToken) =>
            {
                try
                {
                    return await passwords.GetPasswordAsync(cancellationToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // Npgsql retries after RetryAfterFailure; say why, or the first sign is a failed login much later.
                    logger?.LogError(ex, "Could not get the database access token ({Error}); retrying in {Seconds} s", ex.GetType().Name, RetryAfterFailure.TotalSeconds);
                    throw;
                }
            }, refreshInterval, RetryAfterFailure);
        }
        return builder.Build();
    }
}
