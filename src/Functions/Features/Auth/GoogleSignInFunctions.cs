using CoursePlatform.Functions.Infrastructure.Auth;
using System.ComponentModel.DataAnnotations;
using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Auth;

/// <summary>The one-time code from the redirect and the verifier whose S256 challenge the sign-in started with.</summary>
public sealed record ExchangeRequest(
    [property: Required, MaxLength(200)] string? Code,
    [property: Required, MinLength(43), MaxLength(128)] string? CodeVerifier);

public sealed class GoogleSignInFunctions(GoogleSignInService google, ClientAddress addresses)
{
    [Function("GoogleSignInStart")]
    [Allow(Callers.Anyone)]
    [QueryParameter("redirect", "The frontend URL to return to; its origin must be one of Google__AllowedRedirectOrigins.", Required = true)]
    [QueryParameter("code_challenge", "The base64url SHA-256 (43 characters) of a random code_verifier the frontend keeps for POST /auth/exchange.", Required = true)]
    [QueryParameter("login_hint", "An email address to preselect at the provider.", MaxLength = 320)]
    public async Task<HttpResponseData> Start(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/google/start")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var (location, cookie) = await google.StartAsync(request.Query["redirect"], request.Query["login_hint"], request.Query["code_challenge"],
            addresses.Of(request), BindingOf(request), cancellationToken);
        var response = Redirect(request, location);
        response.Cookies.Append(new HttpCookie(cookie.Name, cookie.Value)
        {
            HttpOnly = true, SameSite = SameSite.Lax, Secure = cookie.Secure, Path = "/api/auth/google", MaxAge = cookie.MaxAge.TotalSeconds,
        });
        return response;
    }

    [Function("GoogleSignInCallback")]
    [Allow(Callers.Anyone)]
    [ProblemsAsRedirect]
    [QueryParameter("code", "The provider's authorization code.")]
    [QueryParameter("state", "The state the sign-in started with.")]
    [QueryParameter("error", "The provider's error, when the sign-in was refused.")]
    public async Task<HttpResponseData> Callback(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "auth/google/callback")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var location = await google.CallbackRedirectAsync(request.Query["code"], request.Query["state"], request.Query["error"], BindingOf(request),
            addresses.Of(request), cancellationToken);
        var response = Redirect(request, location);
        // The binding is spent with the state: expire it.
        response.Cookies.Append(new HttpCookie(GoogleSignInService.BindingCookie, "") { HttpOnly = true, Path = "/api/auth/google", MaxAge = 0 });
        return response;
    }

    [Function("ExchangeLoginCode")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> Exchange(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/exchange")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<ExchangeRequest>(cancellationToken);
        var tokens = await google.ExchangeAsync(body.Code!, body.CodeVerifier!, addresses.Client(request), cancellationToken);
        return (await request.OkAsync(tokens, cancellationToken)).NoStore();
    }

    private static string? BindingOf(HttpRequestData request) =>
        request.Cookies.FirstOrDefault(c => c.Name == GoogleSignInService.BindingCookie)?.Value;

    private static HttpResponseData Redirect(HttpRequestData request, Uri location)
    {
        var response = request.CreateResponse(HttpStatusCode.Found);
        response.Headers.Add("Location", location.AbsoluteUri); // escaped: ToString() would unescape error_description
        response.NoStore();
        response.Headers.Add("Referrer-Policy", "no-referrer"); // the one-time code must not leak through Referer
        return response;
    }
}
