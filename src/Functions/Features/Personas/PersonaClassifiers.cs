using System.Text.Json;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace CoursePlatform.Functions.Features.Personas;

public sealed record PersonaClassification(LearnerPersona PersonaKey, string Reasoning, string ClassifiedBy);

public interface ILearnerPersonaClassifier
{
    Task<PersonaClassification> ClassifyAsync(PersonaSurvey survey, CancellationToken cancellationToken);
}

/// <summary>
/// The offline default: each answer adds points to personas (table in Features/Lessons/README.md), the highest score
/// wins, ties go to the persona listed first in <see cref="TieBreak"/>, and the reasoning names the
/// answers that decided it.
/// </summary>
public sealed class RuleBasedPersonaClassifier : ILearnerPersonaClassifier
{
    public const string Name = "rules";

    /// <summary>Most specific need first: a deadline or a language barrier shapes answers more than style does.</summary>
    private static readonly LearnerPersona[] TieBreak =
        [LearnerPersona.LastMinutePanic, LearnerPersona.EnglishHesitant, LearnerPersona.NonItMigrant, LearnerPersona.PseudoCoder, LearnerPersona.RoteMemorizer];

    public Task<PersonaClassification> ClassifyAsync(PersonaSurvey survey, CancellationToken cancellationToken) =>
        Task.FromResult(Classify(survey));

    public static PersonaClassification Classify(PersonaSurvey survey)
    {
        var scores = TieBreak.ToDictionary(p => p, _ => 0);
        var reasons = TieBreak.ToDictionary(p => p, _ => new List<string>());
        void Add(LearnerPersona persona, int points, string reason)
        {
            scores[persona] += points;
            reasons[persona].Add(reason);
        }

        if (survey.Background == Background.NonIt) Add(LearnerPersona.NonItMigrant, 3, "you are moving into tech from another field");
        if (survey.CodingExperience == CodingExperience.None) Add(LearnerPersona.NonItMigrant, 1, "you have not written code yet");
        if (survey.StudyStyle == StudyStyle.Memorize) Add(LearnerPersona.RoteMemorizer, 3, "you learn by memorising");
        if (survey.Background == Background.Student && survey.StudyStyle != StudyStyle.Practice) Add(LearnerPersona.RoteMemorizer, 1, "you study for exams");
        if (survey.EnglishComfort <= 2) Add(LearnerPersona.EnglishHesitant, 3, "English is not yet comfortable for you");
        else if (survey.EnglishComfort == 3) Add(LearnerPersona.EnglishHesitant, 1, "you prefer simple English");
        if (survey.ExamHorizon == ExamHorizon.Days) Add(LearnerPersona.LastMinutePanic, 3, "your exam is days away");
        else if (survey.ExamHorizon == ExamHorizon.Weeks) Add(LearnerPersona.LastMinutePanic, 1, "your exam is a few weeks away");
        if (survey.CodingExperience is CodingExperience.Some or CodingExperience.Confident) Add(LearnerPersona.PseudoCoder, 2, "you already write some code");
        if (survey.StudyStyle == StudyStyle.Practice) Add(LearnerPersona.PseudoCoder, 2, "you learn by doing");

        var best = TieBreak.OrderByDescending(p => scores[p]).First(); // OrderBy is stable: ties keep TieBreak order
        var because = reasons[best].Count > 0 ? string.Join(" and ", reasons[best]) : "no answer pointed elsewhere";
        return new PersonaClassification(best, $"Chosen because {because}. The tutor will {Style(best)}.", Name);
    }

    public static string Style(LearnerPersona persona) => persona switch
    {
        LearnerPersona.NonItMigrant => "use plain words and everyday analogies",
        LearnerPersona.RoteMemorizer => "explain the concepts behind what you memorise",
        LearnerPersona.EnglishHesitant => "write short, simple sentences",
        LearnerPersona.LastMinutePanic => "give you a short action plan",
        _ => "walk through code line by line",
    };
}

/// <summary>
/// Used when a chat model is configured: the model reads the survey and answers with a persona and its
/// reasoning as JSON. Anything unusable (an error, a timeout, an unknown persona) falls back to the rules.
/// </summary>
public sealed class ChatPersonaClassifier(IChatClient chat, ILogger<ChatPersonaClassifier> logger) : ILearnerPersonaClassifier
{
    private static readonly string Instructions =
        "You classify a learner of an online course into exactly one tutor persona from a survey. Personas: "
        + string.Join("; ", Enum.GetValues<LearnerPersona>().Select(p => $"{Json.Label(p)} (the tutor will {RuleBasedPersonaClassifier.Style(p)})"))
        + ". Answer with a JSON object only: {\"personaKey\": \"<one of the labels>\", \"reasoning\": \"<one or two sentences addressed to the learner>\"}.";

    public async Task<PersonaClassification> ClassifyAsync(PersonaSurvey survey, CancellationToken cancellationToken)
    {
        try
        {
            var response = await chat.GetResponseAsync(
                [new ChatMessage(Microsoft.Extensions.AI.ChatRole.System, Instructions), new ChatMessage(Microsoft.Extensions.AI.ChatRole.User, JsonSerializer.Serialize(survey, Json.Options))],
                new ChatOptions { Temperature = 0, ResponseFormat = ChatResponseFormat.Json, MaxOutputTokens = 300 },
                cancellationToken);
            using var answer = JsonDocument.Parse(response.Text);
            var label = answer.RootElement.GetProperty("personaKey").GetString();
            var reasoning = answer.RootElement.GetProperty("reasoning").GetString();
            if (Json.TryParseLabel<LearnerPersona>(label, out var persona) && !string.IsNullOrWhiteSpace(reasoning))
                return new PersonaClassification(persona, reasoning.Length > 2000 ? reasoning[..2000] : reasoning, response.ModelId ?? "chat-model");
            logger.LogWarning("The chat model's persona answer was unusable; using the rules");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            logger.LogWarning("Persona classification by the chat model failed ({Error}); using the rules", ex.GetType().Name);
        }
        return RuleBasedPersonaClassifier.Classify(survey);
    }
}
