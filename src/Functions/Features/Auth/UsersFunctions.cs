using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Auth;

public sealed class UsersFunctions(CoursePlatformDbContext db, AccountService accounts, ILogger<UsersFunctions> logger)
{
    [Function("GetMe")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> GetMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "users/me")] HttpRequestData request, FunctionContext context,
        CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var me = await db.Users.AsNoTracking().Where(u => u.Id == caller.UserId)
            .Select(u => new UserProfile(u.Id, u.Email, u.FullName, u.PictureUrl, u.Role))
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("user");
        return await request.OkAsync(me, cancellationToken);
    }

    /// <summary>Deletes the account and its personal rows (sessions included); refused while orders that moved money exist.</summary>
    [Function("DeleteMe")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> DeleteMe(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "users/me")] HttpRequestData request, FunctionContext context,
        CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        await accounts.DeleteAsync(caller.UserId, cancellationToken);
        logger.LogInformation("User {UserId} deleted their account", caller.UserId);
        return request.NoContent();
    }
}
