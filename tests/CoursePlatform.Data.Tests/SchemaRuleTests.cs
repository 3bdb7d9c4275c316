using CoursePlatform.Data.Model;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using static CoursePlatform.Data.Tests.TestData;

namespace CoursePlatform.Data.Tests;

/// <summary>Every unique and check rule of docs/product.md, exercised against the real schema.</summary>
public class SchemaRuleTests(DatabaseFixture database) : IClassFixture<DatabaseFixture>
{
    private async Task<T> Save<T>(T entity) where T : class
    {
        await using var db = database.CreateContext();
        db.Add(entity);
        await db.SaveChangesAsync();
        return entity;
    }

    /// <summary>Saves <paramref name="first"/>, then asserts that saving <paramref name="second"/> breaks <paramref name="constraint"/>.</summary>
    private async Task AssertSecondViolates(string constraint, object first, object second, string sqlState = PostgresErrorCodes.UniqueViolation)
    {
        await Save(first);
        await AssertViolates(constraint, second, sqlState);
    }

    private async Task AssertViolates(string constraint, object entity, string sqlState)
    {
        await using var db = database.CreateContext();
        db.Add(entity);
        var error = await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        var postgres = Assert.IsType<PostgresException>(error.InnerException);
        Assert.Equal(sqlState, postgres.SqlState);
        Assert.Equal(constraint, postgres.ConstraintName);
    }

    // ---- unique constraints ----

    [Fact]
    public async Task User_email_is_unique()
    {
        var first = User();
        var second = User();
        second.Email = first.Email;
        await AssertSecondViolates("ix_users_email", first, second);
    }

    [Fact]
    public async Task User_provider_subject_is_unique_per_provider()
    {
        var first = User();
        (first.AuthProvider, first.ProviderSubject) = ("google", "subject-1");
        var second = User();
        (second.AuthProvider, second.ProviderSubject) = ("google", "subject-1");
        await AssertSecondViolates("ix_users_auth_provider_provider_subject", first, second);
    }

    [Fact]
    public async Task Refresh_token_hash_is_unique()
    {
        var user = await Save(User());
        var first = Session(user);
        var second = new UserSession
        {
            UserId = user.Id, FamilyId = Guid.NewGuid(), RefreshTokenHash = first.RefreshTokenHash, CreatedAt = Now, ExpiresAt = Now.AddDays(1),
        };
        first.User = null!;
        first.UserId = user.Id;
        await AssertSecondViolates("ix_user_sessions_refresh_token_hash", first, second);
    }

    [Fact]
    public async Task A_user_has_at_most_one_tutor_profile()
    {
        var user = await Save(User(UserRole.Tutor));
        await AssertSecondViolates("ix_tutors_user_id",
            new Tutor { UserId = user.Id, CreatedAt = Now }, new Tutor { UserId = user.Id, CreatedAt = Now });
    }

    [Fact]
    public async Task A_tutor_is_assigned_to_a_course_once()
    {
        var user = await Save(User(UserRole.Tutor));
        var tutor = await Save(new Tutor { UserId = user.Id, CreatedAt = Now });
        var course = await Save(Course());
        await AssertSecondViolates("ix_course_tutors_course_id_tutor_id",
            new CourseTutor { CourseId = course.Id, TutorId = tutor.Id, AssignedAt = Now },
            new CourseTutor { CourseId = course.Id, TutorId = tutor.Id, AssignedAt = Now });
    }

    [Fact]
    public async Task Course_slug_is_unique()
    {
        var first = Course();
        var second = Course();
        second.Slug = first.Slug;
        await AssertSecondViolates("ix_courses_slug", first, second);
    }

    [Fact]
    public async Task Topic_number_is_unique_within_a_course_module()
    {
        var course = await Save(Course());
        Topic Make(int module, int number) => new() { CourseId = course.Id, ModuleNo = module, TopicNumber = number, Name = "t", CreatedAt = Now, UpdatedAt = Now };
        await Save(Make(2, 1)); // the same number in another module is fine
        await AssertSecondViolates("ix_topics_course_id_module_no_topic_number", Make(1, 1), Make(1, 1));
    }

    [Fact]
    public async Task A_topic_has_at_most_one_simulation_exercise()
    {
        var topic = await Save(Topic(Course()));
        await AssertSecondViolates("ix_simulation_exercises_topic_id",
            new SimulationExercise { TopicId = topic.Id, Title = "a", UpdatedAt = Now },
            new SimulationExercise { TopicId = topic.Id, Title = "b", UpdatedAt = Now });
    }

    [Fact]
    public async Task Page_slug_is_unique()
    {
        var slug = $"page-{Guid.NewGuid():N}"[..20];
        await AssertSecondViolates("ix_page_content_slug",
            new PageContent { Slug = slug, Title = "a", Content = Json("{}"), UpdatedAt = Now },
            new PageContent { Slug = slug, Title = "b", Content = Json("{}"), UpdatedAt = Now });
    }

    [Theory]
    [InlineData(LearnerPersona.PseudoCoder)]
    [InlineData(null)] // NULLS NOT DISTINCT: only one default asset per key
    public async Task Content_asset_is_unique_per_topic_key_and_persona(LearnerPersona? persona)
    {
        var topic = await Save(Topic(Course()));
        TopicContentAsset Make(LearnerPersona? p) => new()
        {
            TopicId = topic.Id, ContentKey = "intro", PersonaKey = p, ContentType = ContentType.Text,
            Payload = Json("""{"markdown":"x"}"""), CreatedAt = Now, UpdatedAt = Now,
        };
        // The same key for another persona is a different asset.
        await Save(Make(persona is null ? LearnerPersona.NonItMigrant : null));
        await AssertSecondViolates("ix_topic_content_assets_topic_id_content_key_persona_key", Make(persona), Make(persona));
    }

    [Fact]
    public async Task Cohort_member_email_is_unique_per_cohort()
    {
        var cohort = await Save(Cohort(Course(EnrollmentMode.Cohort)));
        await AssertSecondViolates("ix_cohort_members_cohort_id_email",
            new CohortMember { CohortId = cohort.Id, Email = "ana@example.com", BatchNo = 1, CreatedAt = Now },
            new CohortMember { CohortId = cohort.Id, Email = "ana@example.com", BatchNo = 2, CreatedAt = Now });
    }

    [Fact]
    public async Task One_project_brief_per_cohort_batch()
    {
        var cohort = await Save(Cohort(Course(EnrollmentMode.Cohort)));
        await AssertSecondViolates("ix_cohort_batch_projects_cohort_id_batch_no",
            new CohortBatchProject { CohortId = cohort.Id, BatchNo = 1, Payload = Json("""{"title":"a"}"""), UpdatedAt = Now },
            new CohortBatchProject { CohortId = cohort.Id, BatchNo = 1, Payload = Json("""{"title":"b"}"""), UpdatedAt = Now });
    }

    [Fact]
    public async Task Cold_call_prompt_display_order_is_unique_per_topic()
    {
        var topic = await Save(Topic(Course()));
        await AssertSecondViolates("ix_cold_call_prompts_topic_id_display_order",
            new ColdCallPrompt { TopicId = topic.Id, DisplayOrder = 1, Prompt = "a", CreatedAt = Now },
            new ColdCallPrompt { TopicId = topic.Id, DisplayOrder = 1, Prompt = "b", CreatedAt = Now });
    }

    [Fact]
    public async Task One_star_per_user_per_message_and_one_root_response_per_user_per_prompt()
    {
        var course = Course(EnrollmentMode.Cohort);
        var prompt = await Save(new ColdCallPrompt { Topic = Topic(course), DisplayOrder = 1, Prompt = "p", CreatedAt = Now });
        var cohort = await Save(new Cohort { CourseId = course.Id, Name = "c", CreatedAt = Now, UpdatedAt = Now });
        var author = await Save(User());
        var reader = await Save(User());
        ColdCallMessage Root() => new() { PromptId = prompt.Id, CohortId = cohort.Id, UserId = author.Id, Content = "answer", CreatedAt = Now };
        var root = await Save(Root());

        await AssertViolates("ux_cold_call_messages_one_root_per_user_and_cohort", Root(), PostgresErrorCodes.UniqueViolation);
        // Replies are not limited.
        for (var i = 0; i < 2; i++)
            await Save(new ColdCallMessage { PromptId = prompt.Id, CohortId = cohort.Id, UserId = author.Id, ParentId = root.Id, RootId = root.Id, Content = "reply", CreatedAt = Now });

        await AssertSecondViolates("ix_cold_call_stars_message_id_user_id",
            new ColdCallStar { MessageId = root.Id, UserId = reader.Id, CreatedAt = Now },
            new ColdCallStar { MessageId = root.Id, UserId = reader.Id, CreatedAt = Now });
    }

    [Fact]
    public async Task Per_learner_rows_are_unique_per_course_topic_or_module()
    {
        var course = Course();
        var topic = await Save(Topic(course));
        var user = await Save(User());
        var (u, c, t) = (user.Id, course.Id, topic.Id);

        await AssertSecondViolates("ix_enrollments_user_id_course_id",
            new Enrollment { UserId = u, CourseId = c, Source = EnrollmentSource.Free, EnrolledAt = Now },
            new Enrollment { UserId = u, CourseId = c, Source = EnrollmentSource.Checkout, EnrolledAt = Now });
        await AssertSecondViolates("ix_cart_lines_user_id_course_id",
            new CartLine { UserId = u, CourseId = c, UnitPrice = 1, Currency = "USD", AddedAt = Now },
            new CartLine { UserId = u, CourseId = c, UnitPrice = 2, Currency = "USD", AddedAt = Now });
        await AssertSecondViolates("ix_cart_items_user_id_course_id",
            new CartItem { UserId = u, CourseId = c, CourseSlug = course.Slug, Title = "x", Price = 1, Currency = "USD", SavedAt = Now },
            new CartItem { UserId = u, CourseId = c, CourseSlug = course.Slug, Title = "x", Price = 1, Currency = "USD", SavedAt = Now });
        await AssertSecondViolates("ix_cp_rag_chat_sessions_user_id_course_id_topic_id",
            new RagChatSession { UserId = u, CourseId = c, TopicId = t, CreatedAt = Now, UpdatedAt = Now },
            new RagChatSession { UserId = u, CourseId = c, TopicId = t, CreatedAt = Now, UpdatedAt = Now });
        await AssertSecondViolates("ix_topic_personalization_user_id_course_id",
            new TopicPersonalization { UserId = u, CourseId = c, StudyPersona = StudyPersona.Sports, UpdatedAt = Now },
            new TopicPersonalization { UserId = u, CourseId = c, StudyPersona = StudyPersona.Cooking, UpdatedAt = Now });
        await AssertSecondViolates("ix_learner_persona_profiles_user_id_course_id",
            new LearnerPersonaProfile { UserId = u, CourseId = c, PersonaKey = LearnerPersona.PseudoCoder, CreatedAt = Now, UpdatedAt = Now },
            new LearnerPersonaProfile { UserId = u, CourseId = c, PersonaKey = LearnerPersona.RoteMemorizer, CreatedAt = Now, UpdatedAt = Now });
        await AssertSecondViolates("ix_module_prompt_usage_user_id_course_id_module_no",
            new ModulePromptUsage { UserId = u, CourseId = c, ModuleNo = 1, WindowStartedAt = Now, WindowEndsAt = Now.AddDays(1), UpdatedAt = Now },
            new ModulePromptUsage { UserId = u, CourseId = c, ModuleNo = 1, WindowStartedAt = Now, WindowEndsAt = Now.AddDays(1), UpdatedAt = Now });
        await AssertSecondViolates("ix_topic_progress_user_id_topic_id",
            new TopicProgress { UserId = u, TopicId = t, Progress = 0.5, UpdatedAt = Now },
            new TopicProgress { UserId = u, TopicId = t, Progress = 0.6, UpdatedAt = Now });
        await AssertSecondViolates("ix_module_progress_user_id_course_id_module_no",
            new ModuleProgress { UserId = u, CourseId = c, ModuleNo = 1, UpdatedAt = Now },
            new ModuleProgress { UserId = u, CourseId = c, ModuleNo = 1, UpdatedAt = Now });
    }

    [Fact]
    public async Task A_blob_version_is_logged_once()
    {
        var course = await Save(Course());
        ContentIngestion Make() => new() { CourseId = course.Id, Source = $"{course.Id}/deck.pptx", ETag = "\"0x8D1\"", QueuedAt = Now };
        await AssertSecondViolates("ix_content_ingestions_source_etag", Make(), Make());
    }

    [Fact]
    public async Task Login_states_codes_and_rate_limit_windows_are_unique()
    {
        var hash = Session(User()).RefreshTokenHash;
        var user = await Save(User());
        await AssertSecondViolates("ix_auth_login_states_state_hash",
            new AuthLoginState { StateHash = hash, CodeVerifier = "v", Nonce = "n", RedirectUri = "http://localhost", CreatedAt = Now, ExpiresAt = Now.AddMinutes(10) },
            new AuthLoginState { StateHash = hash, CodeVerifier = "w", Nonce = "m", RedirectUri = "http://localhost", CreatedAt = Now, ExpiresAt = Now.AddMinutes(10) });
        await AssertSecondViolates("ix_auth_login_codes_code_hash",
            new AuthLoginCode { CodeHash = hash, UserId = user.Id, CreatedAt = Now, ExpiresAt = Now.AddMinutes(1) },
            new AuthLoginCode { CodeHash = hash, UserId = user.Id, CreatedAt = Now, ExpiresAt = Now.AddMinutes(1) });
        var key = $"login-email:{user.Email}";
        await AssertSecondViolates("ix_rate_limit_counters_key_window_start",
            new RateLimitCounter { Key = key, WindowStart = Now, WindowEnd = Now.AddMinutes(15), Count = 1 },
            new RateLimitCounter { Key = key, WindowStart = Now, WindowEnd = Now.AddMinutes(15), Count = 1 });
    }

    // ---- check constraints ----

    [Theory]
    [InlineData(-0.01)]
    [InlineData(1.01)]
    public async Task Topic_progress_fraction_stays_within_0_and_1(double fraction)
    {
        var topic = await Save(Topic(Course()));
        var user = await Save(User());
        await AssertViolates("ck_topic_progress_fraction",
            new TopicProgress { UserId = user.Id, TopicId = topic.Id, Progress = fraction, UpdatedAt = Now }, PostgresErrorCodes.CheckViolation);
    }

    [Fact]
    public async Task Batch_numbers_are_positive()
    {
        var cohort = await Save(Cohort(Course(EnrollmentMode.Cohort)));
        await AssertViolates("ck_cohort_members_batch_no",
            new CohortMember { CohortId = cohort.Id, Email = "zero@example.com", BatchNo = 0, CreatedAt = Now }, PostgresErrorCodes.CheckViolation);
        await AssertViolates("ck_cohort_batch_projects_batch_no",
            new CohortBatchProject { CohortId = cohort.Id, BatchNo = 0, Payload = Json("{}"), UpdatedAt = Now }, PostgresErrorCodes.CheckViolation);
    }

    [Theory]
    [InlineData("Ana@Example.com", "ck_users_email_normalized")]
    [InlineData(" ana@example.com", "ck_users_email_normalized")]
    public async Task Emails_are_stored_normalised(string email, string constraint)
    {
        var user = User();
        user.Email = email;
        await AssertViolates(constraint, user, PostgresErrorCodes.CheckViolation);
    }

    [Theory]
    [InlineData("Has Spaces", "ck_courses_slug_format")]
    [InlineData("-leading", "ck_courses_slug_format")]
    public async Task Course_slugs_are_url_safe(string slug, string constraint)
    {
        var course = Course();
        course.Slug = slug;
        await AssertViolates(constraint, course, PostgresErrorCodes.CheckViolation);
    }

    [Fact]
    public async Task Course_price_is_not_negative()
    {
        var course = Course();
        course.Price = -1;
        await AssertViolates("ck_courses_price", course, PostgresErrorCodes.CheckViolation);
    }

    [Fact]
    public async Task A_reply_names_both_its_parent_and_its_root()
    {
        var course = Course(EnrollmentMode.Cohort);
        var prompt = await Save(new ColdCallPrompt { Topic = Topic(course), DisplayOrder = 1, Prompt = "p", CreatedAt = Now });
        var cohort = await Save(new Cohort { CourseId = course.Id, Name = "c", CreatedAt = Now, UpdatedAt = Now });
        var user = await Save(User());
        var root = await Save(new ColdCallMessage { PromptId = prompt.Id, CohortId = cohort.Id, UserId = user.Id, Content = "a", CreatedAt = Now });
        await AssertViolates("ck_cold_call_messages_thread",
            new ColdCallMessage { PromptId = prompt.Id, CohortId = cohort.Id, UserId = user.Id, ParentId = root.Id, Content = "b", CreatedAt = Now },
            PostgresErrorCodes.CheckViolation);
    }
}
