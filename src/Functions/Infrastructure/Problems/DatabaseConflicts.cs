using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Infrastructure.Problems;

/// <summary>A unique index that refuses a write (a value already taken, or two writers at once) as the caller's 409.</summary>
public static class DatabaseConflicts
{
    public static bool IsUniqueViolation(this DbUpdateException exception) =>
        exception?.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    /// <summary>Saves the context's changes; a unique violation becomes <paramref name="conflict"/>'s problem.</summary>
    public static async Task SaveChangesOrConflictAsync(this DbContext db, Func<ProblemException> conflict, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(conflict);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw conflict();
        }
    }
}
