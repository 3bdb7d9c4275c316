using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using CoursePlatform.Data;

namespace CoursePlatform.Functions.Tests.Security;

/// <summary>The second audit's finding 10 on the running app: re-ingesting is queued, never run inside the HTTP call.</summary>
public sealed class ReingestQueueHttpTests(HostedApp app) : IClassFixture<HostedApp>
{
    private async Task<HttpResponseMessage> Send(string token, HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null) request.Content = new StringContent(JsonSerializer.Serialize(body, JsonSerializerOptions.Web), Encoding.UTF8, "application/json");
        return await app.Api.SendAsync(request);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();

    [Fact]
    public async Task Reingest_answers_202_with_a_status_to_poll_and_a_per_source_cooldown()
    {
        var (_, admin) = await app.SignInAsync(UserRole.Admin);
        var slug = $"rq-{Guid.NewGuid():N}"[..14];
        using (var created = await Send(admin, HttpMethod.Post, "manage/courses", new { slug, name = "Queued" }))
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var ticket = await Send(admin, HttpMethod.Post, $"manage/courses/{slug}/uploads", new { fileName = "notes.vtt" });
        using (var put = new HttpRequestMessage(HttpMethod.Put, (await Json(ticket)).GetProperty("uploadUrl").GetString())
               { Content = new StringContent("WEBVTT\n\n00:00.000 --> 00:05.000\nSubnets split networks into smaller ones.\n") })
        {
            put.Headers.Add("x-ms-blob-type", "BlockBlob");
            using var http = new HttpClient();
            Assert.Equal(HttpStatusCode.Created, (await http.SendAsync(put)).StatusCode);
        }

        // Before: 200 after ingesting inside the call (seconds for a large file).
        using var accepted = await Send(admin, HttpMethod.Post, $"manage/courses/{slug}/sources/reingest?path=notes.vtt");
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var status = accepted.Headers.Location!.OriginalString;
        Assert.StartsWith($"/api/manage/courses/{slug}/ingestions/", status, StringComparison.Ordinal);
        Assert.Equal((await Json(accepted)).GetProperty("id").GetString(), status.Split('/')[^1]);

        using (var again = await Send(admin, HttpMethod.Post, $"manage/courses/{slug}/sources/reingest?path=notes.vtt"))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
            Assert.NotNull(again.Headers.RetryAfter);
        }

        var deadline = DateTime.UtcNow.AddSeconds(60);
        string? state = null;
        while (DateTime.UtcNow < deadline)
        {
            using var poll = await Send(admin, HttpMethod.Get, status);
            Assert.Equal(HttpStatusCode.OK, poll.StatusCode);
            state = (await Json(poll)).GetProperty("status").GetString();
            if (state is "succeeded" or "failed") break;
            await Task.Delay(500);
        }
        Assert.Equal("succeeded", state);
        using var stranger = await Send(admin, HttpMethod.Get, $"manage/courses/{slug}/ingestions/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, stranger.StatusCode);
    }
}
