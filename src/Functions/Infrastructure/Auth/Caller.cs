using CoursePlatform.Data;

namespace CoursePlatform.Functions.Infrastructure.Auth;

/// <summary>The signed-in user of a request, from a validated access token.</summary>
public sealed record Caller(Guid UserId, Guid SessionId, UserRole Role)
{
    public bool IsAdmin => Role == UserRole.Admin;
}
