using System.Globalization;
using CoursePlatform.Testing;

namespace CoursePlatform.Benchmarks;

/// <summary>
/// The SQL statements a call runs against one database (<see cref="SqlCommandLog"/>), printed: how many round trips a
/// call makes and which cost the most.
/// </summary>
public sealed class StatementProfile(string databaseName) : IDisposable
{
    private readonly SqlCommandLog log = new(databaseName);

    /// <summary>Statements per call and, per kind of statement (its first words), how often it ran and its mean time per call.</summary>
    public void Print(int calls)
    {
        var all = log.Timed.Select(c => (c.Text, Ms: c.Duration.TotalMilliseconds)).ToList();
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

    public void Dispose() => log.Dispose();
}
