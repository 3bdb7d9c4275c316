using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Tests.Infrastructure;

/// <summary>
/// The features may use one another only along the edges declared here, and never in a cycle: a new dependency is a
/// decision made in this list (with its reason in the change), not a side effect of a <c>using</c>.
/// </summary>
public sealed partial class FeatureGraphTests
{
    /// <summary>Which feature may use which (the reason in a word or two).</summary>
    private static readonly HashSet<(string From, string To)> Allowed =
    [
        ("AiTutor", "Ingestion"),      // the chunk store and the embedding of lessons
        ("AiTutor", "Lessons"),        // lesson text the tutor answers from
        ("AiTutor", "Search"),         // retrieval
        ("Auth", "ColdCalls"),         // an account's deletion keeps others' threads
        ("Cart", "Enrollments"),       // checkout enrols
        ("Catalog", "Enrollments"),    // the caller's enrolment on a course page
        ("Catalog", "Lessons"),        // pages are served through the content rules
        ("ColdCalls", "Cohorts"),      // threads are per cohort
        ("ContentAdmin", "AiTutor"),   // a lesson edit re-indexes it for the tutor
        ("ContentAdmin", "Catalog"),   // pages and the catalog's cache keys
        ("ContentAdmin", "Ingestion"), // a course's uploads
        ("ContentAdmin", "Lessons"),   // the layout and content rules lessons are served by
        ("ContentAdmin", "Progress"),  // module counts follow the topics
        ("Enrollments", "Cohorts"),    // cohort-gated enrolment
        ("Health", "Ingestion"),       // the content container it probes
        ("Lessons", "Progress"),       // module gating of a lesson
        ("Payments", "Cart"),          // the checkout gateway it implements
        ("Payments", "Enrollments"),   // a payment on its way holds its course
        ("Quizzes", "Progress"),       // module gating and results
        ("Search", "Ingestion"),       // the chunk store
        ("Tutors", "Auth"),            // accounts of approved tutors
    ];

    [GeneratedRegex(@"CoursePlatform\.Functions\.Features\.(?<to>[A-Za-z]+)")]
    private static partial Regex FeatureReference();

    private static string FeaturesFolder => Path.Combine(Paths.RepositoryRoot, "src", "Functions", "Features");

    private static HashSet<(string From, string To)> Edges() =>
        [.. Directory.EnumerateDirectories(FeaturesFolder).SelectMany(folder =>
        {
            var from = Path.GetFileName(folder);
            return Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories)
                .SelectMany(file => FeatureReference().Matches(File.ReadAllText(file)).Select(m => m.Groups["to"].Value))
                .Where(to => to != from)
                .Select(to => (from, to));
        })];

    [Fact]
    public void Features_use_each_other_only_along_the_declared_edges()
    {
        var edges = Edges();
        Assert.NotEmpty(edges);
        var undeclared = edges.Except(Allowed).Select(e => $"{e.From} -> {e.To}").Order().ToList();
        var unused = Allowed.Except(edges).Select(e => $"{e.From} -> {e.To}").Order().ToList();
        Assert.True(undeclared.Count == 0 && unused.Count == 0,
            $"Undeclared feature dependencies (declare them in {nameof(Allowed)} with a reason, or remove them):\n{string.Join("\n", undeclared)}" +
            $"\nDeclared but no longer used (remove them from {nameof(Allowed)}):\n{string.Join("\n", unused)}");
    }

    [Fact]
    public void The_feature_graph_has_no_cycle()
    {
        var cycle = FindCycle(Edges());
        Assert.True(cycle is null, $"A cycle between features: {string.Join(" -> ", cycle ?? [])}");
    }

    [Fact]
    public void No_two_types_of_the_app_share_a_name()
    {
        // One meaning per name: a second "TutorFunctions" in another feature is a rename waiting to happen.
        var shared = typeof(AppComposition).Assembly.GetTypes()
            .Where(t => !t.IsNested && !t.Name.StartsWith('<') && t.Namespace?.StartsWith("CoursePlatform.Functions", StringComparison.Ordinal) == true)
            .GroupBy(t => t.Name).Where(g => g.Count() > 1)
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(t => t.Namespace))}").ToList();
        Assert.True(shared.Count == 0, "Types that share a name:\n" + string.Join("\n", shared));
    }

    [Fact]
    public void The_cycle_check_finds_a_cycle()
    {
        Assert.Equal(["A", "B", "C", "A"], FindCycle([("A", "B"), ("B", "C"), ("C", "A"), ("C", "D")]));
        Assert.Null(FindCycle([("A", "B"), ("B", "C"), ("A", "C")]));
    }

    /// <summary>A path that returns to its start, or null when the graph is acyclic (depth-first search).</summary>
    private static List<string>? FindCycle(IEnumerable<(string From, string To)> edges)
    {
        var next = edges.GroupBy(e => e.From).ToDictionary(g => g.Key, g => g.Select(e => e.To).Order().ToList());
        var done = new HashSet<string>();
        var path = new List<string>();
        List<string>? Visit(string node)
        {
            if (path.IndexOf(node) is var at and >= 0) return [.. path[at..], node];
            if (!done.Add(node)) return null;
            path.Add(node);
            foreach (var to in next.GetValueOrDefault(node, [])) if (Visit(to) is { } found) return found;
            path.RemoveAt(path.Count - 1);
            return null;
        }
        return next.Keys.Order().Select(Visit).FirstOrDefault(c => c is not null);
    }
}
