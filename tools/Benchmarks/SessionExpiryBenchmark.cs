using System.Diagnostics;
using System.Security.Cryptography;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure.Auth;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// The ExpireRefreshSessions timer's work on a large table: N session rows, a third expired, a third
/// revoked past retention, a third live. Prints load and cleanup times and what remains.
/// </summary>
public static class SessionExpiryBenchmark
{
    public static async Task RunAsync(int rows)
    {
        await using var database = await BenchmarkDatabase.CreateAsync();
        var now = DateTimeOffset.UtcNow;
        var userId = Guid.CreateVersion7();

        var load = Stopwatch.StartNew();
        await using (var connection = new NpgsqlConnection(database.ConnectionString))
        {
            await connection.OpenAsync();
            await using (var insert = new NpgsqlCommand(
                "INSERT INTO users (id, email, role, created_at, updated_at) VALUES ($1, 'bench@example.com', 'learner', now(), now())", connection))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = userId });
                await insert.ExecuteNonQueryAsync();
            }
            await using var writer = await connection.BeginBinaryImportAsync(
                "COPY user_sessions (id, user_id, family_id, refresh_token_hash, created_at, expires_at, revoked_at) FROM STDIN (FORMAT BINARY)");
            for (var i = 0; i < rows; i++)
            {
                var kind = i % 3; // 0 live, 1 expired, 2 revoked long ago
                await writer.StartRowAsync();
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(userId, NpgsqlDbType.Uuid);
                await writer.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid);
                await writer.WriteAsync(RandomNumberGenerator.GetBytes(32), NpgsqlDbType.Bytea);
                await writer.WriteAsync(now.AddDays(-40), NpgsqlDbType.TimestampTz);
                await writer.WriteAsync(kind == 1 ? now.AddDays(-1) : now.AddDays(20), NpgsqlDbType.TimestampTz);
                if (kind == 2) await writer.WriteAsync(now.AddDays(-30), NpgsqlDbType.TimestampTz);
                else await writer.WriteNullAsync();
            }
            await writer.CompleteAsync();
        }
        load.Stop();

        await using var db = database.CreateContext();
        await db.Database.ExecuteSqlRawAsync("ANALYZE user_sessions");
        var cleanup = new SessionCleanupService(db, Options.Create(new AuthOptions()), TimeProvider.System, NullLogger<SessionCleanupService>.Instance);

        var run = Stopwatch.StartNew();
        var first = await cleanup.RunAsync(CancellationToken.None);
        run.Stop();
        var again = Stopwatch.StartNew();
        var second = await cleanup.RunAsync(CancellationToken.None);
        again.Stop();
        var remaining = await db.UserSessions.CountAsync();

        Console.WriteLine($"session-expiry: {rows:N0} session rows loaded by COPY in {load.Elapsed.TotalSeconds:F1} s");
        Console.WriteLine($"  first run:  {run.Elapsed.TotalSeconds:F2} s, deleted {first.ExpiredSessions:N0} expired + {first.RevokedSessions:N0} revoked");
        Console.WriteLine($"  second run: {again.Elapsed.TotalMilliseconds:F0} ms, deleted {second.ExpiredSessions + second.RevokedSessions:N0} (idempotent)");
        Console.WriteLine($"  remaining:  {remaining:N0} live sessions");
    }
}
