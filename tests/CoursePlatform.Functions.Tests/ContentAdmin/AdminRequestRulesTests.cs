using System.Text.Json;
using CoursePlatform.Functions.Features.ContentAdmin;
using CoursePlatform.Functions.Infrastructure;
using CoursePlatform.Functions.Infrastructure.Http;
using CoursePlatform.Functions.Infrastructure.Problems;

namespace CoursePlatform.Functions.Tests.ContentAdmin;

/// <summary>The field rules of the admin request bodies, as the edge checks them: each failing example names its field.</summary>
public sealed class AdminRequestRulesTests
{
    private const string Course = """{"slug":"ok-slug","name":"N","price":1,"currency":"USD","enrollmentMode":"open","isPublished":false}""";
    private const string Topic = """{"moduleNo":1,"topicNumber":1,"name":"T"}""";
    private const string Question = """{"moduleNo":1,"topicPairIndex":1,"question":"Q?","options":[{"text":"a","isCorrect":true},{"text":"b","isCorrect":false}]}""";

    private static IReadOnlyCollection<string> Fields<T>(string json, params (string Field, object? Value)[] changes) where T : class
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        foreach (var (field, value) in changes) node[field] = value is null ? null : JsonSerializer.SerializeToNode(value);
        var request = JsonSerializer.Deserialize<T>(node.ToJsonString(), Json.Options)!;
        try
        {
            RequestBody.Validate(request);
            return [];
        }
        catch (ProblemException problem)
        {
            return [.. problem.Errors!.Keys];
        }
    }

    [Fact]
    public void The_valid_examples_pass()
    {
        Assert.Empty(Fields<CourseRequest>(Course));
        Assert.Empty(Fields<TopicRequest>(Topic));
        Assert.Empty(Fields<QuizQuestionRequest>(Question));
    }

    [Theory]
    [InlineData("slug", "Not A Slug")]
    [InlineData("slug", null)]
    [InlineData("name", " ")]
    [InlineData("price", -1)]
    [InlineData("currency", "usd")]
    [InlineData("thumbnailUrl", "javascript:alert(1)")]
    [InlineData("description", null)] // optional: no problem
    public void Course_fields(string field, object? value)
    {
        var fields = Fields<CourseRequest>(Course, (field, value));
        if (field == "description") Assert.Empty(fields);
        else Assert.Equal([field], fields);
    }

    [Theory]
    [InlineData("moduleNo", 0)]
    [InlineData("topicNumber", null)]
    [InlineData("name", "")]
    [InlineData("videoUrl", "ftp://videos.example/x.mp4")]
    [InlineData("pptUrl", "deck.pptx")]
    public void Topic_fields(string field, object? value) => Assert.Equal([field], Fields<TopicRequest>(Topic, (field, value)));

    [Fact]
    public void Other_bodies_name_their_fields()
    {
        Assert.Equal(["options"], Fields<QuizQuestionRequest>(Question, ("options", new[] { new { text = "only", isCorrect = true } })));
        Assert.Equal(["options[1].text"], Fields<QuizQuestionRequest>(Question, ("options", new object[] { new { text = "a", isCorrect = true }, new { text = "", isCorrect = false } })));
        Assert.Equal(["topicPairIndex"], Fields<QuizQuestionRequest>(Question, ("topicPairIndex", 0)));
        Assert.Equal(["contentType", "payload"], Fields<AssetRequest>("{}").Order());
        Assert.Equal(["answer", "prompt"], Fields<PromptSuggestionRequest>("{}").Order());
        Assert.Equal(["displayOrder"], Fields<ColdCallPromptRequest>("""{"prompt":"P","displayOrder":0}"""));
        Assert.Equal(["title"], Fields<SimulationRequest>("{}"));
        Assert.Equal(["content", "title"], Fields<CmsPageRequest>("{}").Order());
    }
}
