using Azure.Storage.Blobs;

namespace CoursePlatform.FunctionsHost.Tests.Infrastructure;

/// <summary>The local services the tests use: Azurite (well-known dev account) and PostgreSQL.</summary>
public static class Services
{
    public const string Azurite =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    public static string Postgres =>
        Environment.GetEnvironmentVariable("COURSEPLATFORM_TEST_PG") is { Length: > 0 } pg
            ? pg
            : "Host=127.0.0.1;Port=54329;Username=postgres;Password=postgres;Database=postgres";

    public static BlobServiceClient Blobs { get; } = new(Azurite);

    /// <summary>A container name no other test (or earlier run) uses.</summary>
    public static string UniqueContainer(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
}
