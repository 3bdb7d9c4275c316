namespace CoursePlatform.Testing;

/// <summary>Addresses of the local services that scripts/services.sh starts.</summary>
public static class LocalServices
{
    /// <summary>Azurite's well-known development account (public, documented; not a secret).</summary>
    public const string AzuriteConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        "BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10001/devstoreaccount1;" +
        "TableEndpoint=http://127.0.0.1:10002/devstoreaccount1;";

    /// <summary>A loopback port nothing listens on, for "dependency is down" tests.</summary>
    public const int ClosedPort = 9;
}
