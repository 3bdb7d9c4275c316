using System.Linq.Expressions;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CoursePlatform.DevTool;

/// <summary>
/// The demo data set: <see cref="DemoContent"/>'s courses, a cohort with two batches, staff and demo learners.
/// Idempotent: every row is found by its natural key (slug, email, (topic, key, persona), ...) or by a
/// deterministic id derived from one, then inserted or brought up to date; a second run changes nothing.
/// It does not check where it runs: callers use <see cref="SeedGuard"/> first.
/// </summary>
public sealed class DemoSeed
{
    public const string GatedCourseSlug = "cloud-foundations";
    public const string OpenCourseSlug = "cloud-careers-starter";
    public const string PaidCourseSlug = "cloud-cost-clinic";
    public const string CohortName = "Cloud Foundations - Demo cohort";

    /// <summary>The demo learners: email, name, persona (null = none), batch, enrolled in the gated course.</summary>
    public static IReadOnlyList<DemoLearner> Learners { get; } =
    [
        new("learner.a@example.com", "Ana Alvarez", LearnerPersona.NonItMigrant, 1, Enrolled: true,
            "Moved from retail management into IT; no programming background; prefers everyday analogies."),
        new("learner.b@example.com", "Ben Baker", LearnerPersona.PseudoCoder, 2, Enrolled: true,
            "Writes small scripts at work and learns best from code and commands, line by line."),
        new("learner.c@example.com", "Chloe Chen", null, 1, Enrolled: true, null),
        new("learner.d@example.com", "Dev Desai", null, 2, Enrolled: false, null),
    ];

    private static readonly PasswordHasher<User> Hasher = new();

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An instance API, so callers can substitute or extend the seed.")]
    public async Task<DemoSeedResult> ApplyAsync(
        CoursePlatformDbContext db, DemoSeedOptions options, TimeProvider time, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        options.Validate();

        var run = new Run(db, time.GetUtcNow(), ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // Staff
        await run.StaffAsync(options.AdminEmail, "Demo Admin", UserRole.Admin, options.AdminPassword!);
        var tutorUser = await run.StaffAsync(options.TutorEmail, "Demo Tutor", UserRole.Tutor, options.TutorPassword!);
        var tutor = await run.UpsertAsync(db.Tutors, t => t.UserId == tutorUser.Id,
            () => new Tutor { Id = Ids.For("tutor", tutorUser.Email), UserId = tutorUser.Id, CreatedAt = run.Now });
        tutor.Headline = "Cloud engineer and course tutor";
        tutor.Bio = "Ten years running production workloads on Azure and AWS; tutors the Cloud Foundations cohorts.";
        if (!tutor.Expertise.SequenceEqual(TutorExpertise)) tutor.Expertise = [.. TutorExpertise];

        // Catalog
        var gated = await run.CourseAsync(DemoContent.CloudFoundations);
        await run.CourseAsync(DemoContent.CloudCareers);
        await run.CourseAsync(DemoContent.CloudCostClinic);
        await run.UpsertAsync(db.CourseTutors, x => x.CourseId == gated.Id && x.TutorId == tutor.Id,
            () => new CourseTutor { Id = Ids.For("course-tutor", gated.Id, tutor.Id), CourseId = gated.Id, TutorId = tutor.Id, AssignedAt = run.Now });
        foreach (var page in DemoContent.Pages)
        {
            var row = await run.UpsertAsync(db.PageContent, p => p.Slug == page.Slug,
                () => new PageContent { Id = Ids.For("page", page.Slug), Slug = page.Slug, Title = page.Title, Content = Json(new { }) , UpdatedAt = run.Now });
            row.Title = page.Title;
            row.Content = Run.SameJson(row.Content, Json(new { markdown = page.Markdown }));
        }

        // Cohort, batches and learners
        await run.CohortAndLearnersAsync(gated);

        return await run.SaveAsync(transaction);
    }

    private static readonly string[] TutorExpertise = ["Azure", "Networking", "Cost management"];

    private static JsonDocument Json(object value) => JsonSerializer.SerializeToDocument(value, JsonOptions);

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    // The layout is stored as text: keep apostrophes and backticks readable instead of \u0027 escapes.
    private static readonly JsonSerializerOptions LayoutJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string PersonaLabel(LearnerPersona persona) => JsonNamingPolicy.SnakeCaseLower.ConvertName(persona.ToString());

    private sealed class Run(CoursePlatformDbContext db, DateTimeOffset now, CancellationToken ct)
    {
        public DateTimeOffset Now { get; } = now;
        private readonly Dictionary<Type, int> _described = [];

        /// <summary>Finds the row by its natural key or adds the one <paramref name="create"/> builds; counts it as described.</summary>
        public async Task<T> UpsertAsync<T>(DbSet<T> set, Expression<Func<T, bool>> key, Func<T> create) where T : class
        {
            _described[typeof(T)] = _described.GetValueOrDefault(typeof(T)) + 1;
            var existing = await set.FirstOrDefaultAsync(key, ct);
            if (existing is not null) return existing;
            var row = create();
            set.Add(row);
            return row;
        }

        /// <summary>Keeps the stored document when it already holds the same JSON, so re-runs do not rewrite it.</summary>
        public static JsonDocument SameJson(JsonDocument? current, JsonDocument wanted) =>
            current is not null && JsonElement.DeepEquals(current.RootElement, wanted.RootElement) ? current : wanted;

        public async Task<User> StaffAsync(string email, string name, UserRole role, string password)
        {
            email = email.Trim().ToLowerInvariant();
            var user = await UpsertAsync(db.Users, u => u.Email == email,
                () => new User { Id = Ids.For("user", email), Email = email, CreatedAt = Now, UpdatedAt = Now });
            user.FullName ??= name;
            user.Role = role;
            // Rehash only when the configured password no longer verifies (hashes are salted, so a new one always differs).
            if (user.PasswordHash is null
                || Hasher.VerifyHashedPassword(user, user.PasswordHash, password) == PasswordVerificationResult.Failed)
                user.PasswordHash = Hasher.HashPassword(user, password);
            return user;
        }

        public async Task<Course> CourseAsync(CourseSpec spec)
        {
            var course = await UpsertAsync(db.Courses, c => c.Slug == spec.Slug,
                () => new Course { Id = Ids.For("course", spec.Slug), Slug = spec.Slug, Name = spec.Name, CreatedAt = Now, UpdatedAt = Now });
            course.Name = spec.Name;
            course.Description = spec.Description;
            course.ThumbnailUrl = $"https://placehold.co/640x360/png?text={Uri.EscapeDataString(spec.Name)}";
            course.Price = spec.Price;
            course.Currency = "USD";
            course.IsPublished = true;
            course.EnrollmentMode = spec.Mode;
            course.ModuleCount = spec.Modules.Count;

            for (var m = 0; m < spec.Modules.Count; m++)
            {
                var module = spec.Modules[m];
                var moduleNo = m + 1;
                for (var t = 0; t < module.Topics.Count; t++)
                    await TopicAsync(course, spec, module, moduleNo, t + 1, module.Topics[t]);

                // Quiz: pair p covers topics 2p-1 and 2p; its questions are those two topics' questions.
                for (var pair = 1; pair <= (module.Topics.Count + 1) / 2; pair++)
                {
                    var questions = module.Topics.Skip((pair - 1) * 2).Take(2).SelectMany(x => x.Quiz).ToList();
                    for (var q = 0; q < questions.Count; q++)
                        await QuestionAsync(course, moduleNo, pair, q + 1, questions[q]);
                }
            }
            return course;
        }

        private async Task TopicAsync(Course course, CourseSpec courseSpec, ModuleSpec module, int moduleNo, int topicNo, TopicSpec spec)
        {
            var topic = await UpsertAsync(db.Topics, x => x.CourseId == course.Id && x.ModuleNo == moduleNo && x.TopicNumber == topicNo,
                () => new Topic
                {
                    Id = Ids.For("topic", course.Id, moduleNo, topicNo), CourseId = course.Id, ModuleNo = moduleNo,
                    TopicNumber = topicNo, Name = spec.Name, CreatedAt = Now, UpdatedAt = Now,
                });
            var hasSlides = courseSpec.Mode == EnrollmentMode.Cohort && topicNo == 1;
            var deckUrl = $"https://example.com/demo-decks/{courseSpec.Slug}/module-{moduleNo}.pptx";
            var diagramText = Uri.EscapeDataString(spec.Name);

            topic.Name = spec.Name;
            topic.IsPreview = spec.Preview;
            topic.VideoUrl = spec.VideoUrl;
            topic.PptUrl = hasSlides ? deckUrl : null;
            topic.TextContentSports = spec.Variants?.Sports;
            topic.TextContentCooking = spec.Variants?.Cooking;
            topic.TextContentAdventure = spec.Variants?.Adventure;

            // Layout: asset-backed blocks (contentKey) resolved per persona, inline blocks for one persona, inline blocks for all.
            var blocks = new JsonArray { Block("intro", "text", contentKey: "intro") };
            if (spec.VideoUrl is not null) blocks.Add(Block("video", "video", contentKey: "lesson-video"));
            if (courseSpec.Mode == EnrollmentMode.Cohort) blocks.Add(Block("diagram", "image", contentKey: "diagram"));
            if (hasSlides) blocks.Add(Block("slides", "ppt", contentKey: "slides"));
            if (spec.Analogy is not null)
                blocks.Add(Block("analogy", "text", persona: LearnerPersona.NonItMigrant,
                    data: new JsonObject { ["markdown"] = $"**Everyday picture:** {spec.Analogy}" }));
            if (spec.Code is not null)
                blocks.Add(Block("try-it", "text", persona: LearnerPersona.PseudoCoder,
                    data: new JsonObject { ["markdown"] = $"**Try it yourself:**\n\n```{spec.CodeLanguage}\n{spec.Code}\n```" }));
            blocks.Add(Block("last-minute", "text", persona: LearnerPersona.LastMinutePanic,
                data: new JsonObject { ["markdown"] = $"**If you only have two minutes:** {spec.KeyPoints[0]}" }));
            blocks.Add(Block("key-points", "text",
                data: new JsonObject { ["markdown"] = "### Key points\n" + string.Join('\n', spec.KeyPoints.Select(p => $"- {p}")) }));
            topic.TextContent = new JsonObject { ["version"] = "1", ["blocks"] = blocks }.ToJsonString(LayoutJson);

            // Content assets: a default payload per key, persona-specific payloads where the lesson differs.
            await AssetAsync(topic, "intro", null, ContentType.Text, new { markdown = spec.Summary });
            if (spec.Analogy is not null)
                await AssetAsync(topic, "intro", LearnerPersona.NonItMigrant, ContentType.Text,
                    new { markdown = $"{spec.Analogy}\n\n**In plain words:** {spec.Summary}" });
            if (spec.Code is not null)
                await AssetAsync(topic, "intro", LearnerPersona.PseudoCoder, ContentType.Text,
                    new { markdown = $"{spec.Summary}\n\nHere is what it looks like in practice, line by line:\n\n```{spec.CodeLanguage}\n{spec.Code}\n```" });
            if (spec.VideoUrl is not null)
                await AssetAsync(topic, "lesson-video", null, ContentType.Video, new { url = spec.VideoUrl, title = spec.Name });
            if (courseSpec.Mode == EnrollmentMode.Cohort)
            {
                await AssetAsync(topic, "diagram", null, ContentType.Image, new
                {
                    url = $"https://placehold.co/960x540/png?text={diagramText}",
                    alt = $"Diagram: {spec.Name}",
                });
                await AssetAsync(topic, "diagram", LearnerPersona.NonItMigrant, ContentType.Image, new
                {
                    url = $"https://placehold.co/960x540/png?text={diagramText}%20(everyday%20picture)",
                    alt = $"Illustrated everyday comparison: {spec.Name}",
                });
            }
            if (hasSlides)
                await AssetAsync(topic, "slides", null, ContentType.Ppt, new { url = deckUrl, title = $"Module {moduleNo}: {module.Title}" });

            if (spec.Simulation is { } simulation)
            {
                var exercise = await UpsertAsync(db.SimulationExercises, x => x.TopicId == topic.Id,
                    () => new SimulationExercise { Id = Ids.For("simulation", topic.Id), TopicId = topic.Id, Title = simulation.Title, UpdatedAt = Now });
                exercise.Title = simulation.Title;
                exercise.Instructions = simulation.Instructions;
                exercise.Payload = SameJson(exercise.Payload, Json(simulation.Payload));
            }

            await SuggestionsAsync(topic, spec);

            for (var i = 0; i < spec.ColdCalls.Length; i++)
            {
                var order = i + 1;
                var prompt = await UpsertAsync(db.ColdCallPrompts, x => x.TopicId == topic.Id && x.DisplayOrder == order,
                    () => new ColdCallPrompt { Id = Ids.For("cold-call", topic.Id, order), TopicId = topic.Id, DisplayOrder = order, Prompt = spec.ColdCalls[i], CreatedAt = Now });
                prompt.Prompt = spec.ColdCalls[i];
            }
        }

        private static JsonObject Block(string id, string type, string? contentKey = null, LearnerPersona? persona = null, JsonObject? data = null)
        {
            var block = new JsonObject { ["id"] = id, ["type"] = type };
            if (contentKey is not null) block["contentKey"] = contentKey;
            if (persona is { } p) block["tutorPersona"] = PersonaLabel(p);
            if (data is not null) block["data"] = data;
            return block;
        }

        private async Task AssetAsync(Topic topic, string key, LearnerPersona? persona, ContentType type, object payload)
        {
            var asset = await UpsertAsync(db.TopicContentAssets, x => x.TopicId == topic.Id && x.ContentKey == key && x.PersonaKey == persona,
                () => new TopicContentAsset
                {
                    Id = Ids.For("asset", topic.Id, key, persona?.ToString() ?? "default"), TopicId = topic.Id, ContentKey = key,
                    PersonaKey = persona, Payload = Json(payload), CreatedAt = Now, UpdatedAt = Now,
                });
            asset.ContentType = type;
            asset.Payload = SameJson(asset.Payload, Json(payload));
        }

        /// <summary>A small tree: three starter prompts, each with follow-ups, all answered from the lesson itself.</summary>
        private async Task SuggestionsAsync(Topic topic, TopicSpec spec)
        {
            var quiz = spec.Quiz[0];
            var tree = new List<(string Prompt, string Answer, List<(string Prompt, string Answer)> Children)>
            {
                ($"Explain \"{spec.Name}\" in simple words", spec.Summary,
                [
                    ("Give me an everyday comparison", spec.Analogy ?? spec.KeyPoints[0]),
                    ("What should I remember for the quiz?", string.Join(' ', spec.KeyPoints.Take(2))),
                ]),
                ("What are the key points?", string.Join('\n', spec.KeyPoints.Select(p => $"- {p}")),
                [
                    ("Quiz me on this topic", $"{quiz.Question}\n\nAnswer: {quiz.Correct}. {quiz.Explanation}"),
                ]),
                ("Show me a hands-on example", spec.Code is null
                    ? $"This topic is conceptual. A good exercise: write down, in your own words, how {spec.KeyPoints[0].TrimEnd('.').ToLowerInvariant()}."
                    : $"```{spec.CodeLanguage}\n{spec.Code}\n```",
                [
                    ("How can I try this without a big bill?",
                        "Use a free-tier or trial account, create resources in one resource group, set a budget alert, and delete the resource group when you are done."),
                ]),
            };

            for (var r = 0; r < tree.Count; r++)
            {
                var (rootPrompt, rootAnswer, children) = tree[r];
                var root = await SuggestionAsync(topic, null, $"{r + 1}", r + 1, rootPrompt, rootAnswer);
                for (var c = 0; c < children.Count; c++)
                    await SuggestionAsync(topic, root.Id, $"{r + 1}.{c + 1}", c + 1, children[c].Prompt, children[c].Answer);
            }
        }

        private async Task<TopicPromptSuggestion> SuggestionAsync(Topic topic, Guid? parentId, string path, int order, string prompt, string answer)
        {
            var id = Ids.For("suggestion", topic.Id, path);
            var row = await UpsertAsync(db.TopicPromptSuggestions, x => x.Id == id,
                () => new TopicPromptSuggestion { Id = id, TopicId = topic.Id, ParentId = parentId, Prompt = prompt, Answer = answer, CreatedAt = Now });
            row.ParentId = parentId;
            row.DisplayOrder = order;
            row.Prompt = prompt;
            row.Answer = answer;
            return row;
        }

        private async Task QuestionAsync(Course course, int moduleNo, int pair, int number, QuizSpec spec)
        {
            var id = Ids.For("quiz", course.Id, moduleNo, pair, number);
            var question = await UpsertAsync(db.QuizQuestions, x => x.Id == id,
                () => new QuizQuestion { Id = id, CourseId = course.Id, ModuleNo = moduleNo, TopicPairIndex = pair, Question = spec.Question, CreatedAt = Now });
            question.Question = spec.Question;
            question.Explanation = spec.Explanation;

            // The correct option moves around so it is not always first.
            var options = spec.Wrong.ToList();
            options.Insert((number - 1) % (options.Count + 1), spec.Correct);
            for (var o = 0; o < options.Count; o++)
            {
                var order = o + 1;
                var option = await UpsertAsync(db.QuizOptions, x => x.QuestionId == id && x.DisplayOrder == order,
                    () => new QuizOption { Id = Ids.For("quiz-option", id, order), QuestionId = id, DisplayOrder = order, Text = options[o] });
                option.Text = options[o];
                option.IsCorrect = options[o] == spec.Correct;
            }
        }

        public async Task CohortAndLearnersAsync(Course course)
        {
            var cohort = await UpsertAsync(db.Cohorts, c => c.CourseId == course.Id && c.Name == CohortName,
                () => new Cohort { Id = Ids.For("cohort", course.Id, CohortName), CourseId = course.Id, Name = CohortName, CreatedAt = Now, UpdatedAt = Now });
            cohort.IsActive = true;
            cohort.StartsOn = new DateOnly(2026, 9, 1);
            cohort.EndsOn = new DateOnly(2027, 6, 30);

            var briefs = new Dictionary<int, object>
            {
                [1] = new
                {
                    title = "Static website on object storage",
                    tagline = "Publish a fast, cheap, secure site without a single server.",
                    description = "Host a personal or small-business website from a storage account: upload the files, enable static website hosting, "
                        + "put HTTPS in front of it, and set a monthly budget alert. Present the architecture and what it costs per month.",
                    notes = "Use one resource group and delete it after the demo day.",
                },
                [2] = new
                {
                    title = "Cost-aware three-tier design",
                    tagline = "Design a web shop that survives a data-centre failure and stays within budget.",
                    description = "Design (and optionally deploy) a web tier, an API and a managed database across two availability zones, with "
                        + "least-privilege access and monitoring alerts. Document the monthly cost estimate and what you would cut first.",
                },
            };
            foreach (var (batch, brief) in briefs)
            {
                var project = await UpsertAsync(db.CohortBatchProjects, p => p.CohortId == cohort.Id && p.BatchNo == batch,
                    () => new CohortBatchProject { Id = Ids.For("batch-project", cohort.Id, batch), CohortId = cohort.Id, BatchNo = batch, Payload = Json(brief), UpdatedAt = Now });
                project.Payload = SameJson(project.Payload, Json(brief));
            }

            foreach (var learner in Learners)
            {
                var email = learner.Email;
                var user = await UpsertAsync(db.Users, u => u.Email == email,
                    () => new User { Id = Ids.For("user", email), Email = email, FullName = learner.Name, CreatedAt = Now, UpdatedAt = Now });
                // No provider subject: the first Google sign-in with this email links the account, as it
                // would for a learner an admin pre-registered.
                user.Role = UserRole.Learner;

                var member = await UpsertAsync(db.CohortMembers, x => x.CohortId == cohort.Id && x.Email == email,
                    () => new CohortMember { Id = Ids.For("cohort-member", cohort.Id, email), CohortId = cohort.Id, Email = email, CreatedAt = Now });
                member.BatchNo = learner.BatchNo;
                // Enrolled learners are linked; the others are linked by email on their first enrolment.
                if (learner.Enrolled) member.UserId = user.Id;

                if (learner.Enrolled)
                {
                    var enrollment = await UpsertAsync(db.Enrollments, x => x.UserId == user.Id && x.CourseId == course.Id,
                        () => new Enrollment { Id = Ids.For("enrollment", user.Id, course.Id), UserId = user.Id, CourseId = course.Id, EnrolledAt = Now });
                    enrollment.Source = EnrollmentSource.Cohort;
                    enrollment.Status = EnrollmentStatus.Active;
                    enrollment.CohortId = cohort.Id;
                }

                if (learner.Persona is { } persona)
                {
                    var profile = await UpsertAsync(db.LearnerPersonaProfiles, x => x.UserId == user.Id && x.CourseId == course.Id,
                        () => new LearnerPersonaProfile { Id = Ids.For("persona", user.Id, course.Id), UserId = user.Id, CourseId = course.Id, CreatedAt = Now, UpdatedAt = Now });
                    profile.PersonaKey = persona;
                    profile.Reasoning = learner.PersonaReasoning;
                    profile.ClassifiedBy = "demo-seed";
                    profile.SurveyAnswers = SameJson(profile.SurveyAnswers, Json(new { background = learner.PersonaReasoning }));
                }
            }
        }

        public async Task<DemoSeedResult> SaveAsync(Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction transaction)
        {
            db.ChangeTracker.DetectChanges();
            int created = 0, updated = 0;
            foreach (var entry in db.ChangeTracker.Entries())
            {
                if (entry.State == EntityState.Added) created++;
                else if (entry.State == EntityState.Modified)
                {
                    updated++;
                    if (entry.Metadata.FindProperty("UpdatedAt") is not null) entry.Property("UpdatedAt").CurrentValue = Now;
                }
            }
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);

            return new DemoSeedResult
            {
                Courses = Count<Course>(), Topics = Count<Topic>(), ContentAssets = Count<TopicContentAsset>(),
                SimulationExercises = Count<SimulationExercise>(), QuizQuestions = Count<QuizQuestion>(), QuizOptions = Count<QuizOption>(),
                PromptSuggestions = Count<TopicPromptSuggestion>(), ColdCallPrompts = Count<ColdCallPrompt>(), Cohorts = Count<Cohort>(),
                CohortMembers = Count<CohortMember>(), BatchProjects = Count<CohortBatchProject>(), Users = Count<User>(),
                Enrollments = Count<Enrollment>(), PersonaProfiles = Count<LearnerPersonaProfile>(), Pages = Count<PageContent>(),
                Created = created, Updated = updated,
            };
        }

        private int Count<T>() => _described.GetValueOrDefault(typeof(T));
    }
}

public sealed record DemoLearner(
    string Email, string Name, LearnerPersona? Persona, int BatchNo, bool Enrolled, string? PersonaReasoning);

/// <summary>Name-based UUIDs (SHA-256 of a fixed namespace and the name, RFC 9562 version 8), so every seeded row has the same id on every machine and run.</summary>
public static class Ids
{
    private static readonly byte[] Namespace = Guid.Parse("6f1d3c2a-9b8e-4f5a-8c7d-2e1f0a9b8c7d").ToByteArray(bigEndian: true);

    public static Guid For(params object[] parts)
    {
        var name = Encoding.UTF8.GetBytes(string.Join('/', parts.Select(p => Convert.ToString(p, System.Globalization.CultureInfo.InvariantCulture))));
        var hash = SHA256.HashData([.. Namespace, .. name]);
        var bytes = hash.AsSpan(0, 16).ToArray();
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (name-based, SHA-256)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes, bigEndian: true);
    }
}
