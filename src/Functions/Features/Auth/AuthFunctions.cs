using System.ComponentModel.DataAnnotations;
using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Auth;

public sealed record LoginRequest(
    [property: Required, EmailAddress, MaxLength(320)] string? Email,
    [property: Required, MaxLength(1024)] string? Password);

public sealed record PasswordSetupRequest(
    [property: Required(ErrorMessage = "Send the token from the password-setup link."), MaxLength(200)] string? Token,
    [property: Required(ErrorMessage = "Choose a password."), MaxLength(1024)] string? Password);

public sealed record RefreshRequest([property: Required, MaxLength(200)] string? RefreshToken);

public sealed class AuthFunctions(StaffLoginService staffLogin, SessionService sessions, PasswordSetupService passwordSetup, ClientAddress addresses)
{
    [Function("StaffLogin")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> Login(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/login")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<LoginRequest>(cancellationToken);
        var tokens = await staffLogin.LoginAsync(body.Email!, body.Password!, addresses.Client(request), cancellationToken);
        return (await request.OkAsync(tokens, cancellationToken)).NoStore();
    }

    /// <summary>Sets a staff account's first password with a one-time token from an admin, and signs in.</summary>
    [Function("CompletePasswordSetup")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> SetUpPassword(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/password-setup")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<PasswordSetupRequest>(cancellationToken);
        var tokens = await passwordSetup.CompleteAsync(body.Token!, body.Password!, addresses.Client(request), cancellationToken);
        return (await request.OkAsync(tokens, cancellationToken)).NoStore();
    }

    [Function("RefreshSession")]
    [Allow(Callers.Anyone)]
    public async Task<HttpResponseData> Refresh(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/refresh")] HttpRequestData request, CancellationToken cancellationToken)
    {
        var body = await request.ReadJsonAsync<RefreshRequest>(cancellationToken);
        var tokens = await sessions.RefreshAsync(body.RefreshToken!, addresses.Client(request), cancellationToken);
        return (await request.OkAsync(tokens, cancellationToken)).NoStore();
    }

    [Function("Logout")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> Logout(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "auth/logout")] HttpRequestData request, FunctionContext context,
        CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        await sessions.RevokeFamilyAsync(caller.SessionId, "logout", cancellationToken);
        return request.NoContent();
    }
}
