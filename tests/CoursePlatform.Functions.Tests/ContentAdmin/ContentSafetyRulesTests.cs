using CoursePlatform.Functions.Features.Lessons;
using System.Text.Json.Nodes;
using CoursePlatform.Data;
using CoursePlatform.Functions.Features.ContentAdmin;

namespace CoursePlatform.Functions.Tests.ContentAdmin;

/// <summary>
/// The hostile-content rules: only each content type's known keys, http(s) URLs only, and markdown without raw HTML or
/// unsafe link targets; each refusal a field problem under the JSON path an author can find.
/// </summary>
public sealed class ContentSafetyRulesTests
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
    [InlineData(ContentType.Text, """{"markdown":"Hi","href":"javascript:alert(1)"}""", "payload.href")]
    [InlineData(ContentType.Text, """{"markdown":"Hi","html":"<b>x</b>"}""", "payload.html")]
    [InlineData(ContentType.Image, """{"url":"https://x.example/a.png","alt":"A","src":"data:text/html,<script>alert(1)</script>"}""", "payload.src")]
    [InlineData(ContentType.Image, """{"url":"https://x.example/a.png","alt":"A","onerror":"alert(1)"}""", "payload.onerror")]
    [InlineData(ContentType.Video, """{"url":"https://x.example/v.mp4","poster":"https://x.example/p.png"}""", "payload.poster")]
    [InlineData(ContentType.Ppt, """{"url":"https://x.example/d.pptx","link":"https://x.example"}""", "payload.link")]
    public void An_unknown_payload_key_is_refused_by_name(ContentType type, string payload, string field) =>
        Assert.Equal([field], Payload(type, payload).Keys);

    [Fact]
    public void An_unknown_key_in_inline_block_data_is_refused_by_name()
    {
        var errors = Layout("""
            {"version":"1","blocks":[{"id":"a","type":"text","data":{"markdown":"Hi","href":"javascript:alert(1)"}}]}
            """);
        Assert.Equal(["layout.blocks[0].data.href"], errors.Keys);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("//evil.example/v.mp4")]
    [InlineData("file:///etc/passwd")]
    public void A_topics_video_deck_and_a_course_thumbnail_take_absolute_http_or_https_only(string url)
    {
        Assert.False(global::CoursePlatform.Functions.Infrastructure.Http.WebUrlAttribute.IsWebUrl(url));
        Assert.False(ContentRules.IsSafeUrl(url));
    }

    [Theory]
    [InlineData("Data: the raw facts", true)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(" java\tscript:alert(1)", false)]
    [InlineData("data:text/html;base64,PHNjcmlwdD4=", false)]
    [InlineData("file://server/share", false)]
    public void A_simulation_string_is_refused_only_when_it_is_a_script_or_document_url(string text, bool passes)
    {
        var errors = new Dictionary<string, string[]>();
        ContentRules.ValidateFreeJson(new JsonObject { ["items"] = new JsonArray(new JsonObject { ["label"] = text.Replace("\\t", "\t") }) }, "payload", errors);
        Assert.Equal(passes, errors.Count == 0);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("JaVaScRiPt:alert(1)")]
    [InlineData(" javascript:alert(1)")]
    [InlineData("data:text/html,<script>alert(1)</script>")]
    [InlineData("vbscript:msgbox(1)")]
    [InlineData("file:///etc/passwd")]
    [InlineData("//evil.example/x.png")]
    [InlineData("/relative/x.png")]
    [InlineData("ftp://x.example/x.png")]
    public void Every_url_field_takes_absolute_http_or_https_only(string url)
    {
        var json = new JsonObject { ["url"] = url }.ToJsonString();
        Assert.Contains("payload.url", Payload(ContentType.Video, json).Keys);
        Assert.Contains("payload.url", Payload(ContentType.Ppt, json).Keys);
        Assert.Contains("payload.url", Payload(ContentType.Image, new JsonObject { ["url"] = url, ["alt"] = "A" }.ToJsonString()).Keys);
        var layout = new JsonObject
        {
            ["version"] = "1",
            ["blocks"] = new JsonArray(new JsonObject { ["id"] = "v", ["type"] = "video", ["data"] = new JsonObject { ["url"] = url } }),
        };
        Assert.Equal(["layout.blocks[0].data.url"], Layout(layout.ToJsonString()).Keys);
    }

    [Theory]
    [InlineData("Before <script>alert(1)</script> after")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("An image: <img src=x onerror=alert(1)>")]
    [InlineData("<div onclick=\"alert(1)\">click</div>")]
    [InlineData("[x](javascript:alert(1))")]
    [InlineData("[x](JAVASCRIPT:alert(1))")]
    [InlineData("[x](java&#115;cript:alert(1))")]
    [InlineData("[x](<javascript:alert(1)>)")]
    [InlineData("<javascript:alert(1)>")]
    [InlineData("![pic](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)")]
    [InlineData("![pic](mailto:a@example.com)")]
    [InlineData("[x][ref]\n\n[ref]: javascript:alert(1)")]
    [InlineData("[x](vbscript:msgbox(1))")]
    [InlineData("[x](//evil.example)")]
    public void Markdown_with_raw_html_or_an_unsafe_link_target_is_refused(string markdown)
    {
        var json = new JsonObject { ["markdown"] = markdown }.ToJsonString();
        Assert.Equal(["payload.markdown"], Payload(ContentType.Text, json).Keys);
        var layout = new JsonObject
        {
            ["version"] = "1",
            ["blocks"] = new JsonArray(new JsonObject { ["id"] = "t", ["type"] = "text", ["data"] = JsonNode.Parse(json) }),
        };
        Assert.Equal(["layout.blocks[0].data.markdown"], Layout(layout.ToJsonString()).Keys);
    }

    [Theory]
    [InlineData("**Bold**, _italic_ and `code`")]
    [InlineData("See [the docs](https://learn.microsoft.com/azure) or [mail us](mailto:help@example.com).")]
    [InlineData("![A diagram](https://placehold.co/960x540/png?text=Subnets)")]
    [InlineData("<https://example.com/autolink>")]
    [InlineData("In code, `<script>` is only text.\n\n```html\n<script>alert(1)</script>\n```")]
    [InlineData("1 < 2 and 3 > 2; a javascript: prefix in prose is only text")]
    [InlineData("### Key points\n- IaaS: you run the OS\n- PaaS: you run the app")]
    public void Ordinary_markdown_passes(string markdown) =>
        Assert.Empty(Payload(ContentType.Text, new JsonObject { ["markdown"] = markdown }.ToJsonString()));
}
