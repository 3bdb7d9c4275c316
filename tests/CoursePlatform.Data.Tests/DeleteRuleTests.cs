using CoursePlatform.Data.Model;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static CoursePlatform.Data.Tests.TestData;

namespace CoursePlatform.Data.Tests;

/// <summary>
/// Delete rules of docs/product.md, enforced by the database itself (deletes run as SQL, so EF's
/// client-side cascade cannot hide a missing ON DELETE rule).
/// </summary>
public class DeleteRuleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    /// <summary>A learner with a row in every personal table, around one course and topic.</summary>
    private sealed record LearnerGraph(Guid UserId, Guid CourseId, Guid TopicId, Guid CohortMemberId, Guid OtherUsersReplyId);

    private async Task<LearnerGraph> CreateLearnerGraph(bool withCommerce)
    {
        await using var db = database.CreateContext();
        var course = Course(EnrollmentMode.Cohort);
        var topic = Topic(course);
        var cohort = Cohort(course);
        var user = User();
        var other = User();
        var member = new CohortMember { Cohort = cohort, Email = user.Email, User = user, BatchNo = 1, CreatedAt = Now };
        var prompt = new ColdCallPrompt { Topic = topic, DisplayOrder = 1, Prompt = "Why?", CreatedAt = Now };
        var root = new ColdCallMessage { Prompt = prompt, Cohort = cohort, User = user, Content = "Because.", CreatedAt = Now };
        var othersRoot = new ColdCallMessage { Prompt = prompt, Cohort = cohort, User = other, Content = "Mine.", CreatedAt = Now };
        var reply = new ColdCallMessage { Prompt = prompt, Cohort = cohort, User = other, Parent = root, Root = root, Content = "Agreed.", CreatedAt = Now };
        var session = new RagChatSession { User = user, Course = course, Topic = topic, CreatedAt = Now, UpdatedAt = Now };
        var tutor = new Tutor { User = user, CreatedAt = Now };
        db.AddRange(member, root, othersRoot, reply, session, tutor,
            Session(user),
            new TutorApplication { FullName = "A", Email = user.Email, Motivation = "M", User = user, CreatedAt = Now },
            new CourseTutor { Course = course, Tutor = tutor, AssignedAt = Now },
            new ColdCallStar { Message = othersRoot, User = user, CreatedAt = Now },
            new RagChatMessage { Session = session, Role = ChatRole.User, Content = "hi", CreatedAt = Now },
            new TopicPersonalization { User = user, Course = course, StudyPersona = StudyPersona.Adventure, UpdatedAt = Now },
            new LearnerPersonaProfile { User = user, Course = course, PersonaKey = LearnerPersona.EnglishHesitant, CreatedAt = Now, UpdatedAt = Now },
            new ModulePromptUsage { User = user, Course = course, ModuleNo = 1, UsedCount = 2, WindowStartedAt = Now, WindowEndsAt = Now.AddDays(1), UpdatedAt = Now },
            new TopicProgress { User = user, Topic = topic, Status = ProgressStatus.InProgress, Progress = 0.4, UpdatedAt = Now },
            new QuizAttempt { User = user, Course = course, ModuleNo = 1, TopicPairIndex = 1, Questions = Json("[]"), QuestionCount = 1, StartedAt = Now },
            new ModuleProgress { User = user, Course = course, ModuleNo = 1, UpdatedAt = Now },
            new CartItem { User = user, Course = course, CourseSlug = course.Slug, Title = course.Name, Price = 10, Currency = "USD", SavedAt = Now },
            new AuthLoginCode { CodeHash = Session(user).RefreshTokenHash, User = user, CreatedAt = Now, ExpiresAt = Now.AddMinutes(1) },
            new ContentIngestion { Course = course, Topic = topic, Source = $"{Guid.NewGuid()}/notes.md", ETag = "e1", QueuedAt = Now });
        if (withCommerce)
        {
            db.AddRange(
                new Enrollment { User = user, Course = course, Source = EnrollmentSource.Cohort, Cohort = cohort, EnrolledAt = Now },
                new CartLine { User = user, Course = Course(), UnitPrice = 5, Currency = "USD", AddedAt = Now });
        }
        await db.SaveChangesAsync();
        return new LearnerGraph(user.Id, course.Id, topic.Id, member.Id, reply.Id);
    }

    [Fact]
    public async Task Deleting_a_user_deletes_everything_personal_and_unlinks_the_allowlist_entry()
    {
        var graph = await CreateLearnerGraph(withCommerce: true);
        await using var db = database.CreateContext();

        Assert.Equal(1, await db.Users.Where(u => u.Id == graph.UserId).ExecuteDeleteAsync());

        var u = graph.UserId;
        Assert.False(await db.UserSessions.AnyAsync(x => x.UserId == u));
        Assert.False(await db.Tutors.AnyAsync(x => x.UserId == u));
        Assert.False(await db.CourseTutors.AnyAsync(x => x.CourseId == graph.CourseId));
        Assert.False(await db.TutorApplications.AnyAsync(x => x.UserId == u));
        Assert.False(await db.Enrollments.AnyAsync(x => x.UserId == u));
        Assert.False(await db.CartLines.AnyAsync(x => x.UserId == u));
        Assert.False(await db.CartItems.AnyAsync(x => x.UserId == u));
        Assert.False(await db.TopicProgress.AnyAsync(x => x.UserId == u));
        Assert.False(await db.QuizAttempts.AnyAsync(x => x.UserId == u));
        Assert.False(await db.ModuleProgress.AnyAsync(x => x.UserId == u));
        Assert.False(await db.RagChatSessions.AnyAsync(x => x.UserId == u));
        Assert.False(await db.RagChatMessages.AnyAsync(x => x.Session.CourseId == graph.CourseId));
        Assert.False(await db.TopicPersonalizations.AnyAsync(x => x.UserId == u));
        Assert.False(await db.LearnerPersonaProfiles.AnyAsync(x => x.UserId == u));
        Assert.False(await db.ModulePromptUsages.AnyAsync(x => x.UserId == u));
        Assert.False(await db.ColdCallMessages.AnyAsync(x => x.UserId == u));
        Assert.False(await db.ColdCallStars.AnyAsync(x => x.UserId == u));
        Assert.False(await db.AuthLoginCodes.AnyAsync(x => x.UserId == u));
        // Cold-call messages lose their author, and other learners' replies under them stay: the app removes or
        // tombstones the author's messages first (ColdCallAuthors), so their threads keep their middle.
        Assert.True(await db.ColdCallMessages.AnyAsync(x => x.Id == graph.OtherUsersReplyId));
        Assert.Equal(3, await db.ColdCallMessages.CountAsync(x => x.Prompt.TopicId == graph.TopicId));
        Assert.Equal(1, await db.ColdCallMessages.CountAsync(x => x.Prompt.TopicId == graph.TopicId && x.UserId == null));
        // The allowlist is the admin's record: the entry stays, unlinked.
        var member = await db.CohortMembers.SingleAsync(x => x.Id == graph.CohortMemberId);
        Assert.Null(member.UserId);
    }

    [Fact]
    public async Task Deleting_a_course_deletes_its_topics_cohorts_chunks_and_learner_state()
    {
        var graph = await CreateLearnerGraph(withCommerce: false);
        await using (var setup = database.CreateContext())
        {
            setup.Add(new CourseChunk
            {
                CourseId = graph.CourseId, TopicId = graph.TopicId, Source = "deck.pptx", Position = 0, Content = "text",
                EmbeddingModel = "m", Embedding = new Pgvector.Vector(Embedding(1)), CreatedAt = Now,
            });
            setup.Add(new TopicContentAsset { TopicId = graph.TopicId, ContentKey = "k", ContentType = ContentType.Text, Payload = Json("{}"), CreatedAt = Now, UpdatedAt = Now });
            setup.Add(new QuizQuestion { CourseId = graph.CourseId, ModuleNo = 1, TopicPairIndex = 1, Question = "q", CreatedAt = Now, Options = [new QuizOption { Text = "o", IsCorrect = true }] });
            await setup.SaveChangesAsync();
        }
        await using var db = database.CreateContext();

        Assert.Equal(1, await db.Courses.Where(c => c.Id == graph.CourseId).ExecuteDeleteAsync());

        var c = graph.CourseId;
        Assert.False(await db.Topics.AnyAsync(x => x.CourseId == c));
        Assert.False(await db.TopicContentAssets.AnyAsync(x => x.TopicId == graph.TopicId));
        Assert.False(await db.Cohorts.AnyAsync(x => x.CourseId == c));
        Assert.False(await db.CohortMembers.AnyAsync(x => x.Id == graph.CohortMemberId));
        Assert.False(await db.CourseChunks.AnyAsync(x => x.CourseId == c));
        Assert.False(await db.QuizQuestions.AnyAsync(x => x.CourseId == c));
        Assert.False(await db.ColdCallPrompts.AnyAsync(x => x.TopicId == graph.TopicId));
        Assert.False(await db.TopicProgress.AnyAsync(x => x.TopicId == graph.TopicId));
        Assert.False(await db.CartItems.AnyAsync(x => x.CourseId == c));
        Assert.False(await db.ContentIngestions.AnyAsync(x => x.CourseId == c));
        Assert.True(await db.Users.AnyAsync(x => x.Id == graph.UserId));
    }

    [Fact]
    public async Task A_course_cannot_be_deleted_while_enrollments_reference_it()
    {
        var course = Course();
        var user = User();
        await using (var setup = database.CreateContext())
        {
            setup.Add(new Enrollment { User = user, Course = course, Source = EnrollmentSource.Free, EnrolledAt = Now });
            await setup.SaveChangesAsync();
        }
        await AssertDeleteRefused(course.Id, "fk_enrollments_courses_course_id");
    }

    [Fact]
    public async Task A_course_cannot_be_deleted_while_a_cart_line_references_it()
    {
        var course = Course();
        await using (var setup = database.CreateContext())
        {
            setup.Add(new CartLine { User = User(), Course = course, UnitPrice = 5, Currency = "USD", AddedAt = Now });
            await setup.SaveChangesAsync();
        }
        await AssertDeleteRefused(course.Id, "fk_cart_lines_courses_course_id");
    }

    private async Task AssertDeleteRefused(Guid courseId, string constraint)
    {
        await using var db = database.CreateContext();
        var error = await Assert.ThrowsAsync<PostgresException>(() => db.Courses.Where(c => c.Id == courseId).ExecuteDeleteAsync());
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, error.SqlState);
        Assert.Equal(constraint, error.ConstraintName);
        Assert.True(await db.Courses.AnyAsync(c => c.Id == courseId));
    }
}
