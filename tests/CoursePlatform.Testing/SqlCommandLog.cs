using System.Collections.Concurrent;
using System.Diagnostics;

namespace CoursePlatform.Testing;

/// <summary>
/// Records the SQL commands Npgsql runs against one database (its "Npgsql" activity source) with their client-side
/// durations, so a test can count round trips and a benchmark can say which cost the most. Other databases are filtered
/// out. A batch counts once; a transaction's COMMIT is not a command and is not listed (it is one more round trip).
/// </summary>
public sealed class SqlCommandLog : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<(string Text, TimeSpan Duration)> commands = new();

    public SqlCommandLog(string databaseName)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (!activity.TagObjects.Any(t => Equals(t.Value, databaseName))) return;
                var text = activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement");
                if (text is string sql) commands.Enqueue((sql.TrimStart(), activity.Duration));
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public IReadOnlyList<string> Commands => [.. commands.Select(c => c.Text)];

    /// <summary>Every command with how long it took, client side.</summary>
    public IReadOnlyList<(string Text, TimeSpan Duration)> Timed => [.. commands];

    /// <summary>Commands that change data (INSERT/UPDATE/DELETE at top level or in a CTE).</summary>
    public IReadOnlyList<string> Writes => [.. Commands.Where(c =>
        c.Contains("INSERT ", StringComparison.OrdinalIgnoreCase) || c.Contains("UPDATE ", StringComparison.OrdinalIgnoreCase)
        || c.Contains("DELETE ", StringComparison.OrdinalIgnoreCase))];

    public void Dispose() => listener.Dispose();
}
