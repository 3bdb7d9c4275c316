using CoursePlatform.Functions.Infrastructure;
using System.Globalization;
using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CoursePlatform.Functions.Features.Cohorts;

/// <summary>
/// Admin management of cohorts, their allowlists and batch project briefs. The functions admit admins
/// only (<c>[Allow(Callers.Admins)]</c>); the service holds the cohort rules.
/// </summary>
public sealed class CohortAdminService(CoursePlatformDbContext db, CourseResolver courses, AuditScope audit, TimeProvider time)
{
    /// <summary>Most allowlist entries accepted in one request (the body size limit applies as well).</summary>
    public const int MaxMembersPerRequest = 10_000;
    /// <summary>Per-index errors listed in one 400 at most; the detail says how many there were.</summary>
    public const int MaxReportedErrors = 100;
    public const int MaxBatchNo = 100_000;

    public async Task<PagedList<CohortDto>> ListAsync(string courseKey, PageRequest page, CancellationToken cancellationToken)
    {
        var course = await courses.ResolveAsync(courseKey, cancellationToken);
        return await db.Cohorts.AsNoTracking()
            .Where(c => c.CourseId == course.Id)
            .OrderBy(c => c.Name).ThenBy(c => c.Id)
            .Select(ToDto())
            .ToPageAsync(page, cancellationToken);
    }

    public async Task<CohortDto> CreateAsync(string courseKey, CreateCohortRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestBody.Validate(request);
        var name = request.Name!.Trim();
        CheckDates(request.StartsOn, request.EndsOn);
        var course = await courses.ResolveAsync(courseKey, cancellationToken);

        var now = time.GetUtcNow();
        var cohort = new Cohort
        {
            Id = Guid.CreateVersion7(), CourseId = course.Id, Name = name, IsActive = request.IsActive ?? true,
            StartsOn = request.StartsOn, EndsOn = request.EndsOn, CreatedAt = now, UpdatedAt = now,
        };
        db.Cohorts.Add(cohort);
        await SaveAsync(name, cancellationToken);
        return await GetAsync(cohort.Id, cancellationToken);
    }

    public async Task<CohortDto> UpdateAsync(Guid cohortId, UpdateCohortRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestBody.Validate(request);
        var cohort = await db.Cohorts.SingleOrDefaultAsync(c => c.Id == cohortId, cancellationToken) ?? throw ProblemException.NotFound("cohort");

        if (request.HasName)
        {
            var name = request.Name?.Trim();
            if (string.IsNullOrEmpty(name)) throw ProblemException.Validation("name", "The name cannot be empty.");
            cohort.Name = name;
        }
        if (request.HasIsActive)
            cohort.IsActive = request.IsActive ?? throw ProblemException.Validation("isActive", "Use true or false.");
        if (request.HasStartsOn) cohort.StartsOn = request.StartsOn;
        if (request.HasEndsOn) cohort.EndsOn = request.EndsOn;
        CheckDates(cohort.StartsOn, cohort.EndsOn);

        if (db.ChangeTracker.HasChanges())
        {
            cohort.UpdatedAt = time.GetUtcNow();
            await SaveAsync(cohort.Name, cancellationToken);
        }
        return await GetAsync(cohort.Id, cancellationToken);
    }

    /// <summary>Deletes the cohort with its allowlist, briefs and discussions; enrolments stay, unlinked from it.</summary>
    public async Task DeleteAsync(Guid cohortId, CancellationToken cancellationToken)
    {
        var deleted = await db.Cohorts.Where(c => c.Id == cohortId).ExecuteDeleteAsync(cancellationToken);
        if (deleted == 0) throw ProblemException.NotFound("cohort");
    }

    public async Task<PagedList<CohortMemberDto>> ListMembersAsync(Guid cohortId, string? query, PageRequest page, CancellationToken cancellationToken)
    {
        await RequireCohortAsync(cohortId, cancellationToken);
        var text = (query ?? "").Trim().ToLowerInvariant();
        if (text.Length > CohortEmails.MaxLength) throw ProblemException.Validation("q", $"At most {CohortEmails.MaxLength} characters.");

        var members = db.CohortMembers.AsNoTracking().Where(m => m.CohortId == cohortId);
        if (text.Length > 0) members = members.Where(m => m.Email.Contains(text));
        return await members
            .OrderBy(m => m.Email)
            .Select(m => new CohortMemberDto(m.Id, m.Email, m.BatchNo, m.UserId, m.CreatedAt))
            .ToPageAsync(page, cancellationToken);
    }

    /// <summary>
    /// Validates every entry (400 naming <c>members[i].email</c> / <c>members[i].batchNo</c>; nothing is
    /// written unless all are valid), normalises emails, merges duplicates (last wins) and writes the
    /// whole allowlist in one statement. Rows whose batch is already right are not touched.
    /// </summary>
    public async Task<UpsertMembersResult> UpsertMembersAsync(Guid cohortId, UpsertMembersRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestBody.Validate(request);
        var entries = request.Members!;
        if (entries.Count == 0) throw ProblemException.Validation("members", "Send at least one member.");
        if (entries.Count > MaxMembersPerRequest)
            throw ProblemException.Validation("members", $"At most {MaxMembersPerRequest} members per request; split the list.");

        var merged = new Dictionary<string, int>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>();
        var errorCount = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            var email = CohortEmails.Normalize(entry?.Email);
            var batchNo = entry?.BatchNo ?? 1;
            if (entry is null) AddError($"members[{i}]", "Each member is an object with email and batchNo.");
            else
            {
                if (email is null)
                    AddError($"members[{i}].email", string.IsNullOrWhiteSpace(entry.Email) ? "The email is required." : "Not a valid email address (ASCII, name@domain.tld).");
                if (batchNo is < 1 or > MaxBatchNo) AddError($"members[{i}].batchNo", $"The batch number must be from 1 to {MaxBatchNo}.");
            }
            if (errorCount > 0 || email is null) continue;
            merged[email] = batchNo;
        }
        if (errorCount > 0)
        {
            throw ProblemException.Validation(errors,
                errorCount > errors.Count
                    ? $"{errorCount} entries are invalid; the first {errors.Count} are listed in errors. Nothing was saved."
                    : "Some entries are invalid; see errors. Nothing was saved.");
        }

        await RequireCohortAsync(cohortId, cancellationToken);
        // Sorted, so concurrent upserts into one cohort take their row locks in the same order (no deadlock).
        var emails = merged.Keys.Order(StringComparer.Ordinal).ToArray();
        var batches = emails.Select(e => merged[e]).ToArray();
        var ids = emails.Select(_ => Guid.CreateVersion7()).ToArray();

        // One statement: insert the new, update the moved, leave the rest untouched (the WHERE clause
        // makes unchanged rows no-ops, so they are neither rewritten nor counted).
        const string sql = """
            WITH upserted AS (
                INSERT INTO cohort_members (id, cohort_id, email, batch_no, created_at)
                SELECT i.id, $1, i.email, i.batch_no, $5
                FROM unnest($2::uuid[], $3::text[], $4::int[]) AS i(id, email, batch_no)
                ON CONFLICT (cohort_id, email) DO UPDATE SET batch_no = EXCLUDED.batch_no
                    WHERE cohort_members.batch_no IS DISTINCT FROM EXCLUDED.batch_no
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted)::int, count(*) FILTER (WHERE NOT inserted)::int FROM upserted
            """;
        int inserted, updated;
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection());
            command.Parameters.Add(new NpgsqlParameter { Value = cohortId });
            command.Parameters.Add(new NpgsqlParameter { Value = ids });
            command.Parameters.Add(new NpgsqlParameter { Value = emails });
            command.Parameters.Add(new NpgsqlParameter { Value = batches });
            command.Parameters.Add(new NpgsqlParameter { Value = time.GetUtcNow() });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            (inserted, updated) = (reader.GetInt32(0), reader.GetInt32(1));
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw ProblemException.NotFound("cohort"); // deleted meanwhile
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
        return new UpsertMembersResult(entries.Count, emails.Length, inserted, updated, emails.Length - inserted - updated);

        void AddError(string field, string message)
        {
            errorCount++;
            if (errors.Count < MaxReportedErrors) errors[field] = [message];
        }
    }

    /// <summary>Removes one member by email; 404 when the address is not on the allowlist. Enrolments stay.</summary>
    public async Task RemoveMemberAsync(Guid cohortId, string? email, CancellationToken cancellationToken)
    {
        var normalized = CohortEmails.Normalize(email) ?? throw ProblemException.Validation("email", "Give the member's email address.");
        await RequireCohortAsync(cohortId, cancellationToken);
        var removed = await db.CohortMembers.Where(m => m.CohortId == cohortId && m.Email == normalized).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0) throw ProblemException.NotFound("member");
    }

    /// <summary>Removes many members by email in one statement; addresses not on the allowlist are ignored.</summary>
    public async Task<RemoveMembersResult> RemoveMembersAsync(Guid cohortId, RemoveMembersRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        RequestBody.Validate(request);
        var list = request.Emails!;
        if (list.Count == 0) throw ProblemException.Validation("emails", "Send at least one email.");
        if (list.Count > MaxMembersPerRequest) throw ProblemException.Validation("emails", $"At most {MaxMembersPerRequest} emails per request.");
        var errors = new Dictionary<string, string[]>();
        var emails = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            if (CohortEmails.Normalize(list[i]) is { } email) emails.Add(email);
            else if (errors.Count < MaxReportedErrors) errors[$"emails[{i}]"] = ["Not a valid email address."];
        }
        if (errors.Count > 0) throw ProblemException.Validation(errors);

        await RequireCohortAsync(cohortId, cancellationToken);
        var array = emails.ToArray();
        var removed = await db.CohortMembers.Where(m => m.CohortId == cohortId && array.Contains(m.Email)).ExecuteDeleteAsync(cancellationToken);
        if (removed == 0) audit.NothingChanged();
        return new RemoveMembersResult(list.Count, removed);
    }

    /// <summary>Creates or replaces the brief of <c>(cohort, batch)</c>; <c>Created</c> tells which.</summary>
    public async Task<(ProjectBriefDto Brief, bool Created)> PutProjectAsync(
        Guid cohortId, string? batchNoText, ProjectBriefRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var batchNo = ParseBatchNo(batchNoText);
        RequestBody.Validate(request);
        // The description and notes are markdown the cohort's learners see: no raw HTML, links http(s) only.
        var errors = new Dictionary<string, string[]>();
        foreach (var (field, text) in new[] { ("title", request.Title), ("tagline", request.Tagline), ("description", request.Description), ("notes", request.Notes) })
            if (text is not null && SafeMarkdown.Problems(text) is { Count: > 0 } problems) errors[field] = [.. problems];
        if (errors.Count > 0) throw ProblemException.Validation(errors);
        var brief = new ProjectBrief(request.Title!.Trim(), request.Tagline!.Trim(), request.Description!.Trim(),
            string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes.Trim());
        await RequireCohortAsync(cohortId, cancellationToken);

        var payload = JsonSerializer.Serialize(brief, ProjectBrief.JsonOptions);
        var now = time.GetUtcNow();
        List<bool> created;
        try
        {
            created = await db.Database.SqlQuery<bool>($"""
                INSERT INTO cohort_batch_projects (id, cohort_id, batch_no, payload, updated_at)
                VALUES ({Guid.CreateVersion7()}, {cohortId}, {batchNo}, CAST({payload} AS jsonb), {now})
                ON CONFLICT (cohort_id, batch_no) DO UPDATE SET payload = EXCLUDED.payload, updated_at = EXCLUDED.updated_at
                RETURNING (xmax = 0) AS "Value"
                """).ToListAsync(cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            throw ProblemException.NotFound("cohort");
        }
        return (new ProjectBriefDto(cohortId, batchNo, brief.Title, brief.Tagline, brief.Description, brief.Notes, now), created[0]);
    }

    /// <summary>The brief of <c>(cohort, batch)</c> (the <c>Location</c> of its creation); 404 when the cohort or the brief is missing.</summary>
    public async Task<ProjectBriefDto> GetProjectAsync(Guid cohortId, string? batchNoText, CancellationToken cancellationToken)
    {
        var batchNo = ParseBatchNo(batchNoText);
        var project = await db.CohortBatchProjects.AsNoTracking()
            .Where(p => p.CohortId == cohortId && p.BatchNo == batchNo)
            .Select(p => new { p.Payload, p.UpdatedAt })
            .SingleOrDefaultAsync(cancellationToken) ?? throw ProblemException.NotFound("project brief");
        var brief = ProjectBrief.From(project.Payload);
        project.Payload.Dispose();
        return new ProjectBriefDto(cohortId, batchNo, brief.Title, brief.Tagline, brief.Description, brief.Notes, project.UpdatedAt);
    }

    public static int ParseBatchNo(string? text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value is >= 1 and <= MaxBatchNo
            ? value
            : throw ProblemException.Validation("batchNo", $"The batch number must be a whole number from 1 to {MaxBatchNo}.");

    private static void CheckDates(DateOnly? startsOn, DateOnly? endsOn)
    {
        if (startsOn is { } start && endsOn is { } end && end < start)
            throw ProblemException.Validation("endsOn", "The end date cannot be before the start date.");
    }

    private async Task RequireCohortAsync(Guid cohortId, CancellationToken cancellationToken)
    {
        if (!await db.Cohorts.AnyAsync(c => c.Id == cohortId, cancellationToken)) throw ProblemException.NotFound("cohort");
    }

    /// <summary>The cohort (the <c>Location</c> of its creation).</summary>
    public async Task<CohortDto> GetAsync(Guid cohortId, CancellationToken cancellationToken) =>
        await db.Cohorts.AsNoTracking().Where(c => c.Id == cohortId).Select(ToDto()).SingleOrDefaultAsync(cancellationToken)
        ?? throw ProblemException.NotFound("cohort");

    private System.Linq.Expressions.Expression<Func<Cohort, CohortDto>> ToDto() => c => new CohortDto(
        c.Id, c.CourseId, c.Name, c.IsActive, c.StartsOn, c.EndsOn, db.CohortMembers.Count(m => m.CohortId == c.Id), c.CreatedAt, c.UpdatedAt);

    /// <summary>Saves, turning the unique (course, name) index into a 409.</summary>
    private async Task SaveAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.IsUniqueViolation())
        {
            throw ProblemException.Conflict($"The course already has a cohort named \"{name}\".", ProblemCodes.CohortNameTaken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation })
        {
            throw ProblemException.NotFound("course");
        }
    }
}
