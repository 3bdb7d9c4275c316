using System.Net;
using Azure.Storage.Blobs;
using CoursePlatform.DevTool;
using CoursePlatform.Testing;

namespace CoursePlatform.Data.Tests;

/// <summary><c>DevTool storage-cors</c>: a page on the frontend's origin may PUT to an upload URL on Azurite, as in Azure.</summary>
public class StorageCorsTests
{
    [Fact]
    public async Task The_frontend_origin_passes_the_blob_services_preflight_for_a_put_and_others_do_not()
    {
        var allowed = await StorageCors.ApplyAsync(LocalServices.AzuriteConnectionString, " http://localhost:5173 , not an origin", default);
        Assert.Equal(["http://localhost:5173"], allowed);

        var blob = new BlobServiceClient(LocalServices.AzuriteConnectionString).GetBlobContainerClient("course-content").GetBlobClient($"{Guid.NewGuid()}/deck.pptx");
        using var http = new HttpClient();
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, blob.Uri);
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "PUT");
            request.Headers.Add("Access-Control-Request-Headers", "x-ms-blob-type,content-type");
            return await http.SendAsync(request);
        }

        using var ok = await Preflight("http://localhost:5173");
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal("http://localhost:5173", ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        using var other = await Preflight("https://evil.example");
        Assert.NotEqual(HttpStatusCode.OK, other.StatusCode);
        await Assert.ThrowsAsync<DevToolException>(() => StorageCors.ApplyAsync(LocalServices.AzuriteConnectionString, "", default));
    }
}
