using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Data.Model;
using CoursePlatform.Functions.Features.Personas;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CoursePlatform.Functions.Tests.Personas;

public sealed class PersonaTests(DatabaseFixture database) : AppTest(database)
{
    private static PersonaSurvey Survey(Background background = Background.It, StudyStyle style = StudyStyle.Understand,
        ExamHorizon exam = ExamHorizon.Months, CodingExperience coding = CodingExperience.None, int english = 5) =>
        new(background, style, exam, coding, english, null);

    public static TheoryData<PersonaSurvey, LearnerPersona> Rules() => new()
    {
        { Survey(background: Background.NonIt), LearnerPersona.NonItMigrant },
        { Survey(style: StudyStyle.Memorize), LearnerPersona.RoteMemorizer },
        { Survey(english: 2), LearnerPersona.EnglishHesitant },
        { Survey(exam: ExamHorizon.Days), LearnerPersona.LastMinutePanic },
        { Survey(coding: CodingExperience.Confident, style: StudyStyle.Practice), LearnerPersona.PseudoCoder },
        // Ties go to the more specific need: a deadline beats a career change (3 + 0 vs 3 + 1 is no tie; 3 vs 3 is).
        { Survey(background: Background.NonIt, exam: ExamHorizon.Days, coding: CodingExperience.Some), LearnerPersona.LastMinutePanic },
        { Survey(background: Background.NonIt, english: 1), LearnerPersona.NonItMigrant },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void The_rules_score_answers_onto_the_five_personas(PersonaSurvey survey, LearnerPersona expected)
    {
        var result = RuleBasedPersonaClassifier.Classify(survey);

        Assert.Equal(expected, result.PersonaKey);
        Assert.StartsWith("Chosen because ", result.Reasoning, StringComparison.Ordinal);
        Assert.Equal("rules", result.ClassifiedBy);
    }

    private async Task<(Course Course, User Learner)> Enrolled()
    {
        var now = app.Clock.GetUtcNow();
        var learner = await app.CreateUserAsync();
        var course = Build.Course(now, name: "P");
        await app.Run<CoursePlatformDbContext>(async db =>
        {
            db.Enrollments.Add(Build.Enrollment(learner.Id, course, now));
            await db.SaveChangesAsync();
        });
        return (course, learner);
    }

    private static Caller As(User user) => new(user.Id, Guid.NewGuid(), user.Role);

    [Fact]
    public async Task An_unpublished_course_is_not_found_for_its_learners_but_its_staff_still_reach_it()
    {
        var (course, learner) = await Enrolled();
        var admin = await app.CreateUserAsync(UserRole.Admin);
        await app.UpdateCourseAsync(course, published: false);

        var set = await Assert.ThrowsAsync<ProblemException>(() => app.Run<PersonaService, StudyPersonaChoice>(p => p.SetStudyPersonaAsync(As(learner), course.Slug, StudyPersona.Cooking, default)));
        var get = await Assert.ThrowsAsync<ProblemException>(() => app.Run<PersonaService, PersonaProfileDto>(p => p.GetLearnerPersonaAsync(As(learner), course.Slug, default)));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (set.Status, get.Status));
        Assert.Equal(StudyPersona.Cooking, (await app.Run<PersonaService, StudyPersonaChoice>(p => p.SetStudyPersonaAsync(As(admin), course.Slug, StudyPersona.Cooking, default))).Persona);
    }

    [Fact]
    public async Task A_learner_sets_their_study_narrator_and_can_change_it()
    {
        var (course, learner) = await Enrolled();

        await app.Run<PersonaService, StudyPersonaChoice>(p => p.SetStudyPersonaAsync(As(learner), course.Slug, StudyPersona.Cooking, default));
        await app.Run<PersonaService, StudyPersonaChoice>(p => p.SetStudyPersonaAsync(As(learner), course.Id.ToString(), StudyPersona.Adventure, default));

        var stored = await app.Run<CoursePlatformDbContext, List<StudyPersona>>(db =>
            db.TopicPersonalizations.Where(t => t.UserId == learner.Id).Select(t => t.StudyPersona).ToListAsync());
        Assert.Equal([StudyPersona.Adventure], stored);
    }

    [Fact]
    public async Task The_survey_classifies_and_stores_the_profile_which_then_reads_back()
    {
        var (course, learner) = await Enrolled();
        var missing = await Assert.ThrowsAsync<ProblemException>(() =>
            app.Run<PersonaService, PersonaProfileDto>(p => p.GetLearnerPersonaAsync(As(learner), course.Slug, default)));
        Assert.Equal(HttpStatusCode.NotFound, missing.Status);

        var classified = await app.Run<PersonaService, PersonaProfileDto>(p => p.ClassifyAsync(As(learner), course.Slug, Survey(english: 1), default));
        var reread = await app.Run<PersonaService, PersonaProfileDto>(p => p.GetLearnerPersonaAsync(As(learner), course.Slug, default));

        Assert.Equal(LearnerPersona.EnglishHesitant, classified.PersonaKey);
        Assert.Equal(classified, reread);
        var answers = (await app.Run<CoursePlatformDbContext, LearnerPersonaProfile>(db =>
            db.LearnerPersonaProfiles.AsNoTracking().SingleAsync(p => p.UserId == learner.Id))).SurveyAnswers!.RootElement.GetRawText();
        Assert.Contains("\"englishComfort\": 1", answers, StringComparison.Ordinal); // jsonb normalises spacing
    }

    [Fact]
    public async Task Survey_submissions_past_the_hourly_limit_are_429_and_keep_the_last_profile()
    {
        var (course, learner) = await Enrolled();
        for (var i = 0; i < PersonaService.ClassificationsPerHour; i++)
            await app.Run<PersonaService, PersonaProfileDto>(p => p.ClassifyAsync(As(learner), course.Slug, Survey(english: 1), default));

        var refused = await Assert.ThrowsAsync<ProblemException>(() =>
            app.Run<PersonaService, PersonaProfileDto>(p => p.ClassifyAsync(As(learner), course.Slug, Survey(background: Background.NonIt), default)));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.True(refused.Headers.ContainsKey("Retry-After"));
        var kept = await app.Run<PersonaService, PersonaProfileDto>(p => p.GetLearnerPersonaAsync(As(learner), course.Slug, default));
        Assert.Equal(LearnerPersona.EnglishHesitant, kept.PersonaKey);
        // Another learner has a limit of their own.
        var (otherCourse, other) = await Enrolled();
        await app.Run<PersonaService, PersonaProfileDto>(p => p.ClassifyAsync(As(other), otherCourse.Slug, Survey(english: 1), default));
    }

    [Fact]
    public async Task Someone_outside_the_course_cannot_personalise_it()
    {
        var (course, _) = await Enrolled();
        var stranger = await app.CreateUserAsync();

        var error = await Assert.ThrowsAsync<ProblemException>(() =>
            app.Run<PersonaService, StudyPersonaChoice>(p => p.SetStudyPersonaAsync(As(stranger), course.Slug, StudyPersona.Sports, default)));
        Assert.Equal(HttpStatusCode.Forbidden, error.Status);
    }

    [Fact]
    public void An_incomplete_survey_names_each_missing_answer()
    {
        var request = new PersonaSurveyRequest(new PersonaSurvey(null, StudyStyle.Practice, null, CodingExperience.Some, 9, null));

        var error = Assert.Throws<ProblemException>(() => RequestBody.Validate(request));

        Assert.Equal(["answers.background", "answers.englishComfort", "answers.examHorizon"], error.Errors!.Keys.Order());
    }
}

/// <summary>The model-backed classifier against an OpenAI-compatible stand-in over HTTP.</summary>
public sealed class ChatPersonaClassifierTests : IAsyncLifetime
{
    private OpenAiStandIn model = null!;

    public async Task InitializeAsync() => model = await OpenAiStandIn.StartAsync();

    public async Task DisposeAsync() => await model.DisposeAsync();

    private ILearnerPersonaClassifier Classifier()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ChatModel:Endpoint"] = model.Endpoint, ["ChatModel:Model"] = "persona-model", ["ChatModel:ApiKey"] = "test-key",
        }).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(configuration);
        Functions.Infrastructure.AI.ChatModelRegistration.AddChatModel(services, configuration);
        services.AddPersonas();
        return services.BuildServiceProvider().GetRequiredService<ILearnerPersonaClassifier>();
    }

    private static readonly PersonaSurvey Survey = new(Background.It, StudyStyle.Memorize, ExamHorizon.Months, CodingExperience.None, 5, "pass the exam");

    [Fact]
    public async Task The_model_decides_when_configured_and_sees_the_survey()
    {
        model.Reply = """{"personaKey":"pseudo_coder","reasoning":"You like to see it run."}""";

        var result = await Classifier().ClassifyAsync(Survey, default);

        Assert.Equal((LearnerPersona.PseudoCoder, "You like to see it run.", "persona-model"), (result.PersonaKey, result.Reasoning, result.ClassifiedBy));
        var sent = Assert.Single(model.Requests);
        Assert.Equal("persona-model", sent["model"]!.GetValue<string>());
        Assert.Contains("pass the exam", sent["messages"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"personaKey":"space_cadet","reasoning":"x"}""", null)]
    [InlineData("not json at all", null)]
    [InlineData("", 500)]
    public async Task An_unusable_answer_or_a_failing_model_falls_back_to_the_rules(string reply, int? status)
    {
        model.Reply = reply;
        model.FailWith = status;

        var result = await Classifier().ClassifyAsync(Survey, default);

        Assert.Equal((LearnerPersona.RoteMemorizer, "rules"), (result.PersonaKey, result.ClassifiedBy));
    }
}
