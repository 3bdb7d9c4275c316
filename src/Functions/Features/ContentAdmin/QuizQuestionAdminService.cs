using CoursePlatform.Functions.Features.Lessons;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Progress;
using CoursePlatform.Functions.Infrastructure.Audit;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Courses;
using CoursePlatform.Functions.Infrastructure.Problems;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.Functions.Features.ContentAdmin;

/// <summary>
/// A course's quiz questions: each belongs to a module's topic pair that exists, with 2 to 8 distinct options of
/// which exactly one is correct. Attempts freeze the questions they served, so an edit never regrades an attempt.
/// </summary>
public sealed class QuizQuestionAdminService(CoursePlatformDbContext db, CourseResolver courses, AuditScope audit, TimeProvider time)
{
    public async Task<IReadOnlyList<QuizQuestionAdminDto>> ListAsync(string courseKey, int? moduleNo, CancellationToken cancellationToken)
    {
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        return await Project(db.QuizQuestions.Where(q => q.CourseId == courseId && (moduleNo == null || q.ModuleNo == moduleNo))
            .OrderBy(q => q.ModuleNo).ThenBy(q => q.TopicPairIndex).ThenBy(q => q.CreatedAt)).ToListAsync(cancellationToken);
    }

    public async Task<QuizQuestionAdminDto> CreateAsync(string courseKey, QuizQuestionRequest request, CancellationToken cancellationToken)
    {
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        await ValidateAsync(courseId, request, cancellationToken);
        var question = new QuizQuestion { Id = Guid.CreateVersion7(), CourseId = courseId, Question = "", CreatedAt = time.GetUtcNow() };
        Apply(question, request);
        db.QuizQuestions.Add(question);
        await db.SaveChangesAsync(cancellationToken);
        var created = await GetAsync(question.Id, cancellationToken);
        audit.Changed("quiz_question", question.Id, null, created);
        return created;
    }

    /// <summary>Replaces the question and its options.</summary>
    /// <param name="ifMatch">The client's <c>If-Match</c>: the change applies only to the question as it read it (else 412).</param>
    public async Task<QuizQuestionAdminDto> ReplaceAsync(string courseKey, Guid questionId, QuizQuestionRequest request, string? ifMatch, CancellationToken cancellationToken)
    {
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        await LockAsync(questionId, cancellationToken);
        var question = await db.QuizQuestions.Include(q => q.Options).SingleOrDefaultAsync(q => q.Id == questionId && q.CourseId == courseId, cancellationToken)
            ?? throw ProblemException.NotFound("quiz question");
        await ValidateAsync(courseId, request, cancellationToken);
        var before = await GetAsync(questionId, cancellationToken);
        ETags.RequireMatch(ifMatch, before);
        db.QuizOptions.RemoveRange(question.Options);
        await db.SaveChangesAsync(cancellationToken); // display orders are unique per question: old options go first
        Apply(question, request);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        var after = await GetAsync(questionId, cancellationToken);
        audit.Changed("quiz_question", questionId, before, after);
        return after;
    }

    /// <summary>Deletes the question; 204 also when there was none (412 then, with an <c>If-Match</c>).</summary>
    public async Task DeleteAsync(string courseKey, Guid questionId, string? ifMatch, CancellationToken cancellationToken)
    {
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        await using var transaction = await db.Database.BeginOrJoinTransactionAsync(cancellationToken);
        await LockAsync(questionId, cancellationToken);
        var before = await Project(db.QuizQuestions.Where(q => q.Id == questionId && q.CourseId == courseId)).SingleOrDefaultAsync(cancellationToken);
        ETags.RequireMatch(ifMatch, before);
        if (before is null)
        {
            audit.NothingChanged();
            return;
        }
        await db.QuizQuestions.Where(q => q.Id == questionId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        audit.Changed("quiz_question", questionId, before, null);
    }

    /// <summary>A question changes one request at a time, from the If-Match check to the write (in an admin request, to the audit's commit).</summary>
    private Task<int> LockAsync(Guid questionId, CancellationToken cancellationToken) =>
        db.Database.ExecuteSqlInterpolatedAsync($"SELECT 1 FROM quiz_questions WHERE id = {questionId} FOR UPDATE", cancellationToken);

    private async Task ValidateAsync(Guid courseId, QuizQuestionRequest request, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        var options = request.Options!;
        if (options.Count(o => o.IsCorrect) != 1) errors["options"] = ["Mark exactly one option correct."];
        // Question, explanation and options are rendered as markdown: the lesson content rules apply.
        ContentRules.ValidateMarkdown(request.Question, "question", errors);
        ContentRules.ValidateMarkdown(request.Explanation, "explanation", errors);
        for (var i = 0; i < options.Count; i++) ContentRules.ValidateMarkdown(options[i].Text, $"options[{i}].text", errors);
        var texts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < options.Count; i++)
            if (!texts.Add(options[i].Text!.Trim())) errors[$"options[{i}].text"] = ["Two options say the same."];
        var topics = await db.Topics.CountAsync(t => t.CourseId == courseId && t.ModuleNo == request.ModuleNo, cancellationToken);
        if (topics == 0) errors["moduleNo"] = ["The course has no topic in this module yet."];
        else if (request.TopicPairIndex > TopicPairs.Count(topics))
            errors["topicPairIndex"] = [$"Module {request.ModuleNo} has {topics} topic(s), so pairs 1 to {TopicPairs.Count(topics)}."];
        if (errors.Count > 0) throw ProblemException.Validation(errors);
    }

    private void Apply(QuizQuestion question, QuizQuestionRequest request)
    {
        question.ModuleNo = request.ModuleNo!.Value;
        question.TopicPairIndex = request.TopicPairIndex!.Value;
        question.Question = request.Question!.Trim();
        question.Explanation = string.IsNullOrWhiteSpace(request.Explanation) ? null : request.Explanation.Trim();
        // Added explicitly: options with their ids set would otherwise be taken for existing rows of a tracked question.
        db.QuizOptions.AddRange(request.Options!.Select((o, i) => new QuizOption
        {
            Id = Guid.CreateVersion7(), QuestionId = question.Id, Text = o.Text!.Trim(), IsCorrect = o.IsCorrect, DisplayOrder = i + 1,
        }));
    }

    /// <summary>One question of the course, with its correct options (the <c>Location</c> of its creation).</summary>
    public async Task<QuizQuestionAdminDto> GetAsync(string courseKey, Guid questionId, CancellationToken cancellationToken)
    {
        var courseId = (await courses.ResolveAsync(courseKey, cancellationToken)).Id;
        return await Project(db.QuizQuestions.Where(q => q.Id == questionId && q.CourseId == courseId)).SingleOrDefaultAsync(cancellationToken)
            ?? throw ProblemException.NotFound("quiz question");
    }

    private Task<QuizQuestionAdminDto> GetAsync(Guid questionId, CancellationToken cancellationToken) =>
        Project(db.QuizQuestions.Where(q => q.Id == questionId)).SingleAsync(cancellationToken);

    private static IQueryable<QuizQuestionAdminDto> Project(IQueryable<QuizQuestion> questions) =>
        questions.AsNoTracking().Select(q => new QuizQuestionAdminDto(q.Id, q.CourseId, q.ModuleNo, q.TopicPairIndex, q.Question, q.Explanation,
            q.Options.OrderBy(o => o.DisplayOrder).Select(o => new QuizOptionAdminDto(o.Id, o.Text, o.IsCorrect, o.DisplayOrder)).ToList(), q.CreatedAt));
}
