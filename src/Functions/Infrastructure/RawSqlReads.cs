using CoursePlatform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>
/// A hand-written statement through ADO.NET on the context's own connection (opened and closed as EF would), for the
/// few reads made on (nearly) every request, where EF's own per-call work costs as much as the statement. Measured by
/// <c>tools/Benchmarks -- lesson</c>; everything else goes through EF.
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
}
