using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.RateLimiting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace CoursePlatform.Functions.Features.Tutors;

/// <summary>
/// Public tutor applications and their review. One application per email is pending at a time (the database
/// holds it); submissions are limited per client address in the database. Approval locks the application row,
/// so approving twice, even at once, makes one account and one tutor profile: the second call finds it approved.
/// </summary>
public sealed class TutorApplicationService(
    CoursePlatformDbContext db, RateLimiter limiter, PasswordSetupService passwordSetup, TimeProvider time, ILogger<TutorApplicationService> logger)
{
    public const int MinMotivationLength = 20;
    public const int MaxExpertise = 10;
    public const int MaxExpertiseLength = 80;
    public const int MaxLinks = 5;
    public const int MaxLinkLength = 2048;
    public const int SubmissionsPerAddress = 5;
    public static readonly TimeSpan SubmissionWindow = TimeSpan.FromHours(1);

    public async Task<SubmittedApplicationDto> ApplyAsync(TutorApplicationRequest request, string? clientAddress, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var expertise = Items(request.Expertise, "expertise", MaxExpertise, MaxExpertiseLength, null, errors);
        if (expertise.Count == 0 && !errors.ContainsKey("expertise")) errors["expertise"] = ["List at least one subject."];
        var links = Items(request.Links, "links", MaxLinks, MaxLinkLength, WebUrlAttribute.IsWebUrl, errors);
        if (errors.Count > 0) throw ProblemException.Validation(errors);

        var decision = await limiter.HitAsync($"tutor-apply:{ClientAddress.LimitKey(clientAddress) ?? "unknown"}", SubmissionsPerAddress, SubmissionWindow, cancellationToken);
        if (!decision.Allowed) throw ProblemException.TooManyRequests(decision.RetryAfter, "Too many applications from this address; try again later.");

        var application = new TutorApplication
        {
            Id = Guid.CreateVersion7(),
            FullName = request.FullName!.Trim(),
            Email = request.Email!.Trim().ToLowerInvariant(),
            Expertise = [.. expertise],
            Motivation = request.Motivation!.Trim(),
            Links = [.. links],
            CreatedAt = time.GetUtcNow(),
        };
        db.TutorApplications.Add(application);
        await db.SaveChangesOrConflictAsync(
            () => ProblemException.Conflict("An application for this email is already waiting for review.", ProblemCodes.ApplicationPending), cancellationToken);
        logger.LogInformation("Tutor application {ApplicationId} received", application.Id);
        return new SubmittedApplicationDto(application.Id, application.Status, application.CreatedAt);
    }

    /// <summary>Newest first, optionally of one status.</summary>
    public Task<PagedList<TutorApplicationDto>> ListAsync(TutorApplicationStatus? status, PageRequest page, CancellationToken cancellationToken) =>
        Project(db.TutorApplications.Where(a => status == null || a.Status == status).OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id))
            .ToPageAsync(page, cancellationToken);

    /// <summary>
    /// Makes the applicant a tutor: the account with the application's email (a learner becomes a tutor, an admin
    /// stays admin) or a new one, and its tutor profile. Approving an approved application changes nothing.
    /// </summary>
    public async Task<ApprovalDto> ApproveAsync(Caller admin, Guid applicationId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var application = await LockAsync(applicationId, cancellationToken);
        PasswordSetupDto? setup = null;
        if (application.Status == TutorApplicationStatus.Rejected)
            throw ProblemException.Conflict("This application was rejected; the applicant may apply again.", ProblemCodes.ApplicationAlreadyReviewed);
        if (application.Status == TutorApplicationStatus.Pending)
        {
            var now = time.GetUtcNow();
            // One statement whichever way the account exists, so a sign-in creating the same email at once cannot collide.
            var account = (await db.Database.SqlQuery<Account>($"""
                INSERT INTO users AS u (id, email, full_name, role, created_at, updated_at)
                VALUES ({Guid.CreateVersion7()}, {application.Email}, {application.FullName}, 'tutor'::user_role, {now}, {now})
                ON CONFLICT (email) DO UPDATE SET role = CASE WHEN u.role = 'learner' THEN 'tutor'::user_role ELSE u.role END, updated_at = {now}
                RETURNING u.id, (u.password_hash IS NULL AND u.auth_provider IS NULL) AS needs_password
                """).ToListAsync(cancellationToken))[0];
            var linkedIn = LinkedInProfile(application.Links);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO tutors (id, user_id, expertise, linked_in_url, created_at)
                VALUES ({Guid.CreateVersion7()}, {account.Id}, {application.Expertise}, {linkedIn}, {now})
                ON CONFLICT (user_id) DO NOTHING
                """, cancellationToken);
            application.Status = TutorApplicationStatus.Approved;
            application.UserId = account.Id;
            application.ReviewedById = admin.UserId;
            application.ReviewedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            if (account.NeedsPassword) setup = await passwordSetup.IssueAsync(account.Id, cancellationToken);
            logger.LogInformation("Tutor application {ApplicationId} approved: user {UserId}", application.Id, account.Id);
        }
        await transaction.CommitAsync(cancellationToken);
        return new ApprovalDto(await GetAsync(applicationId, cancellationToken), setup);
    }

    private sealed record Account(Guid Id, bool NeedsPassword);

    /// <summary>
    /// The first link on linkedin.com or one of its subdomains (www., uk.): the host must be the domain or end in
    /// ".linkedin.com", so a look-alike such as evillinkedin.com is never stored as a tutor's LinkedIn profile.
    /// </summary>
    public static string? LinkedInProfile(IEnumerable<string> links) =>
        links.FirstOrDefault(link => Uri.TryCreate(link, UriKind.Absolute, out var uri)
            && (uri.Host.Equals("linkedin.com", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".linkedin.com", StringComparison.OrdinalIgnoreCase)));

    public async Task<TutorApplicationDto> RejectAsync(Caller admin, Guid applicationId, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var application = await LockAsync(applicationId, cancellationToken);
        if (application.Status != TutorApplicationStatus.Pending)
            throw ProblemException.Conflict($"This application was already {application.Status.ToString().ToLowerInvariant()}.", ProblemCodes.ApplicationAlreadyReviewed);
        application.Status = TutorApplicationStatus.Rejected;
        application.ReviewReason = reason.Trim();
        application.ReviewedById = admin.UserId;
        application.ReviewedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        logger.LogInformation("Tutor application {ApplicationId} rejected", application.Id);
        return await GetAsync(applicationId, cancellationToken);
    }

    private async Task<TutorApplication> LockAsync(Guid applicationId, CancellationToken cancellationToken) =>
        await db.TutorApplications.FromSql($"SELECT * FROM tutor_applications WHERE id = {applicationId} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("tutor application");

    private Task<TutorApplicationDto> GetAsync(Guid applicationId, CancellationToken cancellationToken) =>
        Project(db.TutorApplications.Where(a => a.Id == applicationId)).SingleAsync(cancellationToken);

    private IQueryable<TutorApplicationDto> Project(IQueryable<TutorApplication> applications) =>
        applications.AsNoTracking().Select(a => new TutorApplicationDto(
            a.Id, a.FullName, a.Email, a.Expertise, a.Motivation, a.Links, a.Status, a.ReviewReason, a.UserId,
            db.Tutors.Where(t => t.UserId == a.UserId).Select(t => (Guid?)t.Id).FirstOrDefault(),
            a.ReviewedById, a.ReviewedAt, a.CreatedAt));

    /// <summary>Trimmed, non-empty, distinct (ignoring case) entries within the limits; each problem under <c>field[i]</c>.</summary>
    private static List<string> Items(
        IReadOnlyList<string?>? values, string field, int maxCount, int maxLength, Func<string, bool>? valid, Dictionary<string, string[]> errors)
    {
        if (values is null) return [];
        if (values.Count > maxCount)
        {
            errors[field] = [$"At most {maxCount} entries."];
            return [];
        }
        var items = new List<string>();
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i]?.Trim();
            if (string.IsNullOrEmpty(value)) errors[$"{field}[{i}]"] = ["Empty entry."];
            else if (value.Length > maxLength) errors[$"{field}[{i}]"] = [$"At most {maxLength} characters."];
            else if (valid is not null && !valid(value)) errors[$"{field}[{i}]"] = ["Must be an absolute http or https URL."];
            else if (!items.Contains(value, StringComparer.OrdinalIgnoreCase)) items.Add(value);
        }
        return items;
    }
}
