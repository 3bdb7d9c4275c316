using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Auth;
using CoursePlatform.Functions.Features.Tutors;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using static CoursePlatform.Testing.TestApp;

namespace CoursePlatform.Functions.Tests.Tutors;

/// <summary>Public tutor applications, their review, and the first password of a tutor the approval created.</summary>
public sealed class TutorApplicationTests(DatabaseFixture database) : AppTest(database)
{
    private static string NewEmail() => $"applicant-{Guid.NewGuid():N}@example.com";

    /// <summary>Each test applies from its own address, so the per-address limit is its own.</summary>
    private readonly string address = $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    private static TutorApplicationRequest Request(string email, IReadOnlyList<string?>? expertise = null, IReadOnlyList<string?>? links = null) =>
        new("Ada Lovelace", email, expertise ?? ["Networking", "Cloud cost"], "I have taught subnetting to hundreds of engineers.", links);

    private Task<SubmittedApplicationDto> Apply(TutorApplicationRequest request, string? from = null, User? signedIn = null) =>
        app.Run<TutorApplicationService, SubmittedApplicationDto>(s => s.ApplyAsync(request, signedIn is null ? null : As(signedIn), from ?? address, default));

    private Task<PagedList<TutorApplicationDto>> Pending() =>
        app.Run<TutorApplicationService, PagedList<TutorApplicationDto>>(s => s.ListAsync(TutorApplicationStatus.Pending, new PageRequest(1, 100), default));

    private Task<ApprovalDto> Approve(User admin, Guid id) =>
        app.Run<TutorApplicationService, ApprovalDto>(s => s.ApproveAsync(As(admin), id, default));

    private static async Task<ProblemException> Problem(HttpStatusCode status, Func<Task> action)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(action);
        Assert.Equal(status, problem.Status);
        return problem;
    }

    [Fact]
    public async Task A_second_application_is_refused_while_one_is_pending_and_a_rejected_applicant_may_apply_again()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var email = NewEmail();
        var first = await Apply(Request(email));
        Assert.Equal(TutorApplicationStatus.Pending, first.Status);

        var duplicate = await Problem(HttpStatusCode.Conflict, () => Apply(Request("  " + email.ToUpperInvariant() + " ")));
        Assert.Contains("already waiting", duplicate.Detail);
        Assert.Equal(ProblemCodes.ApplicationPending, duplicate.Code);

        var rejected = await app.Run<TutorApplicationService, TutorApplicationDto>(s => s.RejectAsync(As(admin), first.Id, "  Not enough teaching experience yet. ", default));
        Assert.Equal((TutorApplicationStatus.Rejected, "Not enough teaching experience yet.", admin.Id), (rejected.Status, rejected.ReviewReason, rejected.ReviewedById));
        Assert.Equal(ProblemCodes.ApplicationAlreadyReviewed, (await Problem(HttpStatusCode.Conflict, () => Approve(admin, first.Id))).Code);
        await Problem(HttpStatusCode.Conflict, () => app.Run<TutorApplicationService, TutorApplicationDto>(s => s.RejectAsync(As(admin), first.Id, "again", default)));

        var second = await Apply(Request(email));
        Assert.NotEqual(first.Id, second.Id);
        Assert.Equal(2, await app.Db(db => db.TutorApplications.CountAsync(a => a.Email == email)));
    }

    [Fact]
    public async Task Approving_twice_at_once_creates_exactly_one_account_and_one_tutor_and_the_tutor_sets_a_password_once()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var email = NewEmail();
        var submitted = await Apply(Request(email, links: ["https://www.linkedin.com/in/ada", "https://ada.example.org/talks"]));

        var approvals = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() => Approve(admin, submitted.Id))));

        Assert.All(approvals, a => Assert.Equal(TutorApplicationStatus.Approved, a.Application.Status));
        Assert.Single(approvals, a => a.PasswordSetup is not null);
        var user = await app.Db(db => db.Users.SingleAsync(u => u.Email == email));
        var tutor = await app.Db(db => db.Tutors.SingleAsync(t => t.UserId == user.Id));
        Assert.Equal((UserRole.Tutor, "Ada Lovelace", (string?)null), (user.Role, user.FullName, user.PasswordHash));
        Assert.Equal(["Networking", "Cloud cost"], tutor.Expertise);
        Assert.Equal("https://www.linkedin.com/in/ada", tutor.LinkedInUrl);
        Assert.All(approvals, a => Assert.Equal((user.Id, tutor.Id), (a.Application.UserId!.Value, a.Application.TutorId!.Value)));
        Assert.Equal(1, await app.Db(db => db.PasswordSetupTokens.CountAsync(t => t.UserId == user.Id)));

        // The tutor's way in: the one-time token sets the password (12 characters at least) and signs in, once.
        var token = approvals.Single(a => a.PasswordSetup is not null).PasswordSetup!.Token;
        var client = new ClientInfo(address, "tests");
        await Problem(HttpStatusCode.BadRequest, () => app.Run<PasswordSetupService, TokenResponse>(s => s.CompleteAsync(token, "short", client, default)));
        var session = await app.Run<PasswordSetupService, TokenResponse>(s => s.CompleteAsync(token, "a long enough password", client, default));
        Assert.False(string.IsNullOrEmpty(session.AccessToken));
        await app.Run<StaffLoginService, TokenResponse>(s => s.LoginAsync(email, "a long enough password", client, default));
        await Problem(HttpStatusCode.BadRequest, () => app.Run<PasswordSetupService, TokenResponse>(s => s.CompleteAsync(token, "another long password", client, default)));
    }

    [Theory]
    [InlineData("https://linkedin.com/in/ada", true)]
    [InlineData("https://www.linkedin.com/in/ada", true)]
    [InlineData("https://uk.LinkedIn.com/in/ada", true)]
    [InlineData("https://linkedin.com./in/ada", false)]
    [InlineData("https://evillinkedin.com/in/ada", false)]
    [InlineData("https://linkedin.com.evil.example/in/ada", false)]
    [InlineData("https://ada.example.org/linkedin.com", false)]
    public void Only_linkedin_com_and_its_subdomains_count_as_a_linkedin_profile(string link, bool profile) =>
        Assert.Equal(profile ? link : null, TutorApplicationService.LinkedInProfile([link]));

    [Fact]
    public async Task A_look_alike_host_is_not_taken_as_the_tutors_linkedin_profile()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var email = NewEmail();
        var submitted = await Apply(Request(email, links: ["https://evillinkedin.com/in/ada", "https://uk.linkedin.com/in/ada"]));

        await Approve(admin, submitted.Id);

        var tutor = await app.Db(db => db.Tutors.SingleAsync(t => t.User.Email == email));
        Assert.Equal("https://uk.linkedin.com/in/ada", tutor.LinkedInUrl);
    }

    [Fact]
    public async Task An_anonymous_application_for_an_existing_accounts_email_is_never_approved_into_that_account()
    {
        // Anyone can type an email: approval used to link the account by it and hand its setup token to the admin.
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var withGoogle = await app.CreateUserAsync(UserRole.Learner, NewEmail(), u => (u.AuthProvider, u.ProviderSubject) = ("google", Guid.NewGuid().ToString()));
        var withoutWayIn = await app.CreateUserAsync(UserRole.Learner, NewEmail());
        var unsetAdmin = await app.CreateUserAsync(UserRole.Admin, NewEmail()); // grant-admin, no password yet
        var victims = new[] { withGoogle, withoutWayIn, unsetAdmin };
        var ids = new List<Guid>();
        foreach (var victim in victims) ids.Add((await Apply(Request(victim.Email))).Id); // anonymous: 201, nothing tells the account exists

        var listed = (await Pending()).Items.Where(a => ids.Contains(a.Id)).ToList();
        Assert.Equal(3, listed.Count);
        Assert.All(listed, a => Assert.Equal((true, false), (a.ExistingAccount, a.SubmittedByAccount)));

        var learnerRefusal = await Problem(HttpStatusCode.Conflict, () => Approve(admin, ids[0]));
        Assert.Equal(ProblemCodes.ApplicationOwnerUnproven, learnerRefusal.Code);
        Assert.Contains("signed in", learnerRefusal.Detail, StringComparison.Ordinal);
        Assert.Equal(ProblemCodes.ApplicationOwnerUnproven, (await Problem(HttpStatusCode.Conflict, () => Approve(admin, ids[1]))).Code);
        Assert.Equal(ProblemCodes.ApplicationAdminAccount, (await Problem(HttpStatusCode.Conflict, () => Approve(admin, ids[2]))).Code);

        var victimIds = victims.Select(v => v.Id).ToList();
        Assert.Equal([UserRole.Learner, UserRole.Learner, UserRole.Admin],
            await app.Db(db => db.Users.Where(u => victimIds.Contains(u.Id)).OrderBy(u => u.Id == withoutWayIn.Id ? 1 : u.Id == unsetAdmin.Id ? 2 : 0).Select(u => u.Role).ToListAsync()));
        Assert.False(await app.Db(db => db.Tutors.AnyAsync(t => victimIds.Contains(t.UserId))));
        Assert.False(await app.Db(db => db.PasswordSetupTokens.AnyAsync(t => victimIds.Contains(t.UserId))));
        Assert.All((await Pending()).Items.Where(a => ids.Contains(a.Id)), a => Assert.Null(a.UserId));

        // The way out the problem names: reject, and the owner applies again signed in.
        await app.Run<TutorApplicationService, TutorApplicationDto>(s => s.RejectAsync(As(admin), ids[1], "Apply while signed in to your account.", default));
        var own = await Apply(Request(withoutWayIn.Email), signedIn: withoutWayIn);
        var approved = await Approve(admin, own.Id);
        Assert.Equal((withoutWayIn.Id, (PasswordSetupDto?)null), (approved.Application.UserId!.Value, approved.PasswordSetup));
    }

    [Fact]
    public async Task A_learner_who_applies_signed_in_is_made_a_tutor_and_keeps_their_own_way_in()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var learner = await app.CreateUserAsync(UserRole.Learner, NewEmail(), u => (u.AuthProvider, u.ProviderSubject) = ("google", Guid.NewGuid().ToString()));

        var mismatch = await Problem(HttpStatusCode.BadRequest, () => Apply(Request(NewEmail()), signedIn: learner));
        Assert.Equal(["email"], mismatch.Errors!.Keys);
        var submitted = await Apply(Request(" " + learner.Email.ToUpperInvariant()), signedIn: learner);
        Assert.Equal(learner.Id, await app.Db(db => db.TutorApplications.Where(a => a.Id == submitted.Id).Select(a => a.ApplicantUserId).SingleAsync()));
        var listed = (await Pending()).Items.Single(a => a.Id == submitted.Id);
        Assert.Equal((true, true), (listed.ExistingAccount, listed.SubmittedByAccount));

        var approved = await Approve(admin, submitted.Id);
        Assert.Null(approved.PasswordSetup); // signs in with Google as before
        Assert.Equal(learner.Id, approved.Application.UserId);
        Assert.Equal(UserRole.Tutor, await app.Db(db => db.Users.Where(u => u.Id == learner.Id).Select(u => u.Role).SingleAsync()));
        Assert.Equal(approved.Application.TutorId, await app.Db(db => db.Tutors.Where(t => t.UserId == learner.Id).Select(t => (Guid?)t.Id).SingleAsync()));
        Assert.False(await app.Db(db => db.PasswordSetupTokens.AnyAsync(t => t.UserId == learner.Id)));
    }

    [Fact]
    public async Task An_admin_is_never_made_a_tutor_by_an_application()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var other = await app.CreateUserAsync(UserRole.Admin, NewEmail(), u => u.PasswordHash = "an admin who signs in with a password");

        var signedIn = await Problem(HttpStatusCode.Conflict, () => Apply(Request(other.Email), signedIn: other));
        Assert.Equal(ProblemCodes.ApplicationAdminAccount, signedIn.Code);
        var anonymous = await Apply(Request(other.Email));
        Assert.Equal(ProblemCodes.ApplicationAdminAccount, (await Problem(HttpStatusCode.Conflict, () => Approve(admin, anonymous.Id))).Code);
        Assert.False(await app.Db(db => db.Tutors.AnyAsync(t => t.UserId == other.Id)));
    }

    [Fact]
    public async Task An_account_created_for_the_email_after_an_anonymous_application_is_not_approved_into_it()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var email = NewEmail();
        var submitted = await Apply(Request(email));
        Assert.False((await Pending()).Items.Single(a => a.Id == submitted.Id).ExistingAccount);
        await app.CreateUserAsync(UserRole.Learner, email); // the owner signs up with Google before the review

        Assert.Equal(ProblemCodes.ApplicationOwnerUnproven, (await Problem(HttpStatusCode.Conflict, () => Approve(admin, submitted.Id))).Code);
        Assert.False(await app.Db(db => db.PasswordSetupTokens.AnyAsync(t => t.User.Email == email)));
    }

    [Fact]
    public async Task An_expired_setup_token_is_refused_and_a_new_one_replaces_the_old()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var approval = await Approve(admin, (await Apply(Request(NewEmail()))).Id);
        var userId = approval.Application.UserId!.Value;
        var client = new ClientInfo(address, "tests");

        var replacement = await app.Run<PasswordSetupService, PasswordSetupDto>(s => s.IssueAsync(userId, default));
        var replaced = await Problem(HttpStatusCode.BadRequest, () => app.Run<PasswordSetupService, TokenResponse>(s => s.CompleteAsync(approval.PasswordSetup!.Token, "a long enough password", client, default)));
        Assert.Equal(ProblemCodes.SetupTokenInvalid, replaced.Code);
        app.Clock.Advance(PasswordSetupToken.Lifetime + TimeSpan.FromMinutes(1));
        await Problem(HttpStatusCode.BadRequest, () => app.Run<PasswordSetupService, TokenResponse>(s => s.CompleteAsync(replacement.Token, "a long enough password", client, default)));
        Assert.Null(await app.Db(db => db.Users.Where(u => u.Id == userId).Select(u => u.PasswordHash).SingleAsync()));
    }

    [Fact]
    public async Task Fields_are_validated_each_with_its_own_problem()
    {
        var edge = Assert.Throws<ProblemException>(() => RequestBody.Validate(new TutorApplicationRequest(" ", "not-an-email", null, "too short", null)));
        Assert.Equal(["email", "expertise", "fullName", "motivation"], edge.Errors!.Keys.Order());

        var email = NewEmail();
        var lists = await Problem(HttpStatusCode.BadRequest, () => Apply(Request(email, expertise: ["Networking", " "], links: ["https://ok.example", "javascript:alert(1)", "ftp://files.example"])));
        Assert.Equal(["expertise[1]", "links[1]", "links[2]"], lists.Errors!.Keys.Order());
        var empty = await Problem(HttpStatusCode.BadRequest, () => Apply(Request(NewEmail(), expertise: [])));
        Assert.Equal(["expertise"], empty.Errors!.Keys);
        var many = await Problem(HttpStatusCode.BadRequest, () => Apply(Request(NewEmail(), links: Enumerable.Range(0, 6).Select(i => (string?)$"https://x{i}.example").ToList())));
        Assert.Equal(["links"], many.Errors!.Keys);
        Assert.False(await app.Db(db => db.TutorApplications.AnyAsync(a => a.Email == email)));
    }

    [Fact]
    public async Task Submissions_are_limited_per_client_address_in_the_database()
    {
        for (var i = 0; i < TutorApplicationService.SubmissionsPerAddress; i++) await Apply(Request(NewEmail()));
        var limited = await Problem(HttpStatusCode.TooManyRequests, () => Apply(Request(NewEmail())));
        Assert.True(limited.Headers.ContainsKey("Retry-After"));
        await Apply(Request(NewEmail()), from: "192.0.2.77"); // another address is not affected
    }

    [Fact]
    public async Task The_admin_list_pages_newest_first_and_filters_by_status()
    {
        var admin = await app.CreateUserAsync(UserRole.Admin);
        var ids = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await Apply(Request(NewEmail()), from: $"198.51.100.{i + 1}")).Id);
            app.Clock.Advance(TimeSpan.FromSeconds(1));
        }
        await Approve(admin, ids[0]);

        var pending = await app.Run<TutorApplicationService, PagedList<TutorApplicationDto>>(s => s.ListAsync(TutorApplicationStatus.Pending, new PageRequest(1, 100), default));
        var approved = await app.Run<TutorApplicationService, PagedList<TutorApplicationDto>>(s => s.ListAsync(TutorApplicationStatus.Approved, new PageRequest(1, 100), default));
        Assert.Equal([ids[2], ids[1]], pending.Items.Where(a => ids.Contains(a.Id)).Select(a => a.Id));
        Assert.Contains(ids[0], approved.Items.Select(a => a.Id));
        Assert.DoesNotContain(approved.Items, a => a.Status != TutorApplicationStatus.Approved);
        var firstPage = await app.Run<TutorApplicationService, PagedList<TutorApplicationDto>>(s => s.ListAsync(null, new PageRequest(1, 2), default));
        Assert.Equal(2, firstPage.Items.Count);
        Assert.True(firstPage.Total >= 3);
    }
}
