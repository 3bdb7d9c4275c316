using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Auth;

/// <summary>What the sign-in functions share at the HTTP edge.</summary>
internal static class AuthHttp
{
    /// <summary>Responses that carry tokens or one-time codes must not be cached anywhere.</summary>
    public static HttpResponseData NoStore(this HttpResponseData response)
    {
        response.Headers.Add("Cache-Control", "no-store");
        response.Headers.Add("Pragma", "no-cache");
        return response;
    }
}
