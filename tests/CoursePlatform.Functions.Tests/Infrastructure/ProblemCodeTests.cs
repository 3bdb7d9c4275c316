using System.Net;
using CoursePlatform.Functions.Infrastructure.Problems;

namespace CoursePlatform.Functions.Tests.Infrastructure;

/// <summary>Problems that name no code get the generic code of their status; a code fixes status, title and type.</summary>
public sealed class ProblemCodeTests
{
    [Fact]
    public void The_factories_without_a_code_give_the_generic_code_of_their_status()
    {
        Assert.Equal(ProblemCodes.Conflict, ProblemException.Conflict("Taken.").Code);
        Assert.Equal(ProblemCodes.Conflict, ProblemException.Conflict("Busy", "Try later.", TimeSpan.FromSeconds(3)).Code);
        Assert.Equal(ProblemCodes.ServiceUnavailable, ProblemException.ServiceUnavailable(TimeSpan.FromSeconds(5), "Down.").Code);
        Assert.Equal(ProblemCodes.Forbidden, ProblemException.Forbidden().Code);
        Assert.Equal(ProblemCodes.NotFound, ProblemException.NotFound("course").Code);
        Assert.Equal(ProblemCodes.RateLimited, ProblemException.TooManyRequests(TimeSpan.FromSeconds(1)).Code);
        Assert.Equal(ProblemCodes.BadRequest, ProblemException.BadRequest("No.").Code);
        Assert.Equal(ProblemCodes.ValidationFailed, ProblemException.Validation("email", "Required.").Code);
        // The constructor that names a status only (older call sites) still gets a stable code.
        Assert.Equal(ProblemCodes.Conflict, new ProblemException(HttpStatusCode.Conflict, "Conflict", "Taken.").Code);
        Assert.Equal(ProblemCodes.InternalError, new ProblemException(HttpStatusCode.InternalServerError, "Oops", "Oops.").Code);
    }

    [Fact]
    public void A_specific_code_sets_status_title_and_type()
    {
        var problem = ProblemException.Conflict("Your cart is empty.", ProblemCodes.CartEmpty);
        Assert.Equal((HttpStatusCode.Conflict, "Cart empty", "https://courseplatform.dev/problems/cart-empty"), (problem.Status, problem.Title, problem.Code.Type));
        var cooldown = ProblemException.For(ProblemCodes.QuizCooldown, "Wait.", TimeSpan.FromSeconds(1.2));
        Assert.Equal("2", cooldown.Headers["Retry-After"]);
        Assert.Throws<ArgumentException>(() => new ProblemException(HttpStatusCode.NotFound, "x", "y", code: ProblemCodes.CartEmpty));
    }
}
