using System.ComponentModel.DataAnnotations;
using System.Net;
using CoursePlatform.Data;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Personas;

public sealed record StudyPersonaRequest([property: Required] StudyPersona? Persona);

public sealed class PersonaFunctions(PersonaService personas)
{
    [Function("SetStudyPersona")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> SetStudyPersona(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "courses/{course}/study-persona")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var body = await request.ReadJsonAsync<StudyPersonaRequest>(cancellationToken);
        var choice = await personas.SetStudyPersonaAsync(caller, course, body.Persona!.Value, cancellationToken);
        return await request.OkAsync(choice, cancellationToken);
    }

    [Function("GetLearnerPersona")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> GetLearnerPersona(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "courses/{course}/tutor-persona")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var profile = await personas.GetLearnerPersonaAsync(context.RequireCaller(), course, cancellationToken);
        return await request.OkAsync(profile, cancellationToken);
    }

    [Function("ClassifyLearnerPersona")]
    [Allow(Callers.SignedIn)]
    public async Task<HttpResponseData> ClassifyLearnerPersona(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "courses/{course}/tutor-persona")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var body = await request.ReadJsonAsync<PersonaSurveyRequest>(cancellationToken);
        var profile = await personas.ClassifyAsync(caller, course, body.Answers!, cancellationToken);
        return await request.OkAsync(profile, cancellationToken);
    }
}
