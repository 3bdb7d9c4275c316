using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// The SQL statements Npgsql runs against one database while it listens (its "Npgsql" activity source), with their
/// client-side durations: how many round trips a call makes and which cost the most. A batch counts once; a
/// transaction's COMMIT is not a command and is not listed (it is one more round trip).
/// </summary>
public sealed class StatementProfile : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<(string Text, double Ms)> statements = new();

    public StatementProfile(string databaseName)
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (!activity.TagObjects.Any(t => Equals(t.Value, databaseName))) return;
                var text = activity.GetTagItem("db.query.text") ?? activity.GetTagItem("db.statement");
                if (text is string sql) statements.Enqueue((sql, activity.Duration.TotalMilliseconds));
            },
        };
        ActivitySource.AddActivityListener(listener);
    }

    /// <summary>Statements per call and, per kind of statement (its first words), how often it ran and its mean time per call.</summary>
    public void Print(int calls)
    {
        var all = statements.ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  statements per ask: {(double)all.Count / calls:F1} ({all.Sum(s => s.Ms) / calls:F1} ms per ask in them, client side)"));
        foreach (var kind in all.GroupBy(s => Kind(s.Text)).OrderByDescending(g => g.Sum(s => s.Ms)))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {(double)kind.Count() / calls,4:F1} x {kind.Sum(s => s.Ms) / calls,6:F2} ms  {kind.Key}"));
    }

    private static string Kind(string sql)
    {
        var words = string.Join(' ', sql.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return words.Length <= 90 ? words : words[..90] + "…";
    }

    public void Dispose() => listener.Dispose();
}
