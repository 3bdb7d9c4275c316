using CoursePlatform.Testing;

namespace CoursePlatform.Benchmarks.TutorEvaluation;

/// <summary>
/// Material 2 of the tutor evaluation: a slide deck with speaker notes ("PostgreSQL for application developers"),
/// terse bullets on the slides and the explanation in the notes, as decks are written.
/// </summary>
public static class DatabaseDeck
{
    public const string FileName = "postgresql-for-developers.pptx";

    public static IReadOnlyList<TestSlide> Slides { get; } =
    [
        new("PostgreSQL for application developers", ["Module 4", "Indexes, transactions, operations"],
            Notes: "This module covers what an application developer needs to know to keep a PostgreSQL database fast and correct."),
        new("How a B-tree index helps", ["Sorted copy of a column", "Lookup in O(log n)", "Also serves ORDER BY and ranges"],
            Notes: "Without an index PostgreSQL has to read every row of the table, a sequential scan. A B-tree index keeps the column's values sorted " +
                   "with pointers to the rows, so finding one value takes a handful of page reads even in a table of a hundred million rows. " +
                   "The same sorted order answers range conditions like greater than, and can deliver rows already ordered for ORDER BY."),
        new("Composite indexes: column order", ["Equality columns first", "Then the range column", "Leftmost prefix rule"],
            Notes: "In an index on several columns the order matters. Put the columns you compare with equals first and the column you filter by a range, " +
                   "such as a date between two values, last. An index on (customer_id, created_at) serves WHERE customer_id = 7 AND created_at > yesterday " +
                   "with one contiguous scan, while the opposite order would have to jump around. The index can also serve queries on its leftmost columns " +
                   "alone, but not a query on created_at alone."),
        new("Indexes are not free", ["Every write updates every index", "Disk and memory", "Drop unused ones"],
            Notes: "Each index slows down INSERT, UPDATE and DELETE, because every index of the table has to be updated too, and it takes disk space and " +
                   "cache memory. The statistics view pg_stat_user_indexes shows how often each index was scanned; an index with idx_scan at zero after " +
                   "weeks of production traffic is a candidate to drop."),
        new("Partial and expression indexes", ["WHERE clause on the index", "Index lower(email)", "Smaller, targeted"],
            Notes: "A partial index only covers the rows that match its WHERE clause, for example only orders with status pending, so it stays tiny when " +
                   "most rows are finished. An expression index stores a computed value: with an index on lower(email), a case-insensitive login lookup " +
                   "can use the index, as long as the query uses exactly the same expression."),
        new("Reading a query plan", ["EXPLAIN ANALYZE", "Estimated vs actual rows", "Seq Scan, Index Scan, Bitmap"],
            Notes: "EXPLAIN shows the plan the planner chose; EXPLAIN ANALYZE actually runs the query and adds the real time and row counts of every step. " +
                   "The first thing to look for is a step where the estimated rows differ wildly from the actual rows: it means the statistics are stale " +
                   "or misleading, and running ANALYZE on the table often fixes the plan. Careful: EXPLAIN ANALYZE of an UPDATE really updates the rows."),
        new("Transactions and ACID", ["BEGIN ... COMMIT", "All or nothing", "ROLLBACK on error"],
            Notes: "A transaction groups statements so they succeed or fail together: a transfer debits one account and credits the other, or does neither. " +
                   "Once an error happens inside a transaction, PostgreSQL refuses every further statement until you roll back. Keep transactions short: " +
                   "a transaction left open while the application waits for a user or a remote call holds its locks and keeps old row versions alive."),
        new("Isolation levels", ["Read committed (default)", "Repeatable read", "Serializable"],
            Notes: "Read committed is the default: each statement sees the data committed before that statement began, so two reads in one transaction can " +
                   "disagree. Repeatable read gives the whole transaction one snapshot. Serializable additionally guarantees that concurrent transactions " +
                   "give the same result as if they had run one after the other."),
        new("Serialization failures", ["SQLSTATE 40001", "Expected, not a bug", "Retry the whole transaction"],
            Notes: "Under serializable or repeatable read isolation, PostgreSQL aborts a transaction when it cannot keep the guarantee, with the error " +
                   "could not serialize access, SQLSTATE 40001. This is part of the contract: the application must catch it and run the entire transaction " +
                   "again from the beginning, usually with a short random back-off and a limit on attempts. Retrying only the failed statement is wrong."),
        new("MVCC in one slide", ["Writers create row versions", "Readers never block writers", "Snapshots"],
            Notes: "PostgreSQL uses multi-version concurrency control. An UPDATE does not overwrite a row in place; it writes a new version and marks the " +
                   "old one as expired. Each transaction sees the versions that were committed when its snapshot was taken, which is why a long report " +
                   "does not block the writers and the writers do not block it."),
        new("VACUUM and bloat", ["Dead tuples", "Autovacuum", "Long transactions prevent cleanup"],
            Notes: "The expired row versions, dead tuples, stay in the table until VACUUM removes them and makes the space reusable. Autovacuum does this " +
                   "in the background based on how many rows changed. A table that is updated heavily while a transaction stays open for hours will bloat, " +
                   "because no row version that the old snapshot might still need can be removed."),
        new("Locks and deadlocks", ["Row locks on UPDATE", "SELECT ... FOR UPDATE", "Same order everywhere"],
            Notes: "An UPDATE locks the rows it changes until the transaction ends, and SELECT FOR UPDATE locks rows you intend to change. A deadlock happens " +
                   "when two transactions each hold a lock the other one waits for; PostgreSQL detects it after deadlock_timeout, one second by default, " +
                   "and aborts one of them. The cure is to lock rows in the same order in every code path, for example ordered by id."),
        new("Connection pooling", ["A connection is a process", "PgBouncer", "Transaction mode"],
            Notes: "Every PostgreSQL connection is a separate server process with its own memory, so thousands of idle connections from many app instances " +
                   "waste resources and hit max_connections. A pooler such as PgBouncer keeps a small number of real connections and lends them out; in " +
                   "transaction pooling mode a client holds a server connection only for the duration of a transaction, which means session state like " +
                   "SET commands or advisory locks held across transactions does not survive."),
        new("JSONB columns", ["Binary JSON", "GIN index", "Containment operator @>"],
            Notes: "The jsonb type stores JSON parsed into a binary form, so it can be indexed and queried efficiently; plain json just keeps the text. " +
                   "A GIN index on a jsonb column supports the containment operator, so WHERE attributes @> '{\"colour\": \"red\"}' finds matching rows " +
                   "without reading the whole table. Use jsonb for genuinely flexible attributes, and keep the fields you always query as regular columns."),
        new("Backups and point-in-time recovery", ["pg_dump: logical", "Base backup + WAL", "Restore to a moment"],
            Notes: "pg_dump writes a logical copy of one database that can be restored into another version, handy for small databases and migrations. " +
                   "For point-in-time recovery you need a physical base backup plus the archived write-ahead log, the WAL; replaying the WAL up to a chosen " +
                   "timestamp restores the database as it was just before someone dropped a table by mistake."),
        new("Replication", ["Streaming replicas", "Read scaling", "Replica lag"],
            Notes: "A streaming replica receives the WAL of the primary and replays it, so it can serve read-only queries and take over if the primary fails. " +
                   "Replication is asynchronous by default, so a replica can lag a little behind: an application that writes and immediately reads its own " +
                   "write from a replica may not see it yet."),
    ];
}
