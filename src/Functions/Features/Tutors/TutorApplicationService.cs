using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Infrastructure.Audit;
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
/// Approval creates a new account, or upgrades an existing one only when its owner submitted the application
/// signed in to it: anyone can type an email, so an email alone never hands over an account.
/// </summary>
public sealed class TutorApplicationService(
    CoursePlatformDbContext db, RateLimiter limiter, PasswordSetupService passwordSetup, AuditScope audit, TimeProvider time, ILogger<TutorApplicationService> logger)
{
    public const int MinMotivationLength = 20;
    public const int MaxExpertise = 10;
    public const int MaxExpertiseLength = 80;
    public const int MaxLinks = 5;
    public const int MaxLinkLength = 2048;
    public const int SubmissionsPerAddress = 5;
    public static readonly TimeSpan SubmissionWindow = TimeSpan.FromHours(1);

    /// <summary>
    /// Records an application; <paramref name="applicant"/> is the signed-in caller, if any, whose account the
    /// application is then for (its email must be the account's), which is what lets approval upgrade it.
    /// </summary>
    public async Task<SubmittedApplicationDto> ApplyAsync(
        TutorApplicationRequest request, Caller? applicant, string? clientAddress, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var expertise = Items(request.Expertise, "expertise", MaxExpertise, MaxExpertiseLength, null, errors);
        if (expertise.Count == 0 && !errors.ContainsKey("expertise")) errors["expertise"] = ["List at least one subject."];
        var links = Items(request.Links, "links", MaxLinks, MaxLinkLength, WebUrlAttribute.IsWebUrl, errors);
        var email = request.Email!.Trim().ToLowerInvariant();
        if (applicant is not null)
        {
            if (applicant.IsAdmin)
                throw ProblemException.Conflict("Admins are not made tutors by an application; an admin passes every tutor check already.", ProblemCodes.ApplicationAdminAccount);
            var accountEmail = await db.Users.Where(u => u.Id == applicant.UserId).Select(u => u.Email).SingleAsync(cancellationToken);
            if (accountEmail != email) errors["email"] = ["Signed in, you apply for your own account: use its email, or sign out to apply with another."];
        }
        if (errors.Count > 0) throw ProblemException.Validation(errors);

        var decision = await limiter.HitAsync($"tutor-apply:{ClientAddress.LimitKey(clientAddress) ?? "unknown"}", SubmissionsPerAddress, SubmissionWindow, cancellationToken);
        if (!decision.Allowed) throw ProblemException.TooManyRequests(decision.RetryAfter, "Too many applications from this address; try again later.");

        var application = new TutorApplication
        {
            Id = Guid.CreateVersion7(),
            FullName = request.FullName!.Trim(),
            Email = email,
            ApplicantUserId = applicant?.UserId,
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

    /// <summary>One application as reviewers see it (the <c>Location</c> of a submission).</summary>
    public async Task<TutorApplicationDto> GetAsync(Guid applicationId, CancellationToken cancellationToken) =>
        await Project(db.TutorApplications.Where(a => a.Id == applicationId)).SingleOrDefaultAsync(cancellationToken)
        ?? throw ProblemException.NotFound("tutor application");

    /// <summary>Newest first, optionally of one status.</summary>
    public Task<PagedList<TutorApplicationDto>> ListAsync(TutorApplicationStatus? status, PageRequest page, CancellationToken cancellationToken) =>
        Project(db.TutorApplications.Where(a => status == null || a.Status == status).OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id))
            .ToPageAsync(page, cancellationToken);

    /// <summary>
    /// Makes the applicant a tutor, with a tutor profile: a new account (its password-setup token is in the answer),
    /// or the existing account of the email when that account submitted the application signed in (a learner
    /// becomes a tutor; no token: the owner already signs in). An application for an existing account submitted by
    /// anyone else is refused (409), and so is one for an admin's email. Approving an approved application changes nothing.
    /// </summary>
    public async Task<ApprovalDto> ApproveAsync(Caller admin, Guid applicationId, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        var application = await LockAsync(applicationId, cancellationToken);
        PasswordSetupDto? setup = null;
        if (application.Status == TutorApplicationStatus.Rejected)
            throw ProblemException.Conflict("This application was rejected; the applicant may apply again.", ProblemCodes.ApplicationAlreadyReviewed);
        if (application.Status == TutorApplicationStatus.Pending)
        {
            var now = time.GetUtcNow();
            var account = await LockAccountAsync(application.Email, cancellationToken);
            Guid userId;
            if (account is null)
            {
                // DO NOTHING: an account a sign-in created for this email a moment ago is someone's, and goes through the checks below.
                var created = await db.Database.SqlQuery<Guid>($"""
                    INSERT INTO users (id, email, full_name, role, created_at, updated_at)
                    VALUES ({Guid.CreateVersion7()}, {application.Email}, {application.FullName}, 'tutor'::user_role, {now}, {now})
                    ON CONFLICT (email) DO NOTHING
                    RETURNING id AS "Value"
                    """).ToListAsync(cancellationToken);
                account = created.Count == 0 ? await LockAccountAsync(application.Email, cancellationToken) : null;
                userId = created.Count == 0 ? account!.Id : created[0];
            }
            else userId = account.Id;
            if (account is not null)
            {
                if (account.Role == UserRole.Admin)
                    throw ProblemException.Conflict("This email belongs to an admin account, and an application never turns an admin into a tutor. Reject it.", ProblemCodes.ApplicationAdminAccount);
                if (application.ApplicantUserId != account.Id)
                    throw ProblemException.Conflict(
                        "This email belongs to an existing account, and the application was not submitted while signed in to it, so nothing proves the applicant owns it. " +
                        "Reject it and ask the account's owner to apply again while signed in.", ProblemCodes.ApplicationOwnerUnproven);
                await db.Users.Where(u => u.Id == account.Id && u.Role == UserRole.Learner)
                    .ExecuteUpdateAsync(u => u.SetProperty(x => x.Role, UserRole.Tutor).SetProperty(x => x.UpdatedAt, now), cancellationToken);
            }
            var linkedIn = LinkedInProfile(application.Links);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO tutors (id, user_id, expertise, linked_in_url, created_at)
                VALUES ({Guid.CreateVersion7()}, {userId}, {application.Expertise}, {linkedIn}, {now})
                ON CONFLICT (user_id) DO NOTHING
                """, cancellationToken);
            application.Status = TutorApplicationStatus.Approved;
            application.UserId = userId;
            application.ReviewedById = admin.UserId;
            application.ReviewedAt = now;
            await db.SaveChangesAsync(cancellationToken);
            // Only the account this approval created gets a token: an existing account's way in stays its owner's.
            if (account is null) setup = await passwordSetup.IssueAsync(userId, cancellationToken);
            logger.LogInformation("Tutor application {ApplicationId} approved: user {UserId}", application.Id, userId);
            audit.Changed("tutor_application", application.Id,
                new { status = TutorApplicationStatus.Pending, userId = (Guid?)null, role = account?.Role },
                new { status = TutorApplicationStatus.Approved, userId = (Guid?)userId, role = (UserRole?)UserRole.Tutor, accountCreated = account is null });
        }
        else audit.NothingChanged();
        await transaction.CommitAsync(cancellationToken);
        return new ApprovalDto(await GetAsync(applicationId, cancellationToken), setup);
    }

    /// <summary>The account of the email, locked until the approval commits (so its role cannot change under it).</summary>
    private Task<User?> LockAccountAsync(string email, CancellationToken cancellationToken) =>
        db.Users.FromSql($"SELECT * FROM users WHERE email = {email} FOR UPDATE").AsNoTracking().SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The first link on linkedin.com or one of its subdomains (www., uk.): the host must be the domain or end in
    /// ".linkedin.com", so a look-alike such as evillinkedin.com is never stored as a tutor's LinkedIn profile.
    /// </summary>
    public static string? LinkedInProfile(IEnumerable<string> links) =>
        links.FirstOrDefault(link => Uri.TryCreate(link, UriKind.Absolute, out var uri)
            && (uri.Host.Equals("linkedin.com", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".linkedin.com", StringComparison.OrdinalIgnoreCase)));

    public async Task<TutorApplicationDto> RejectAsync(Caller admin, Guid applicationId, string reason, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        var application = await LockAsync(applicationId, cancellationToken);
        if (application.Status != TutorApplicationStatus.Pending)
            throw ProblemException.Conflict($"This application was already {application.Status.ToString().ToLowerInvariant()}.", ProblemCodes.ApplicationAlreadyReviewed);
        audit.Changed("tutor_application", application.Id, new { status = application.Status }, new { status = TutorApplicationStatus.Rejected, reason = reason.Trim() });
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

    private IQueryable<TutorApplicationDto> Project(IQueryable<TutorApplication> applications) =>
        applications.AsNoTracking().Select(a => new TutorApplicationDto(
            a.Id, a.FullName, a.Email, a.Expertise, a.Motivation, a.Links, a.Status, a.ReviewReason, a.UserId,
            db.Tutors.Where(t => t.UserId == a.UserId).Select(t => (Guid?)t.Id).FirstOrDefault(),
            a.ReviewedById, a.ReviewedAt, a.CreatedAt,
            db.Users.Any(u => u.Email == a.Email),
            a.ApplicantUserId != null && db.Users.Any(u => u.Email == a.Email && u.Id == a.ApplicantUserId)));

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
