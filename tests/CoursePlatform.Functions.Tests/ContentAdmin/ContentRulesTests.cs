using CoursePlatform.Functions.Features.Lessons;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.ContentAdmin;

namespace CoursePlatform.Functions.Tests.ContentAdmin;

/// <summary>Each layout and payload rule with a failing example and the field its problem names.</summary>
public sealed class ContentRulesTests
{
    private static Dictionary<string, string[]> Layout(string json)
    {
        var errors = new Dictionary<string, string[]>();
        ContentRules.ValidateLayout(JsonNode.Parse(json), "layout", errors);
        return errors;
    }

    private static Dictionary<string, string[]> Payload(ContentType type, string json)
    {
        var errors = new Dictionary<string, string[]>();
        ContentRules.ValidatePayload(type, JsonNode.Parse(json), "payload", errors);
        return errors;
    }

    [Theory]
    [InlineData("""[]""", "layout")]
    [InlineData("""{"version":"2","blocks":[]}""", "layout.version")]
    [InlineData("""{"version":"1"}""", "layout.blocks")]
    [InlineData("""{"version":"1","blocks":[{"id":"a","type":"audio","contentKey":"k"}]}""", "layout.blocks[0].type")]
    [InlineData("""{"version":"1","blocks":[{"type":"text","contentKey":"k"}]}""", "layout.blocks[0].id")]
    [InlineData("""{"version":"1","blocks":[{"id":"a","type":"text","contentKey":"k"},{"id":"a","type":"text","contentKey":"j"}]}""", "layout.blocks[1].id")]
    [InlineData("""{"version":"1","blocks":[{"id":"a","type":"text"}]}""", "layout.blocks[0].contentKey")]
    [InlineData("""{"version":"1","blocks":[{"id":"a","type":"text","contentKey":"k","data":{"markdown":"x"}}]}""", "layout.blocks[0].contentKey")]
    [InlineData("""{"version":"1","blocks":[{"id":"a","type":"text","contentKey":"bad key!"}]}""", "layout.blocks[0].contentKey")]
    [InlineData("""{"version":"1","blocks":[{"id":"a","type":"text","contentKey":"k","tutorPersona":"wizard"}]}""", "layout.blocks[0].tutorPersona")]
    [InlineData("""{"version":"1","blocks":[{"id":"a","type":"text","contentKey":"k","colour":"red"}]}""", "layout.blocks[0].colour")]
    [InlineData("""{"version":"1","blocks":[{"id":"a","type":"text","contentKey":"k"},{"id":"b","type":"image","data":{"url":"https://x.example/a.png"}}]}""", "layout.blocks[1].data.alt")]
    [InlineData("""{"version":"1","blocks":["text"]}""", "layout.blocks[0]")]
    public void Each_layout_rule_names_its_field(string layout, string field)
    {
        var errors = Layout(layout);
        Assert.Equal([field], errors.Keys);
    }

    [Fact]
    public void A_valid_layout_passes_and_gives_its_content_keys()
    {
        var errors = new Dictionary<string, string[]>();
        var keys = ContentRules.ValidateLayout(JsonNode.Parse("""
            {"version":"1","blocks":[
              {"id":"intro","type":"text","contentKey":"intro"},
              {"id":"analogy","type":"text","tutorPersona":"non_it_migrant","data":{"markdown":"Like a kitchen."}},
              {"id":"video","type":"video","contentKey":"lesson-video"}]}
            """), "layout", errors);
        Assert.Empty(errors);
        Assert.Equal(["intro", "lesson-video"], keys);
    }

    [Theory]
    [InlineData(ContentType.Text, """{"markdown":"  "}""", "payload.markdown")]
    [InlineData(ContentType.Text, """{"markdown":42}""", "payload.markdown")]
    [InlineData(ContentType.Image, """{"url":"https://x.example/a.png"}""", "payload.alt")]
    [InlineData(ContentType.Image, """{"url":"javascript:alert(1)","alt":"A"}""", "payload.url")]
    [InlineData(ContentType.Video, """{"title":"no url"}""", "payload.url")]
    [InlineData(ContentType.Ppt, """{"url":"/relative/deck.pptx"}""", "payload.url")]
    [InlineData(ContentType.Ppt, """{"url":"https://x.example/d.pptx","title":3}""", "payload.title")]
    [InlineData(ContentType.Video, """[1,2]""", "payload")]
    public void Each_payload_rule_names_its_field(ContentType type, string payload, string field) =>
        Assert.Equal([field], Payload(type, payload).Keys);

    [Theory]
    [InlineData(ContentType.Text, """{"markdown":"**Bold** text"}""")]
    [InlineData(ContentType.Image, """{"url":"https://x.example/a.png","alt":"A diagram"}""")]
    [InlineData(ContentType.Video, """{"url":"https://www.youtube.com/watch?v=abc","title":"Intro"}""")]
    [InlineData(ContentType.Ppt, """{"url":"https://x.example/deck.pptx"}""")]
    public void Valid_payloads_pass(ContentType type, string payload) => Assert.Empty(Payload(type, payload));
}
