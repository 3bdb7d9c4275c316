using System.Net;

namespace CoursePlatform.Functions.Infrastructure.Problems;

/// <summary>
/// An error the caller can act on. Services throw it; <see cref="ProblemDetailsMiddleware"/> turns it into
/// an RFC 9457 <c>application/problem+json</c> response. Use the factories so titles stay consistent.
/// </summary>
public sealed class ProblemException(
    HttpStatusCode status,
    string title,
    string detail,
    IReadOnlyDictionary<string, string[]>? errors = null,
    IReadOnlyDictionary<string, string>? headers = null) : Exception(detail)
{
    public HttpStatusCode Status { get; } = status;
    public string Title { get; } = title;
    public string Detail { get; } = detail;
    public IReadOnlyDictionary<string, string[]>? Errors { get; } = errors;
    public IReadOnlyDictionary<string, string> Headers { get; } = headers ?? new Dictionary<string, string>();

    public static ProblemException BadRequest(string detail) =>
        new(HttpStatusCode.BadRequest, "Bad request", detail);

    /// <summary>Field (camelCase path) -> messages.</summary>
    public static ProblemException Validation(IReadOnlyDictionary<string, string[]> errors) =>
        new(HttpStatusCode.BadRequest, "Validation failed", "One or more fields are invalid; see errors.", errors);

    public static ProblemException Validation(string field, string message) =>
        Validation(new Dictionary<string, string[]> { [field] = [message] });

    public static ProblemException Unauthorized(string detail = "Sign in to use this endpoint.", string? bearerError = null) =>
        new(HttpStatusCode.Unauthorized, "Unauthorized", detail, headers: new Dictionary<string, string>
        {
            ["WWW-Authenticate"] = bearerError is null ? "Bearer" : $"Bearer error=\"{bearerError}\"",
        });

    public static ProblemException Forbidden(string detail = "You do not have access to this resource.") =>
        new(HttpStatusCode.Forbidden, "Forbidden", detail);

    /// <summary>Also used where existence must not leak (another learner's resource).</summary>
    public static ProblemException NotFound(string what) =>
        new(HttpStatusCode.NotFound, "Not found", $"The {what} does not exist.");

    public static ProblemException Conflict(string detail) =>
        new(HttpStatusCode.Conflict, "Conflict", detail);

    /// <summary>A conflict that resolves itself after <paramref name="retryAfter"/> (a cooldown, say).</summary>
    public static ProblemException Conflict(string title, string detail, TimeSpan retryAfter) =>
        new(HttpStatusCode.Conflict, title, detail, headers: RetryAfter(retryAfter));

    public static ProblemException PayloadTooLarge(long maxBytes) =>
        new(HttpStatusCode.RequestEntityTooLarge, "Payload too large", $"The request body is larger than {maxBytes} bytes.");

    public static ProblemException UnsupportedMediaType(string expected) =>
        new(HttpStatusCode.UnsupportedMediaType, "Unsupported media type", $"Send the body as {expected}.");

    public static ProblemException TooManyRequests(TimeSpan retryAfter, string detail = "Too many requests; try again later.") =>
        new(HttpStatusCode.TooManyRequests, "Too many requests", detail, headers: RetryAfter(retryAfter));

    public static ProblemException ServiceUnavailable(TimeSpan retryAfter, string detail) =>
        new(HttpStatusCode.ServiceUnavailable, "Service unavailable", detail, headers: RetryAfter(retryAfter));

    /// <summary>Whole seconds, at least 1: a client must not retry at once.</summary>
    private static Dictionary<string, string> RetryAfter(TimeSpan after) => new()
    {
        ["Retry-After"] = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };
}
