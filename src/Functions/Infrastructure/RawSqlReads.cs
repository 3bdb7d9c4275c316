using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>
/// A hand-written statement through ADO.NET on the context's own connection (opened and closed as EF would), for the
/// few reads made on (nearly) every request, where EF's own per-call work costs as much as the statement (measured by
/// <c>tools/Benchmarks -- lesson</c>), and batches: statements sent as one round trip, which PostgreSQL runs as one
/// implicit transaction (search, the tutor's ask). Everything else goes through EF.
/// </summary>
public static class RawSqlReads
{
    public static async Task<T> ReadAsync<T>(
        this CoursePlatformDbContext db, string sql, IEnumerable<NpgsqlParameter> parameters,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(read);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var parameter in parameters) command.Parameters.Add(parameter);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await read(reader, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// <paramref name="commands"/> as one <see cref="NpgsqlBatch"/>; <paramref name="read"/> gets the reader on the first
    /// command's result and moves on with <see cref="NpgsqlDataReader.NextResultAsync(CancellationToken)"/>.
    /// </summary>
    public static async Task<T> ReadBatchAsync<T>(
        this CoursePlatformDbContext db, IEnumerable<NpgsqlBatchCommand> commands,
        Func<NpgsqlDataReader, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(commands);
        ArgumentNullException.ThrowIfNull(read);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var batch = new NpgsqlBatch((NpgsqlConnection)db.Database.GetDbConnection());
            foreach (var command in commands) batch.BatchCommands.Add(command);
            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            return await read(reader, cancellationToken);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
