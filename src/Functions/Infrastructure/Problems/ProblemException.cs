using System.Net;

namespace CoursePlatform.Functions.Infrastructure.Problems;

/// <summary>
/// An error the caller can act on. Services throw it; <see cref="ProblemDetailsMiddleware"/> turns it into
/// an RFC 9457 <c>application/problem+json</c> response whose <c>type</c> and <c>code</c> come from
/// <see cref="Code"/>. Use the factories; pass a specific <see cref="ProblemCodes"/> entry wherever a client
/// must tell the case apart from others of its status. A problem that names no code gets the generic one of
/// its status (<c>not_found</c>, <c>conflict</c>, …).
/// </summary>
public sealed class ProblemException(
    HttpStatusCode status,
    string title,
    string detail,
    IReadOnlyDictionary<string, string[]>? errors = null,
    IReadOnlyDictionary<string, string>? headers = null,
    ProblemCode? code = null) : Exception(detail)
{
    /// <summary>A problem of a listed kind: its status and title are the code's.</summary>
    public ProblemException(ProblemCode code, string detail, IReadOnlyDictionary<string, string[]>? errors = null,
        IReadOnlyDictionary<string, string>? headers = null)
        : this(code.Status, code.Title, detail, errors, headers, code) { }

    public HttpStatusCode Status { get; } = code is null || code.Status == status ? status
        : throw new ArgumentException($"The code {code.Code} goes with status {(int)code.Status}, not {(int)status}.", nameof(code));
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public ProblemCode Code { get; } = code ?? ProblemCodes.ForStatus(status);
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;
    public IReadOnlyDictionary<string, string> Headers { get; } = headers ?? new Dictionary<string, string>();

    /// <summary>A problem of a listed kind, with <c>Retry-After</c> when it resolves itself after a while.</summary>
    public static ProblemException For(ProblemCode code, string detail, TimeSpan? retryAfter = null) =>
        new(code, detail, headers: retryAfter is { } after ? RetryAfter(after) : null);

    public static ProblemException BadRequest(string detail, ProblemCode? code = null) =>
        new(code ?? ProblemCodes.BadRequest, detail);

    /// <summary>Field (camelCase path) -> messages.</summary>
    public static ProblemException Validation(IReadOnlyDictionary<string, string[]> errors) =>
        Validation(errors, "One or more fields are invalid; see errors.");

    public static ProblemException Validation(IReadOnlyDictionary<string, string[]> errors, string detail) =>
        new(ProblemCodes.ValidationFailed, detail, errors);

    public static ProblemException Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemException Unauthorized(string detail = "Sign in to use this endpoint.", string? bearerError = null, ProblemCode? code = null) =>
        new(code ?? ProblemCodes.Unauthorized, detail, headers: new Dictionary<string, string>
        {
            ["WWW-Authenticate"] = bearerError is null ? "Bearer" : $"Bearer error=\"{bearerError}\"",
        });

    public static ProblemException Forbidden(string detail = "You do not have access to this resource.", ProblemCode? code = null) =>
        new(code ?? ProblemCodes.Forbidden, detail);

    /// <summary>Also used where existence must not leak (another learner's resource).</summary>
    public static ProblemException NotFound(string what) =>
        new(ProblemCodes.NotFound, $"The {what} does not exist.");

    public static ProblemException Conflict(string detail, ProblemCode? code = null) =>
        new(code ?? ProblemCodes.Conflict, detail);

    /// <summary>A conflict that resolves itself after <paramref name="retryAfter"/> (a cooldown, say).</summary>
    public static ProblemException Conflict(string title, string detail, TimeSpan retryAfter) =>
        new(HttpStatusCode.Conflict, title, detail, headers: RetryAfter(retryAfter), code: ProblemCodes.Conflict);

    public static ProblemException PayloadTooLarge(long maxBytes) =>
        new(ProblemCodes.PayloadTooLarge, $"The request body is larger than {maxBytes} bytes.");

    public static ProblemException UnsupportedMediaType(string expected) =>
        new(ProblemCodes.UnsupportedMediaType, $"Send the body as {expected}.");

    public static ProblemException TooManyRequests(TimeSpan retryAfter, string detail = "Too many requests; try again later.", ProblemCode? code = null) =>
        new(code ?? ProblemCodes.RateLimited, detail, headers: RetryAfter(retryAfter));

    public static ProblemException ServiceUnavailable(TimeSpan retryAfter, string detail, ProblemCode? code = null) =>
        new(code ?? ProblemCodes.ServiceUnavailable, detail, headers: RetryAfter(retryAfter));

    /// <summary>Whole seconds, at least 1: a client must not retry at once.</summary>
    private static Dictionary<string, string> RetryAfter(TimeSpan after) => new()
    {
        ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
