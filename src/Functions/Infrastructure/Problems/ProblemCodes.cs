using System.Net;
using System.Reflection;

namespace CoursePlatform.Functions.Infrastructure.Problems;

/// <summary>
/// One kind of problem a client can tell apart without reading English: a stable <see cref="Code"/>
/// (lower_snake), a <see cref="Type"/> URI of its own, the HTTP status it always comes with and a fixed title.
/// </summary>
public sealed record ProblemCode(string Code, HttpStatusCode Status, string Title, string Description)
{
    /// <summary>Where the problem types live: <c>{TypeBase}{code with dashes}</c>.</summary>
    public const string TypeBase = "https://courseplatform.dev/problems/";

    /// <summary>The RFC 9457 <c>type</c>, e.g. <c>https://courseplatform.dev/problems/quiz-cooldown</c>.</summary>
    public string Type => TypeBase + Code.Replace('_', '-');

    public override string ToString() => Code;
}

/// <summary>
/// Every problem code the API returns, listed once: the middleware writes them, the OpenAPI document lists
/// them (per operation, the ones its code can reach), and docs/api.md points here. The generic code of a
/// status (<c>not_found</c>, <c>conflict</c>, …) is what a problem without a more specific code gets.
/// </summary>
public static class ProblemCodes
{
    // Generic: the default of each status.
    public static readonly ProblemCode BadRequest = new("bad_request", HttpStatusCode.BadRequest, "Bad request",
        "The request cannot be processed as sent (an empty body, a value the database cannot store, a missing query value).");
    public static readonly ProblemCode ValidationFailed = new("validation_failed", HttpStatusCode.BadRequest, "Validation failed",
        "One or more fields are invalid; `errors` maps each field (camelCase path) to its messages.");
    public static readonly ProblemCode Unauthorized = new("unauthorized", HttpStatusCode.Unauthorized, "Unauthorized",
        "The endpoint needs a signed-in caller: send `Authorization: Bearer <accessToken>`.");
    public static readonly ProblemCode PaymentRequired = new("payment_required", HttpStatusCode.PaymentRequired, "Payment required",
        "The course is paid: add it to the cart and check out.");
    public static readonly ProblemCode Forbidden = new("forbidden", HttpStatusCode.Forbidden, "Forbidden",
        "The caller is signed in but may not do this.");
    public static readonly ProblemCode NotFound = new("not_found", HttpStatusCode.NotFound, "Not found",
        "The resource does not exist (or is not visible to the caller).");
    public static readonly ProblemCode MethodNotAllowed = new("method_not_allowed", HttpStatusCode.MethodNotAllowed, "Method not allowed",
        "The route exists but does not answer this method; `Allow` lists the ones it does.");
    public static readonly ProblemCode Conflict = new("conflict", HttpStatusCode.Conflict, "Conflict",
        "The request conflicts with the current state of the resource.");
    public static readonly ProblemCode PreconditionFailed = new("precondition_failed", HttpStatusCode.PreconditionFailed, "Precondition failed",
        "The `If-Match` ETag is not the resource's current one: someone changed it since you read it. Read it again and re-apply the change.");
    public static readonly ProblemCode PayloadTooLarge = new("payload_too_large", HttpStatusCode.RequestEntityTooLarge, "Payload too large",
        "The request body is larger than the limit (Http__MaxRequestBodyBytes).");
    public static readonly ProblemCode UnsupportedMediaType = new("unsupported_media_type", HttpStatusCode.UnsupportedMediaType, "Unsupported media type",
        "Send the body as application/json.");
    public static readonly ProblemCode RateLimited = new("rate_limited", HttpStatusCode.TooManyRequests, "Too many requests",
        "Too many requests of this kind in a short time; retry after `Retry-After` seconds.");
    public static readonly ProblemCode InternalError = new("internal_error", HttpStatusCode.InternalServerError, "Internal server error",
        "Something failed on the server; quote `traceId` when reporting it.");
    public static readonly ProblemCode ServiceUnavailable = new("service_unavailable", HttpStatusCode.ServiceUnavailable, "Service unavailable",
        "A dependency is unavailable; retry after `Retry-After` seconds.");

    // Sign-in and sessions.
    public static readonly ProblemCode InvalidToken = new("invalid_token", HttpStatusCode.Unauthorized, "Invalid access token",
        "The bearer token is malformed, invalid, expired or its session ended: refresh the tokens, or sign in again.");
    public static readonly ProblemCode InvalidGrant = new("invalid_grant", HttpStatusCode.Unauthorized, "Invalid grant",
        "The refresh token or one-time sign-in code is invalid, expired or already used: sign in again.");
    public static readonly ProblemCode InvalidCredentials = new("invalid_credentials", HttpStatusCode.Unauthorized, "Invalid credentials",
        "The email or password is incorrect.");
    public static readonly ProblemCode SignInStateInvalid = new("sign_in_state_invalid", HttpStatusCode.BadRequest, "Sign-in state invalid",
        "The sign-in request is unknown, expired, completed or was started in another browser: start the sign-in again.");
    public static readonly ProblemCode SignInFailed = new("sign_in_failed", HttpStatusCode.BadRequest, "Sign-in failed",
        "The identity provider refused or could not complete the sign-in.");
    public static readonly ProblemCode SetupTokenInvalid = new("setup_token_invalid", HttpStatusCode.BadRequest, "Password-setup token invalid",
        "The password-setup link is unknown, used or expired: ask an admin for a new one.");
    public static readonly ProblemCode AccountConflict = new("account_conflict", HttpStatusCode.Conflict, "Account conflict",
        "The email belongs to another account, or to a staff account that signs in with a password.");
    public static readonly ProblemCode AccountHasOrders = new("account_has_orders", HttpStatusCode.Conflict, "Account has orders",
        "The account has orders that record a payment (paid, refunded or pending); they are kept, so the account cannot be deleted here.");
    public static readonly ProblemCode IdentityProviderUnavailable = new("identity_provider_unavailable", HttpStatusCode.ServiceUnavailable, "Identity provider unavailable",
        "Google's sign-in endpoints are unreachable; retry after `Retry-After` seconds.");

    // Shared states.
    public static readonly ProblemCode ConcurrentUpdate = new("concurrent_update", HttpStatusCode.Conflict, "Concurrent update",
        "The same change was made at the same moment by another request; repeat the request.");
    public static readonly ProblemCode DatabaseUnavailable = new("database_unavailable", HttpStatusCode.ServiceUnavailable, "Database unavailable",
        "The database is unreachable; retry after `Retry-After` seconds.");
    public static readonly ProblemCode NotEnrolled = new("not_enrolled", HttpStatusCode.Forbidden, "Not enrolled",
        "Enrol in the course to use this.");

    // Enrolment and cohorts.
    public static readonly ProblemCode NotInCohort = new("not_in_cohort", HttpStatusCode.Forbidden, "Not in a cohort",
        "The course is open to the members of its cohorts only, and the caller is on no cohort's list.");
    public static readonly ProblemCode CohortInactive = new("cohort_inactive", HttpStatusCode.Forbidden, "Cohort inactive",
        "The caller's cohort of the course is not active.");
    public static readonly ProblemCode EnrollmentNotPending = new("enrollment_not_pending", HttpStatusCode.Conflict, "Enrolment not pending",
        "The enrolment is active, not a pending purchase: there is nothing to cancel.");
    public static readonly ProblemCode CohortNameTaken = new("cohort_name_taken", HttpStatusCode.Conflict, "Cohort name taken",
        "The course already has a cohort of this name.");

    // Cart.
    public static readonly ProblemCode CartEmpty = new("cart_empty", HttpStatusCode.Conflict, "Cart empty",
        "The cart has no lines to check out (or another checkout took them).");

    // Quizzes.
    public static readonly ProblemCode ModuleLocked = new("module_locked", HttpStatusCode.Forbidden, "Module locked",
        "The module's quiz opens once the previous module is passed.");
    public static readonly ProblemCode QuizCooldown = new("quiz_cooldown", HttpStatusCode.Conflict, "Quiz cooling down",
        "A failed attempt closed the section for a while; retry after `Retry-After` seconds.");
    public static readonly ProblemCode QuizSectionEmpty = new("quiz_section_empty", HttpStatusCode.Conflict, "Quiz section empty",
        "The section has no questions yet, so it cannot be taken.");
    public static readonly ProblemCode AttemptAlreadySubmitted = new("attempt_already_submitted", HttpStatusCode.Conflict, "Attempt already submitted",
        "The attempt was submitted before; start a new attempt to try again.");
    public static readonly ProblemCode AttemptExpired = new("attempt_expired", HttpStatusCode.Conflict, "Attempt expired",
        "The attempt was not submitted within its time limit; start a new attempt.");

    // AI tutor.
    public static readonly ProblemCode QuotaExceeded = new("quota_exceeded", HttpStatusCode.TooManyRequests, "Quota exceeded",
        "The typed questions of this module are used up until the quota window ends (`Retry-After`); suggested prompts stay free.");
    public static readonly ProblemCode ModelUnavailable = new("model_unavailable", HttpStatusCode.ServiceUnavailable, "Model unavailable",
        "The tutor's language model is unavailable; the question cost nothing; retry after `Retry-After` seconds.");

    // Cold calls.
    public static readonly ProblemCode BlindResponseRequired = new("blind_response_required", HttpStatusCode.Forbidden, "Blind response required",
        "Post your own response to the prompt first: the thread opens once you have answered.");
    public static readonly ProblemCode AlreadyResponded = new("already_responded", HttpStatusCode.Conflict, "Already responded",
        "The caller already has a root response to this prompt; reply in the thread instead.");
    public static readonly ProblemCode MessageNotDeletable = new("message_not_deletable", HttpStatusCode.Conflict, "Message not deletable",
        "A root response (it opened the thread to its author, who must not answer again after reading), a message with replies, or a hidden one, stays.");

    // Payments.
    public static readonly ProblemCode WebhookSignatureInvalid = new("webhook_signature_invalid", HttpStatusCode.BadRequest, "Webhook signature invalid",
        "The `Stripe-Signature` header does not verify the payload with the endpoint secret, or its timestamp is outside the tolerance.");
    public static readonly ProblemCode OrderNotRefundable = new("order_not_refundable", HttpStatusCode.Conflict, "Order not refundable",
        "Only a paid order can be refunded (a pending, cancelled or expired one took no money), or the provider refused the refund.");
    public static readonly ProblemCode PaymentProcessing = new("payment_processing", HttpStatusCode.Conflict, "Payment processing",
        "A course in the cart was already paid for with a method that clears later (a bank debit): it cannot be checked out again until that payment succeeds or fails. Remove it from the cart to check out the rest.");
    public static readonly ProblemCode PaymentProviderUnavailable = new("payment_provider_unavailable", HttpStatusCode.ServiceUnavailable, "Payment provider unavailable",
        "The payment provider could not be reached; nothing was changed; retry after `Retry-After` seconds.");

    // Tutor applications.
    public static readonly ProblemCode ApplicationPending = new("application_pending", HttpStatusCode.Conflict, "Application pending",
        "An application for this email is already waiting for review.");
    public static readonly ProblemCode ApplicationAlreadyReviewed = new("application_already_reviewed", HttpStatusCode.Conflict, "Application already reviewed",
        "The application was already approved or rejected.");
    public static readonly ProblemCode ApplicationOwnerUnproven = new("application_owner_unproven", HttpStatusCode.Conflict, "Account owner not proven",
        "The application's email belongs to an existing account, and the application was not submitted while signed in to that account: approval never hands an existing account to whoever typed its email. Reject it; the owner applies again signed in.");
    public static readonly ProblemCode ApplicationAdminAccount = new("application_admin_account", HttpStatusCode.Conflict, "Admin account",
        "The application's email belongs to an admin account, and an application never turns an admin into a tutor.");

    /// <summary>Every code above, in declaration order.</summary>
    public static IReadOnlyList<ProblemCode> All { get; } = typeof(ProblemCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(ProblemCode))
        .Select(f => (ProblemCode)f.GetValue(null)!)
        .ToList();

    /// <summary>The generic code of <paramref name="status"/>: what a problem that names no code gets.</summary>
    public static ProblemCode ForStatus(HttpStatusCode status) => status switch
    {
        HttpStatusCode.BadRequest => BadRequest,
        HttpStatusCode.Unauthorized => Unauthorized,
        HttpStatusCode.PaymentRequired => PaymentRequired,
        HttpStatusCode.Forbidden => Forbidden,
        HttpStatusCode.NotFound => NotFound,
        HttpStatusCode.MethodNotAllowed => MethodNotAllowed,
        HttpStatusCode.Conflict => Conflict,
        HttpStatusCode.PreconditionFailed => PreconditionFailed,
        HttpStatusCode.RequestEntityTooLarge => PayloadTooLarge,
        HttpStatusCode.UnsupportedMediaType => UnsupportedMediaType,
        HttpStatusCode.TooManyRequests => RateLimited,
        HttpStatusCode.ServiceUnavailable => ServiceUnavailable,
        _ when (int)status >= 500 => InternalError,
        _ => BadRequest,
    };
}
