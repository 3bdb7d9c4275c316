using System.Net;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Auth;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;
using CoursePlatform.Functions.Infrastructure.OpenApi;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Http;

namespace CoursePlatform.Functions.Features.Tutors;

public sealed class TutorFunctions(StaffingService staffing, TutorViewService views)
{
    /// <summary>Assigns a tutor (tutor profile id) to a course: 201 when new, 200 when it already was.</summary>
    [Function("ManageAssignTutor")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Assign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "manage/courses/{course}/tutors/{tutorId:guid}")] HttpRequestData request,
        string course, Guid tutorId, FunctionContext context, CancellationToken cancellationToken)
    {
        var (assignment, created) = await staffing.AssignAsync(course, tutorId, cancellationToken);
        return await request.CreatedOrOkAsync(created, assignment, $"manage/courses/{course}/tutors/{tutorId}", cancellationToken);
    }

    /// <summary>The assignment: where the <c>Location</c> of <c>ManageAssignTutor</c> points; 404 when the tutor does not staff the course.</summary>
    [Function("ManageGetTutorAssignment")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> GetAssignment(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "manage/courses/{course}/tutors/{tutorId:guid}")] HttpRequestData request,
        string course, Guid tutorId, FunctionContext context, CancellationToken cancellationToken)
    {
        return await request.PrivateJsonAsync(await staffing.GetAsync(course, tutorId, cancellationToken), cancellationToken);
    }

    /// <summary>Unassigns a tutor: 204, also when they were not assigned.</summary>
    [Function("ManageUnassignTutor")]
    [Allow(Callers.Admins)]
    public async Task<HttpResponseData> Unassign(
        [HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "manage/courses/{course}/tutors/{tutorId:guid}")] HttpRequestData request,
        string course, Guid tutorId, FunctionContext context, CancellationToken cancellationToken)
    {
        await staffing.UnassignAsync(course, tutorId, cancellationToken);
        return request.NoContent();
    }

    [Function("ListTaughtCourses")]
    [Allow(Callers.CourseStaff)]
    public async Task<HttpResponseData> Courses(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tutor/courses")] HttpRequestData request,
        FunctionContext context, CancellationToken cancellationToken) =>
        await request.PrivateJsonAsync(new { items = await views.CoursesAsync(context.RequireCaller(), cancellationToken) }, cancellationToken);

    /// <summary><c>?sort=name|progress|lastActivity&amp;order=asc|desc&amp;page=&amp;pageSize=</c>.</summary>
    [Function("GetCourseRoster")]
    [Allow(Callers.CourseStaff)]
    [QueryParameter("sort", "The roster's order.", Values = ["name", "progress", "lastActivity"], Default = "name")]
    [QueryParameter("order", "Ascending or descending.", Values = ["asc", "desc"], Default = "asc")]
    public async Task<HttpResponseData> Roster(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "tutor/courses/{course}/learners")] HttpRequestData request,
        string course, FunctionContext context, CancellationToken cancellationToken)
    {
        var caller = context.RequireCaller();
        var sort = request.Query["sort"] switch
        {
            null or "" or "name" => RosterSort.Name,
            "progress" => RosterSort.Progress,
            "lastActivity" => RosterSort.LastActivity,
            _ => throw ProblemException.Validation("sort", "One of name, progress, lastActivity."),
        };
        var descending = request.Query["order"] switch
        {
            null or "" or "asc" => false,
            "desc" => true,
            _ => throw ProblemException.Validation("order", "asc or desc."),
        };
        var roster = await views.RosterAsync(caller, course, sort, descending, PageRequest.From(request), cancellationToken);
        return await request.PrivateJsonAsync(roster, cancellationToken);
    }
}
