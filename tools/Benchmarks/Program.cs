using System.Globalization;
using CoursePlatform.Benchmarks;

// dotnet run -c Release --project tools/Benchmarks -- session-expiry [rows]
// dotnet run -c Release --project tools/Benchmarks -- lesson [iterations]
// dotnet run -c Release --project tools/Benchmarks -- ingestion [search-chunks]
// dotnet run -c Release --project tools/Benchmarks -- tutor [quota-rows]
// dotnet run -c Release --project tools/Benchmarks -- tutor-retrieval
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
    case "tutor":
        await TutorBenchmark.RunAsync(args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000);
        return 0;
    case "tutor-retrieval":
        await TutorRetrievalBenchmark.RunAsync();
        return 0;
    default:
        Console.Error.WriteLine("usage: benchmarks session-expiry [rows] | lesson [iterations] | ingestion [search-chunks] | tutor [quota-rows] | tutor-retrieval");
        return 2;
}
