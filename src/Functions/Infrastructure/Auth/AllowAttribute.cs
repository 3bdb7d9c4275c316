namespace CoursePlatform.Functions.Infrastructure.Auth;

/// <summary>Who may call an HTTP function, checked by the authorization middleware before it runs.</summary>
public enum Callers
{
    /// <summary>Anyone, signed in or not (a valid token still identifies the caller).</summary>
    Anyone,

    /// <summary>Any signed-in user; 401 otherwise.</summary>
    SignedIn,

    /// <summary>Tutors and admins (401 anonymous, 403 learners); the service then checks the course assignment.</summary>
    CourseStaff,

    /// <summary>Admins only (401 anonymous, 403 otherwise).</summary>
    Admins,
}

/// <summary>
/// The one declaration of who may call an HTTP-triggered function, next to its trigger. A function without it is
/// refused at run time and fails <c>AuthorizationDeclarationTests</c>: access is denied by default.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class AllowAttribute(Callers callers) : Attribute
{
    public Callers Callers { get; } = callers;
}
