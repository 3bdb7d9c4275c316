using System.Net;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Cohorts;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Tests.Cohorts;

/// <summary>Admin cohort management: access, validation, the bulk allowlist upsert and batch briefs.</summary>
public sealed class CohortAdminTests(DatabaseFixture database) : AppTest(database)
{
    private Task<T> Admin<T>(Func<CohortAdminService, Task<T>> action) => app.Run(action);

    private async Task<(Course Course, CohortDto Cohort)> Arrange()
    {
        var course = await app.CourseAsync(EnrollmentMode.Cohort);
        var cohort = await Admin(s => s.CreateAsync(course.Slug, new CreateCohortRequest("Winter", null, null, null), default));
        return (course, cohort);
    }

    private static async Task<ProblemException> Problem(HttpStatusCode status, Func<Task> action)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(action);
        Assert.Equal(status, problem.Status);
        return problem;
    }

    private static UpsertMembersRequest Members(params (string? Email, int? BatchNo)[] members) =>
        new([.. members.Select(m => new MemberEntry(m.Email, m.BatchNo))]);

    [Fact]
    public async Task Create_validates_name_and_dates_and_refuses_a_duplicate_name()
    {
        var (course, cohort) = await Arrange();
        Assert.Equal(("Winter", true, 0, course.Id), (cohort.Name, cohort.IsActive, cohort.MemberCount, cohort.CourseId));

        var blank = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.CreateAsync(course.Slug, new CreateCohortRequest("  ", null, null, null), default)));
        Assert.Contains("name", blank.Errors!.Keys);
        var tooLong = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.CreateAsync(course.Slug, new CreateCohortRequest(new string('x', 201), null, null, null), default)));
        Assert.Contains("name", tooLong.Errors!.Keys);
        var dates = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.CreateAsync(course.Slug,
            new CreateCohortRequest("Backwards", true, new DateOnly(2027, 3, 1), new DateOnly(2027, 2, 1)), default)));
        Assert.Contains("endsOn", dates.Errors!.Keys);
        await Problem(HttpStatusCode.Conflict, () => Admin(s => s.CreateAsync(course.Slug, new CreateCohortRequest(" Winter ", null, null, null), default)));
        await Problem(HttpStatusCode.NotFound, () => Admin(s => s.CreateAsync("no-such-course", new CreateCohortRequest("X", null, null, null), default)));

        var spring = await Admin(s => s.CreateAsync(course.Id.ToString(), new CreateCohortRequest("Spring", false, new DateOnly(2027, 3, 1), new DateOnly(2027, 6, 30)), default));
        Assert.Equal((false, new DateOnly(2027, 3, 1), new DateOnly(2027, 6, 30)), (spring.IsActive, spring.StartsOn, spring.EndsOn));
        var list = await Admin(s => s.ListAsync(course.Slug, new PageRequest(1, 1), default));
        Assert.Equal(2, list.Total);
        Assert.Equal("Spring", Assert.Single(list.Items).Name); // ordered by name
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_sent_and_null_clears_a_date()
    {
        var (course, cohort) = await Arrange();
        UpdateCohortRequest Patch(string json) => JsonSerializer.Deserialize<UpdateCohortRequest>(json, Json.Options)!;

        var dated = await Admin(s => s.UpdateAsync(cohort.Id, Patch("""{"startsOn":"2027-01-10","endsOn":"2027-04-01"}"""), default));
        Assert.Equal(("Winter", true, new DateOnly(2027, 1, 10), new DateOnly(2027, 4, 1)), (dated.Name, dated.IsActive, dated.StartsOn, dated.EndsOn));

        var renamed = await Admin(s => s.UpdateAsync(cohort.Id, Patch("""{"name":" Winter 2027 ","isActive":false,"endsOn":null}"""), default));
        Assert.Equal(("Winter 2027", false, new DateOnly(2027, 1, 10), (DateOnly?)null), (renamed.Name, renamed.IsActive, renamed.StartsOn, renamed.EndsOn));

        var backwards = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.UpdateAsync(cohort.Id, Patch("""{"endsOn":"2027-01-01"}"""), default)));
        Assert.Contains("endsOn", backwards.Errors!.Keys);
        var blank = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.UpdateAsync(cohort.Id, Patch("""{"name":""}"""), default)));
        Assert.Contains("name", blank.Errors!.Keys);
        await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.UpdateAsync(cohort.Id, Patch("""{"isActive":null}"""), default)));
        await Admin(s => s.CreateAsync(course.Slug, new CreateCohortRequest("Taken", null, null, null), default));
        await Problem(HttpStatusCode.Conflict, () => Admin(s => s.UpdateAsync(cohort.Id, Patch("""{"name":"Taken"}"""), default)));
        await Problem(HttpStatusCode.NotFound, () => Admin(s => s.UpdateAsync(Guid.NewGuid(), Patch("""{"name":"X"}"""), default)));

        var unchanged = await app.Db(db => db.Cohorts.AsNoTracking().SingleAsync(c => c.Id == cohort.Id));
        Assert.Equal(("Winter 2027", false, new DateOnly(2027, 1, 10), (DateOnly?)null), (unchanged.Name, unchanged.IsActive, unchanged.StartsOn, unchanged.EndsOn));
    }

    [Fact]
    public async Task Delete_removes_the_cohort_with_its_list_and_briefs_but_keeps_enrolments()
    {
        var (course, cohort) = await Arrange();
        var learner = await app.CreateUserAsync();
        await Admin(s => s.UpsertMembersAsync(cohort.Id, Members((learner.Email, 1)), default));
        await Admin(s => s.PutProjectAsync(cohort.Id, "1", new ProjectBriefRequest("T", "Tag", "Desc", null), default));
        await app.Run<Functions.Features.Enrollments.EnrollmentService>(s => s.EnrollAsync(learner.Id, course.Slug, default));

        await app.Run<CohortAdminService>(s => s.DeleteAsync(cohort.Id, default));

        await Problem(HttpStatusCode.NotFound, () => app.Run<CohortAdminService>(s => s.DeleteAsync(cohort.Id, default)));
        var left = await app.Db(async db => (
            Members: await db.CohortMembers.CountAsync(m => m.CohortId == cohort.Id),
            Projects: await db.CohortBatchProjects.CountAsync(p => p.CohortId == cohort.Id),
            Enrollment: await db.Enrollments.AsNoTracking().SingleAsync(e => e.UserId == learner.Id && e.CourseId == course.Id)));
        Assert.Equal((0, 0), (left.Members, left.Projects));
        Assert.Null(left.Enrollment.CohortId);
        Assert.Equal(EnrollmentSource.Cohort, left.Enrollment.Source);
    }

    [Fact]
    public async Task Bulk_allowlist_of_5000_members_is_one_call_and_reposting_it_changes_nothing()
    {
        var (_, cohort) = await Arrange();
        var entries = Enumerable.Range(0, 5000).Select(i => ((string?)$"  Learner.{i:D4}@Example.COM ", (int?)(i % 10 + 1))).ToArray();

        UpsertMembersResult first;
        using (var log = new SqlCommandLog(Database.DatabaseName))
        {
            first = await Admin(s => s.UpsertMembersAsync(cohort.Id, Members(entries), default));
            // One read (does the cohort exist) and one write for all 5,000 rows.
            Assert.True(log.Commands.Count == 2, string.Join("\n---\n", log.Commands));
            Assert.Single(log.Writes);
        }

        Assert.Equal(new UpsertMembersResult(5000, 5000, 5000, 0, 0), first);
        var stored = await app.Db(db => db.CohortMembers.AsNoTracking().Where(m => m.CohortId == cohort.Id).ToDictionaryAsync(m => m.Email, m => m.BatchNo));
        Assert.Equal(5000, stored.Count);
        Assert.Equal(8, stored["learner.0007@example.com"]);
        Assert.All(stored.Keys, email => Assert.Equal(email.Trim().ToLowerInvariant(), email));

        var versions = await RowVersions(cohort.Id);
        var again = await Admin(s => s.UpsertMembersAsync(cohort.Id, Members(entries), default));

        Assert.Equal(new UpsertMembersResult(5000, 5000, 0, 0, 5000), again);
        Assert.Equal(versions, await RowVersions(cohort.Id)); // not a single row rewritten
    }

    /// <summary>Each row's xmin: it changes whenever PostgreSQL writes a new version of the row.</summary>
    private Task<Dictionary<string, string>> RowVersions(Guid cohortId) => app.Db(async db =>
        (await db.Database.SqlQuery<string>($"SELECT email || '=' || xmin::text AS \"Value\" FROM cohort_members WHERE cohort_id = {cohortId}").ToListAsync())
        .Select(v => v.Split('=')).ToDictionary(p => p[0], p => p[1]));

    [Fact]
    public async Task Upsert_merges_duplicates_last_wins_and_counts_inserted_updated_unchanged()
    {
        var (_, cohort) = await Arrange();
        await Admin(s => s.UpsertMembersAsync(cohort.Id, Members(("a@example.com", 1), ("b@example.com", 1)), default));

        var result = await Admin(s => s.UpsertMembersAsync(cohort.Id, Members(
            ("A@Example.com", 1),   // unchanged
            ("b@example.com", 1),
            ("B@EXAMPLE.COM ", 3),  // same address: the last entry wins, so b moves to batch 3
            ("c@example.com", null) // new, batch defaults to 1
        ), default));

        Assert.Equal(new UpsertMembersResult(4, 3, 1, 1, 1), result);
        var stored = await app.Db(db => db.CohortMembers.Where(m => m.CohortId == cohort.Id).OrderBy(m => m.Email).Select(m => new { m.Email, m.BatchNo }).ToListAsync());
        Assert.Equal(["a@example.com:1", "b@example.com:3", "c@example.com:1"], stored.Select(m => $"{m.Email}:{m.BatchNo}"));
    }

    [Fact]
    public async Task Concurrent_upserts_of_overlapping_lists_in_opposite_orders_all_succeed_and_insert_each_row_once()
    {
        var (_, cohort) = await Arrange();
        var forward = Enumerable.Range(0, 2000).Select(i => ((string?)$"p{i:D4}@example.com", (int?)1)).ToArray();
        var backward = forward.Reverse().Select(e => (e.Item1, (int?)2)).ToArray();

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => Admin(s => s.UpsertMembersAsync(cohort.Id, Members(i % 2 == 0 ? forward : backward), default)))));

        Assert.Equal(2000, results.Sum(r => r.Inserted));
        Assert.All(results, r => Assert.Equal(2000, r.Inserted + r.Updated + r.Unchanged));
        Assert.Equal(2000, await app.Db(db => db.CohortMembers.CountAsync(m => m.CohortId == cohort.Id)));
    }

    [Fact]
    public async Task Upsert_validation_names_each_bad_index_and_field_and_saves_nothing()
    {
        var (_, cohort) = await Arrange();

        var problem = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.UpsertMembersAsync(cohort.Id, Members(
            ("good@example.com", 1),
            ("not-an-email", 1),
            ("also-good@example.com", 0),
            ("", -2),
            ("spaces in@example.com", 2),
            ("ünicode@example.com", 1)), default)));

        Assert.Equal(
            ["members[1].email", "members[2].batchNo", "members[3].batchNo", "members[3].email", "members[4].email", "members[5].email"],
            problem.Errors!.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, await app.Db(db => db.CohortMembers.CountAsync(m => m.CohortId == cohort.Id)));

        await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.UpsertMembersAsync(cohort.Id, Members(), default)));
        var nullMember = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.UpsertMembersAsync(cohort.Id, new UpsertMembersRequest([null]), default)));
        Assert.Contains("members[0]", nullMember.Errors!.Keys);
        await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.UpsertMembersAsync(cohort.Id, new UpsertMembersRequest(null), default)));
        await Problem(HttpStatusCode.NotFound, () => Admin(s => s.UpsertMembersAsync(Guid.NewGuid(), Members(("x@example.com", 1)), default)));
    }

    [Fact]
    public async Task Too_many_members_or_errors_are_bounded()
    {
        var (_, cohort) = await Arrange();
        var tooMany = Enumerable.Range(0, CohortAdminService.MaxMembersPerRequest + 1).Select(i => ((string?)$"m{i}@example.com", (int?)1)).ToArray();
        var big = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.UpsertMembersAsync(cohort.Id, Members(tooMany), default)));
        Assert.Equal(["members"], big.Errors!.Keys);

        var allBad = Enumerable.Range(0, 500).Select(i => ((string?)$"bad{i}", (int?)1)).ToArray();
        var bad = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.UpsertMembersAsync(cohort.Id, Members(allBad), default)));
        Assert.Equal(CohortAdminService.MaxReportedErrors, bad.Errors!.Count);
        Assert.Contains("500 entries", bad.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_list_is_paged_and_searchable_and_removal_works_by_email_in_any_case()
    {
        var (_, cohort) = await Arrange();
        await Admin(s => s.UpsertMembersAsync(cohort.Id, Members(
            ("zoe@school.edu", 2), ("adam@example.com", 1), ("eve@example.com", 1), ("bob@school.edu", 3)), default));

        var page = await Admin(s => s.ListMembersAsync(cohort.Id, null, new PageRequest(1, 3), default));
        Assert.Equal(4, page.Total);
        Assert.Equal(["adam@example.com", "bob@school.edu", "eve@example.com"], page.Items.Select(m => m.Email));
        var school = await Admin(s => s.ListMembersAsync(cohort.Id, " SCHOOL ", new PageRequest(1, 20), default));
        Assert.Equal(["bob@school.edu", "zoe@school.edu"], school.Items.Select(m => m.Email));
        var wildcard = await Admin(s => s.ListMembersAsync(cohort.Id, "%", new PageRequest(1, 20), default));
        Assert.Equal(0, wildcard.Total); // % is text, not a pattern

        await app.Run<CohortAdminService>(s => s.RemoveMemberAsync(cohort.Id, " Zoe@School.EDU", default));
        await Problem(HttpStatusCode.NotFound, () => app.Run<CohortAdminService>(s => s.RemoveMemberAsync(cohort.Id, "zoe@school.edu", default)));
        await Problem(HttpStatusCode.BadRequest, () => app.Run<CohortAdminService>(s => s.RemoveMemberAsync(cohort.Id, "", default)));

        var many = await Admin(s => s.RemoveMembersAsync(cohort.Id, new RemoveMembersRequest(["ADAM@example.com", "eve@example.com", "nobody@example.com"]), default));
        Assert.Equal(new RemoveMembersResult(3, 2), many);
        var bad = await Problem(HttpStatusCode.BadRequest, () => Admin(s => s.RemoveMembersAsync(cohort.Id, new RemoveMembersRequest(["bob@school.edu", "nope"]), default)));
        Assert.Equal(["emails[1]"], bad.Errors!.Keys);
        Assert.Equal(["bob@school.edu"], await app.Db(db => db.CohortMembers.Where(m => m.CohortId == cohort.Id).Select(m => m.Email).ToListAsync()));
    }

    [Fact]
    public async Task Project_brief_is_validated_then_created_then_replaced()
    {
        var (_, cohort) = await Arrange();
        Task<(ProjectBriefDto, bool)> Put(string batch, ProjectBriefRequest request) => Admin(s => s.PutProjectAsync(cohort.Id, batch, request, default));

        var missing = await Problem(HttpStatusCode.BadRequest, () => Put("1", new ProjectBriefRequest(null, " ", "Desc", null)));
        Assert.Equal(["tagline", "title"], missing.Errors!.Keys.Order(StringComparer.Ordinal));
        var tooLong = await Problem(HttpStatusCode.BadRequest, () => Put("1", new ProjectBriefRequest("T", new string('t', 301), "D", new string('n', 10_001))));
        Assert.Equal(["notes", "tagline"], tooLong.Errors!.Keys.Order(StringComparer.Ordinal));
        foreach (var batch in new[] { "0", "-1", "abc", "100001", "" })
            Assert.Contains("batchNo", (await Problem(HttpStatusCode.BadRequest, () => Put(batch, new ProjectBriefRequest("T", "Tag", "D", null)))).Errors!.Keys);
        await Problem(HttpStatusCode.NotFound, () => Admin(s => s.PutProjectAsync(Guid.NewGuid(), "1", new ProjectBriefRequest("T", "Tag", "D", null), default)));
        Assert.Equal(0, await app.Db(db => db.CohortBatchProjects.CountAsync()));

        var (created, isNew) = await Put("2", new ProjectBriefRequest(" Build a shop ", "Sell things", "A small web shop.", "  "));
        Assert.True(isNew);
        Assert.Equal(("Build a shop", "Sell things", "A small web shop.", (string?)null, 2), (created.Title, created.Tagline, created.Description, created.Notes, created.BatchNo));

        var (replaced, again) = await Put("2", new ProjectBriefRequest("Build a bank", "Move money", "A ledger.", "Pair up."));
        Assert.False(again);
        Assert.Equal("Pair up.", replaced.Notes);

        var payload = await app.Db(async db => (await db.CohortBatchProjects.AsNoTracking().SingleAsync(p => p.CohortId == cohort.Id && p.BatchNo == 2)).Payload.RootElement.GetRawText());
        using var json = JsonDocument.Parse(payload);
        Assert.Equal(["description", "notes", "tagline", "title"], json.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal("Build a bank", json.RootElement.GetProperty("title").GetString());
    }
}
