namespace CoursePlatform.Testing;

/// <summary>
/// Addresses of the local services that scripts/services.sh starts, defined once for the tests, the host
/// tests and the benchmarks.
/// </summary>
public static class LocalServices
{
    /// <summary>The PostgreSQL server, without a database: COURSEPLATFORM_TEST_PG, else the cluster of scripts/services.sh.</summary>
    public static string PostgresServer { get; } =
        Environment.GetEnvironmentVariable("COURSEPLATFORM_TEST_PG") is { Length: > 0 } server
            ? server
            : "Host=127.0.0.1;Port=54329;Username=postgres;Password=postgres";

    /// <summary><see cref="PostgresServer"/> with a database named.</summary>
    public static string PostgresDatabase(string database) =>
        new Npgsql.NpgsqlConnectionStringBuilder(PostgresServer) { Database = database }.ConnectionString;

    /// <summary>Azurite's well-known development account (public, documented; not a secret).</summary>
    public const string AzuriteConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /// <summary>The app's content container (IngestionOptions.Container), which the Bicep and run.sh create before the app starts.</summary>
    public const string ContentContainer = "course-content";

    /// <summary>Create the content container as a deployment does: without it health answers 503 (a fresh Azurite has none).</summary>
    public static async Task EnsureContentContainerAsync() =>
        await new Azure.Storage.Blobs.BlobContainerClient(AzuriteConnectionString, ContentContainer).CreateIfNotExistsAsync();

    /// <summary>
    /// A host id of its own for a test's host: blob receipts are kept per host id, and hosts of other tests (other
    /// databases) scan the same container, so a shared id would let one of them take this test's upload.
    /// </summary>
    public static string NewHostId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..32];

    /// <summary>Deletes the blob receipts a host id left (blobreceipts/{host}/...).</summary>
    public static async Task DeleteBlobReceiptsAsync(string hostId)
    {
        var receipts = new Azure.Storage.Blobs.BlobContainerClient(AzuriteConnectionString, "azure-webjobs-hosts");
        if (!await receipts.ExistsAsync()) return;
        await foreach (var receipt in receipts.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, $"blobreceipts/{hostId}/", CancellationToken.None))
            await receipts.DeleteBlobIfExistsAsync(receipt.Name);
    }

    /// <summary>PgBouncer in transaction mode in front of the same server (scripts/services.sh): COURSEPLATFORM_TEST_PGBOUNCER_PORT, else 64329.</summary>
    public static int PgBouncerPort { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("COURSEPLATFORM_TEST_PGBOUNCER_PORT"), out var port) ? port : 64329;

    /// <summary>A loopback port nothing listens on, for "dependency is down" tests.</summary>
    public const int ClosedPort = 9;
}
