using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>
/// A transaction a service begins, or joins when one is already open on the context (the audit middleware opens one
/// around every admin write, so the change and its audit row commit together or not at all).
/// </summary>
public static class DatabaseTransactions
{
    public static async Task<OwnedTransaction> BeginOrJoinTransactionAsync(this DatabaseFacade database, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        if (database.CurrentTransaction is not null) return new OwnedTransaction(null);
        return new OwnedTransaction(await database.BeginTransactionAsync(cancellationToken));
    }
}

/// <summary>Commits and disposes only a transaction this caller began; a joined one is the outer owner's to finish.</summary>
public sealed class OwnedTransaction(IDbContextTransaction? owned) : IAsyncDisposable
{
    /// <summary>False when this joined an outer transaction (nothing is committed until the owner commits).</summary>
    public bool Owned => owned is not null;

    public Task CommitAsync(CancellationToken cancellationToken) => owned?.CommitAsync(cancellationToken) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => owned?.DisposeAsync() ?? ValueTask.CompletedTask;
}
