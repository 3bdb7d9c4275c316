using CoursePlatform.Functions.Infrastructure.Http;

namespace CoursePlatform.Functions.Tests.Http;

/// <summary>The one check of blob paths and file names from clients (source paths, upload file names).</summary>
public class ClientPathTests
{
    [Theory]
    [InlineData("deck.pptx", 1)]
    [InlineData("....pptx", 1)] // not a dot segment: the upload's own check finds no usable name in it
    [InlineData("0b7c5e1e-0000-4000-8000-000000000001/deck.pptx", 2)]
    [InlineData("lecture 3 – routing.vtt", 1)]
    public void Plain_names_and_paths_pass(string value, int maxSegments) => Assert.Null(ClientPath.Problem(value, maxSegments));

    [Theory]
    [InlineData(null, "Required")]
    [InlineData("", "Required")]
    [InlineData("..", "'..'")]
    [InlineData(".", "'..'")]
    [InlineData("a/../deck.vtt", "'..'")]
    [InlineData("./deck.vtt", "'..'")]
    [InlineData("/deck.vtt", "empty segments")]
    [InlineData("deck.vtt/", "empty segments")]
    [InlineData("a//deck.vtt", "empty segments")]
    [InlineData("a/ /deck.vtt", "empty segments")]
    [InlineData("..\\deck.vtt", "backslash")]
    [InlineData("a\\deck.vtt", "backslash")]
    [InlineData("deck\u0001.vtt", "control characters")]
    [InlineData("deck.vtt\n", "control characters")]
    [InlineData("deck\u007F.vtt", "control characters")]
    [InlineData("a/b/c/deck.vtt", "at most 2 segments")]
    public void Unsafe_paths_are_refused_saying_why(string? value, string reason) =>
        Assert.Contains(reason, ClientPath.Problem(value, 2), StringComparison.Ordinal);

    [Fact]
    public void A_file_name_is_one_segment_and_the_problem_names_the_field()
    {
        Assert.Contains("without '/'", ClientPath.Problem("dir/deck.md", 1), StringComparison.Ordinal);
        var problem = Assert.Throws<CoursePlatform.Functions.Infrastructure.Problems.ProblemException>(() => ClientPath.Require("fileName", "..", 1, "Give the file's own name."));
        Assert.Equal(["fileName"], problem.Errors!.Keys);
    }
}
