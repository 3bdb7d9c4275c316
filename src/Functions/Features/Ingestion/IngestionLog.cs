using System.Linq.Expressions;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CoursePlatform.Functions.Features.Ingestion;

/// <summary>
/// One ingestion of one version of a source. Internally <c>Source</c> is the blob name and <c>ETag</c> unquoted, as
/// stored; <see cref="ForClient"/> gives the API's forms.
/// </summary>
public sealed record IngestionLogEntry(
    Guid Id, string Source, Guid? TopicId, string ETag, IngestionStatus Status, long? ContentLength, int? ChunkCount,
    string? EmbeddingModel, string? Error, int Attempts, DateTimeOffset QueuedAt, DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt, int? DurationMs)
{
    /// <summary>As clients see it: the source's path inside the course (as the sources list shows it), the ETag quoted as HTTP writes it.</summary>
    public IngestionLogEntry ForClient() => this with { Source = SourceNames.Public(Source), ETag = SourceNames.QuotedETag(ETag) };
}

/// <summary>
/// The life of a <c>content_ingestions</c> row, one per source and ETag: queued and claimed as running
/// (<see cref="ClaimAsync"/>, with a lease while its worker lives), then succeeded (in the chunk writer's transaction), failed, or queued again
/// for the trigger's retry; and the log an admin reads, newest first.
/// </summary>
public sealed class IngestionLog(
    CoursePlatformDbContext db, NpgsqlDataSource dataSource, CourseResolver courses, IOptions<IngestionOptions> options, TimeProvider time, ILogger<IngestionLog> logger)
{
    private static readonly Expression<Func<ContentIngestion, IngestionLogEntry>> Entry = x => new IngestionLogEntry(
        x.Id, x.Source, x.TopicId, x.ETag, x.Status, x.ContentLength, x.ChunkCount,
        x.EmbeddingModel, x.Error, x.Attempts, x.QueuedAt, x.StartedAt, x.FinishedAt, x.DurationMs);

    /// <summary>The course's log as clients see it (<see cref="IngestionLogEntry.ForClient"/>), newest first.</summary>
    public async Task<PagedList<IngestionLogEntry>> ListAsync(string courseKey, PageRequest page, CancellationToken cancellationToken)
    {
        var list = await ListAsync((await courses.ResolveAsync(courseKey, cancellationToken)).Id, page, cancellationToken);
        return list with { Items = [.. list.Items.Select(e => e.ForClient())] };
    }

    public Task<PagedList<IngestionLogEntry>> ListAsync(Guid courseId, PageRequest page, CancellationToken cancellationToken) =>
        db.ContentIngestions.AsNoTracking()
            .Where(x => x.CourseId == courseId)
            .OrderByDescending(x => x.QueuedAt).ThenByDescending(x => x.Id)
            .Select(Entry)
            .ToPageAsync(page, cancellationToken);

    /// <summary>One version's entry, or null when it was never logged.</summary>
    public Task<IngestionLogEntry?> FindAsync(string source, string etag, CancellationToken cancellationToken) =>
        db.ContentIngestions.AsNoTracking()
            .Where(x => x.Source == source && x.ETag == etag)
            .Select(Entry)
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>One entry of the course, or null.</summary>
    public Task<IngestionLogEntry?> GetAsync(Guid courseId, Guid id, CancellationToken cancellationToken) =>
        db.ContentIngestions.AsNoTracking().Where(x => x.Id == id && x.CourseId == courseId).Select(Entry).SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Queues a version for ingestion on request (a re-ingest): a new entry, or a finished one (failed, or succeeded
    /// and to be embedded again) queued once more with its attempts counted from zero, and so is one queued again after
    /// a failed attempt (an outage: nothing else would pick it up before the nightly rescan). A running entry, or a
    /// queued one not tried yet, is left as it is. <see cref="SourceService.RunRequestedAsync"/> picks up queued entries with no attempt yet.
    /// </summary>
    public Task<int> RequestAsync(Guid courseId, Guid? topicId, string source, string etag, long contentLength, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        return db.Database.ExecuteSqlInterpolatedAsync($"""
            INSERT INTO content_ingestions AS ci (id, course_id, topic_id, source, etag, status, content_length, attempts, queued_at)
            VALUES ({Guid.CreateVersion7()}, {courseId}, {topicId}, {source}, {etag}, 'queued', {contentLength}, 0, {now})
            ON CONFLICT (source, etag) DO UPDATE SET status = 'queued', attempts = 0, error = NULL, queued_at = EXCLUDED.queued_at
            WHERE ci.status IN ('failed', 'succeeded') OR (ci.status = 'queued' AND ci.attempts > 0)
            """, cancellationToken);
    }

    /// <summary>Requested entries not tried yet (queued, no attempt), oldest first.</summary>
    public Task<List<IngestionLogEntry>> RequestedAsync(int max, CancellationToken cancellationToken) =>
        db.ContentIngestions.AsNoTracking().Where(x => x.Status == IngestionStatus.Queued && x.Attempts == 0)
            .OrderBy(x => x.QueuedAt).Take(max).Select(Entry).ToListAsync(cancellationToken);

    /// <summary>
    /// Logs the version (once per source and ETag) and claims it as running, so the same ETag is ingested
    /// once. The claim holds a lease while its worker lives: a transaction-scoped advisory lock on a connection of
    /// its own, which PostgreSQL releases when that connection ends (the worker exits, is killed or recycled).
    /// A running claim whose lease is free is therefore taken over at once; one whose lease is still held is left
    /// to its worker unless it is older than <see cref="IngestionOptions.StaleRunningMinutes"/> (a connection
    /// that never closed). Returns null when the version is finished already or a live worker is on it.
    /// </summary>
    public async Task<IngestionClaim?> ClaimAsync(Guid courseId, Guid? topicId, string source, string etag, long contentLength,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        // The lease first, then the row logged and claimed in one statement: a version is never seen queued with no
        // attempt between the two (which RunRequestedIngestions would take for a requested re-ingestion).
        var lease = await IngestionLease.TryAcquireAsync(dataSource, source, etag, cancellationToken);
        int claimed;
        if (lease is not null)
        {
            try
            {
                claimed = await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO content_ingestions AS ci (id, course_id, topic_id, source, etag, status, content_length, attempts, queued_at, started_at)
                VALUES ({Guid.CreateVersion7()}, {courseId}, {topicId}, {source}, {etag}, 'running', {contentLength}, 1, {now}, {now})
                ON CONFLICT (source, etag) DO UPDATE SET status = 'running', attempts = ci.attempts + 1, started_at = EXCLUDED.started_at
                WHERE ci.status IN ('queued', 'running')
                """, cancellationToken);
            }
            catch
            {
                await lease.DisposeAsync(); // else its connection would hold the version's lock, unlogged, while the worker lives
                throw;
            }
        }
        else
        {
            // Without the lease only a stale claim (a connection that never closed) is taken over.
            var stale = now.AddMinutes(-options.Value.StaleRunningMinutes);
            claimed = await db.ContentIngestions
                .Where(x => x.Source == source && x.ETag == etag && x.Status == IngestionStatus.Running && x.StartedAt < stale)
                .ExecuteUpdateAsync(set => set
                    .SetProperty(x => x.Status, IngestionStatus.Running)
                    .SetProperty(x => x.Attempts, x => x.Attempts + 1)
                    .SetProperty(x => x.StartedAt, now), cancellationToken);
        }
        if (claimed == 0)
        {
            if (lease is not null) await lease.DisposeAsync();
            return null;
        }
        var row = await db.ContentIngestions.AsNoTracking().SingleAsync(x => x.Source == source && x.ETag == etag, cancellationToken);
        return new IngestionClaim(row, lease);
    }

    /// <summary>Marks the claim succeeded; runs inside the transaction that wrote the chunks, so both commit together.</summary>
    public Task SucceedAsync(Guid id, int chunkCount, string embeddingModel, long started, CancellationToken cancellationToken) =>
        db.ContentIngestions.Where(x => x.Id == id).ExecuteUpdateAsync(set => set
            .SetProperty(x => x.Status, IngestionStatus.Succeeded)
            .SetProperty(x => x.ChunkCount, chunkCount)
            .SetProperty(x => x.EmbeddingModel, embeddingModel)
            .SetProperty(x => x.Error, (string?)null)
            .SetProperty(x => x.FinishedAt, time.GetUtcNow())
            .SetProperty(x => x.DurationMs, (int)time.GetElapsedTime(started).TotalMilliseconds), cancellationToken);

    /// <summary>Ends the claim as failed with its reason. Never throws: the reason is logged if the row cannot be written.</summary>
    public async Task FailAsync(Guid id, string reason, long started)
    {
        try
        {
            await db.ContentIngestions.Where(x => x.Id == id).ExecuteUpdateAsync(set => set
                .SetProperty(x => x.Status, IngestionStatus.Failed)
                .SetProperty(x => x.Error, Trim(reason, 2000))
                .SetProperty(x => x.ChunkCount, (int?)null)
                .SetProperty(x => x.FinishedAt, time.GetUtcNow())
                .SetProperty(x => x.DurationMs, (int)time.GetElapsedTime(started).TotalMilliseconds));
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            logger.LogError(ex, "Could not record the failed ingestion {IngestionId}", id);
        }
    }

    /// <summary>Queues the claim again for the trigger's retry. Never throws: a row left running is taken over once stale.</summary>
    public async Task RequeueAsync(Guid id, string reason)
    {
        try
        {
            await db.ContentIngestions.Where(x => x.Id == id).ExecuteUpdateAsync(set => set
                .SetProperty(x => x.Status, IngestionStatus.Queued)
                .SetProperty(x => x.Error, Trim(reason, 2000)));
        }
        catch (Exception ex) when (ex is NpgsqlException or DbUpdateException or InvalidOperationException)
        {
            logger.LogError(ex, "Could not requeue ingestion {IngestionId}", id);
        }
    }

    public static string Trim(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>A claimed blob version: its log row, and the lease that tells other workers this one is alive (released on dispose).</summary>
public sealed class IngestionClaim(ContentIngestion row, IngestionLease? lease) : IAsyncDisposable
{
    public ContentIngestion Row { get; } = row;

    public ValueTask DisposeAsync() => lease?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>
/// <c>pg_try_advisory_xact_lock</c> on one blob version, held by an open transaction on a connection of its own
/// for as long as the ingestion runs. Transaction-scoped, so it is safe behind PgBouncer's transaction pooling
/// (the open transaction keeps its server connection), and it dies with the connection.
/// </summary>
public sealed class IngestionLease : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly NpgsqlTransaction _transaction;

    private IngestionLease(NpgsqlConnection connection, NpgsqlTransaction transaction) =>
        (_connection, _transaction) = (connection, transaction);

    /// <summary>The lease, or null when another live worker holds it.</summary>
    public static Task<IngestionLease?> TryAcquireAsync(string connectionString, string source, string etag, CancellationToken cancellationToken) =>
        TryAcquireAsync(new NpgsqlConnection(connectionString), source, etag, cancellationToken);

    /// <summary>The lease on a connection of the app's data source (which may sign in with a token, not a password in the string).</summary>
    public static Task<IngestionLease?> TryAcquireAsync(NpgsqlDataSource dataSource, string source, string etag, CancellationToken cancellationToken) =>
        TryAcquireAsync(dataSource.CreateConnection(), source, etag, cancellationToken);

    private static async Task<IngestionLease?> TryAcquireAsync(NpgsqlConnection connection, string source, string etag, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken);
            var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT pg_try_advisory_xact_lock(hashtextextended('ingestion:' || @source || ':' || @etag, 0))", connection, transaction);
            command.Parameters.AddWithValue("source", source);
            command.Parameters.AddWithValue("etag", etag);
            if (await command.ExecuteScalarAsync(cancellationToken) is true) return new IngestionLease(connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.DisposeAsync(); // rolls back: the lock goes with the transaction
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            // The connection broke: PostgreSQL has released the lock with it.
        }
        await _connection.DisposeAsync();
    }
}
