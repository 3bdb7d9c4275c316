using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CoursePlatform.Functions.Infrastructure.Auth;

/// <summary>
/// Validates <c>Authorization: Bearer</c> on HTTP requests and exposes the caller to functions
/// (<see cref="CallerExtensions.GetCaller"/>). No header means anonymous; a header that is not a valid
/// token of a live session is a 401, so a client learns at once that it must refresh.
/// </summary>
public sealed class AuthenticationMiddleware(AccessTokens tokens) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        if (context.IsHttpTrigger() && await context.GetHttpRequestDataAsync() is { } request
            && request.Headers.TryGetValues("Authorization", out var values))
        {
            var header = values.FirstOrDefault() ?? "";
            if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
                throw ProblemException.Unauthorized("Use an Authorization: Bearer access token.", "invalid_request", ProblemCodes.InvalidToken);

            var caller = await tokens.ValidateAsync(header["Bearer ".Length..].Trim())
                ?? throw ProblemException.Unauthorized("The access token is invalid or expired.", "invalid_token", ProblemCodes.InvalidToken);

            // Logout and theft detection revoke a session before its access tokens expire.
            var db = context.InstanceServices.GetRequiredService<CoursePlatformDbContext>();
            if (!await IsSessionLiveAsync(db, caller, context.CancellationToken)) throw ProblemException.Unauthorized("The session has ended; sign in again.", "invalid_token", ProblemCodes.InvalidToken);

            context.Items[CallerExtensions.ItemKey] = caller;
        }
        await next(context);
    }

    /// <summary>
    /// Whether the caller's session has not been revoked: one indexed lookup on every signed-in request, never cached,
    /// so a logout or a detected token theft refuses the very next request. Through ADO.NET (<see cref="RawSqlReads"/>):
    /// it is the statement the app runs most.
    /// </summary>
    public static Task<bool> IsSessionLiveAsync(CoursePlatformDbContext db, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return db.ReadAsync(
            "SELECT EXISTS (SELECT 1 FROM user_sessions WHERE family_id = @family_id AND user_id = @user_id AND revoked_at IS NULL)",
            [new NpgsqlParameter<Guid>("family_id", caller.SessionId), new NpgsqlParameter<Guid>("user_id", caller.UserId)],
            async (reader, ct) => await reader.ReadAsync(ct) && reader.GetBoolean(0),
            cancellationToken);
    }
}

public static class CallerExtensions
{
    internal const string ItemKey = "CoursePlatform.Caller";

    /// <summary>The signed-in caller, or null for an anonymous request.</summary>
    public static Caller? GetCaller(this FunctionContext context) =>
        context.Items.TryGetValue(ItemKey, out var caller) ? (Caller)caller : null;

    /// <summary>
    /// The signed-in caller of a function whose <see cref="AllowAttribute"/> requires one (so never anonymous there; 401
    /// otherwise). Who may call is declared on the function, not decided here.
    /// </summary>
    public static Caller RequireCaller(this FunctionContext context) =>
        context.GetCaller() ?? throw ProblemException.Unauthorized();
}
