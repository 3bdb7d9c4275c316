using System.Globalization;
using CoursePlatform.Benchmarks;

// dotnet run -c Release --project tools/Benchmarks -- session-expiry [rows]
// dotnet run -c Release --project tools/Benchmarks -- lesson [iterations]   (lesson, outline, catalog, session check vs their raw-SQL floors)
// dotnet run -c Release --project tools/Benchmarks -- ingestion [search-chunks]
// dotnet run -c Release --project tools/Benchmarks -- knowledge-store [chunks] [clustered|exact]   (issue 26: vector vs halfvec HNSW vs exact, 1,000 courses)
// dotnet run -c Release --project tools/Benchmarks -- knowledge-store <chunks> hnsw-grid [courses]   (issue 26: the halfvec index's m and ef_construction, 10 courses)
// dotnet run -c Release --project tools/Benchmarks -- tutor [quota-rows]
// dotnet run -c Release --project tools/Benchmarks -- tutor-retrieval [MiniLM|ArcticXs ...]   (issue 28 evaluation; default both models)
// dotnet run -c Release --project tools/Benchmarks -- load-seed <database> <tokens.json> <signing key> (scripts/load.sh)
var name = args.FirstOrDefault();
switch (name)
{
    case "session-expiry":
        await SessionExpiryBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000);
        return 0;
    case "lesson":
        await LessonBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1000);
        return 0;
    case "ingestion":
        await IngestionBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000);
        return 0;
    case "knowledge-store" when args.Length > 2 && args[2] == "hnsw-grid":
        await KnowledgeStoreBenchmark.RunGridAsync(int.Parse(args[1], CultureInfo.InvariantCulture),
            args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10);
        return 0;
    case "knowledge-store":
        await KnowledgeStoreBenchmark.RunAsync(
            args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000,
            clustered: args.Length > 2 && args[2] == "clustered", exactOnly: args.Length > 2 && args[2] == "exact");
        return 0;
    case "tutor":
        await AiTutorBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000);
        return 0;
    case "load-seed" when args.Length == 4:
        await LoadSeed.RunAsync(args[1], args[2], args[3]);
        return 0;
    case "tutor-retrieval":
        await AiTutorRetrievalBenchmark.RunAsync(args.Skip(1).ToList());
        return 0;
    default:
        Console.Error.WriteLine("usage: benchmarks session-expiry [rows] | lesson [iterations] | ingestion [search-chunks] | knowledge-store [chunks] [clustered|exact] | knowledge-store <chunks> hnsw-grid [courses] | tutor [quota-rows] | tutor-retrieval");
        return 2;
}
