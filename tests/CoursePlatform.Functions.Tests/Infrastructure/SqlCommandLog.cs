using System.Collections.Concurrent;
using System.Diagnostics;

namespace CoursePlatform.Functions.Tests.Infrastructure;

/// <summary>
/// Records the SQL commands Npgsql runs against one database (its "Npgsql" activity source), so a test
/// can count round trips. Other test classes use other databases and are filtered out.
/// </summary>
public sealed class SqlCommandLog : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<string> commands = new();

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
                if (text is string sql) commands.Enqueue(sql.TrimStart());
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    public IReadOnlyList<string> Commands => [.. commands];

    /// <summary>Commands that change data (INSERT/UPDATE/DELETE at top level or in a CTE).</summary>
    public IReadOnlyList<string> Writes => [.. commands.Where(c =>
        c.Contains("INSERT ", StringComparison.OrdinalIgnoreCase) || c.Contains("UPDATE ", StringComparison.OrdinalIgnoreCase)
        || c.Contains("DELETE ", StringComparison.OrdinalIgnoreCase))];

    public void Dispose() => listener.Dispose();
}
