using Azure.Storage.Blobs;

namespace CoursePlatform.FunctionsHost.Tests.Infrastructure;

/// <summary>The local services the tests use: Azurite (well-known dev account) and PostgreSQL.</summary>
public static class Services
{
    public const string Azurite = CoursePlatform.Testing.LocalServices.AzuriteConnectionString;

    public static string Postgres => CoursePlatform.Testing.LocalServices.PostgresDatabase("postgres");

    public static BlobServiceClient Blobs { get; } = new(Azurite);

    /// <summary>A container name no other test (or earlier run) uses.</summary>
    public static string UniqueContainer(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];
}
