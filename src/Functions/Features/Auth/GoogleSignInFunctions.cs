using System.ComponentModel.DataAnnotations;
using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Auth;

public sealed record ExchangeRequest([property: Required, MaxLength(200)] string? Code);

public sealed class GoogleSignInFunctions(GoogleSignInService google)
{
    [Function("GoogleSignInStart")]
    public async Task<HttpResponseData> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/google/start")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var location = await google.StartAsync(request.Query["redirect"], request.Query["login_hint"], cancellationToken);
        return Redirect(request, location);
    }

    [Function("GoogleSignInCallback")]
    public async Task<HttpResponseData> Callback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/google/callback")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var location = await google.CallbackAsync(request.Query["code"], request.Query["state"], request.Query["error"], cancellationToken);
        return Redirect(request, location);
    }

    [Function("ExchangeLoginCode")]
    public async Task<HttpResponseData> Exchange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/exchange")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<ExchangeRequest>(cancellationToken);
        var tokens = await google.ExchangeAsync(body.Code!, AuthHttp.Client(request), cancellationToken);
        return (await request.JsonAsync(HttpStatusCode.OK, tokens, cancellationToken: cancellationToken)).NoStore();
    }

    private static HttpResponseData Redirect(HttpRequestData request, Uri location)
    {
        var response = request.CreateResponse(HttpStatusCode.Found);
        response.Headers.Add("Location", location.ToString());
        response.NoStore();
        response.Headers.Add("Referrer-Policy", "no-referrer"); // the one-time code must not leak through Referer
        return response;
    }
}
