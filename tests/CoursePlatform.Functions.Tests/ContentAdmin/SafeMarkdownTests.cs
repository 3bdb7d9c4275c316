using CoursePlatform.Functions.Infrastructure;

namespace CoursePlatform.Functions.Tests.ContentAdmin;

/// <summary>What the lesson endpoints serve in place of markdown stored before the content rules.</summary>
public sealed class SafeMarkdownTests
{
    [Theory]
    [InlineData("Hello <script>alert(1)</script> there", "Hello alert(1) there")]
    [InlineData("<script>\nalert(1)\n</script>\n\nAfter.", "After.")]
    [InlineData("Look: <img src=x onerror=alert(1)>!", "Look: !")]
    [InlineData("Click [here](javascript:alert(1)) now", "Click here now")]
    [InlineData("![a cat](data:image/svg+xml;base64,PHN2Zz4=)", "a cat")]
    [InlineData("Mail <javascript:alert(1)> me", "Mail  me")]
    [InlineData("[x][r] end\n\n[r]: javascript:alert(1)", "x end")]
    public void Unsafe_parts_are_cut_out_and_a_link_keeps_its_text(string stored, string served)
    {
        Assert.Equal(served, SafeMarkdown.Clean(stored).Trim()); // blank lines left where a block was are no matter
        Assert.Empty(SafeMarkdown.Problems(SafeMarkdown.Clean(stored)));
    }

    [Theory]
    [InlineData("**Bold** and [a link](https://example.com) and ![pic](https://example.com/a.png)")]
    [InlineData("Code: `<script>` and\n\n```html\n<b>x</b>\n```")]
    [InlineData("Plain text without brackets: javascript: is just a word here")]
    public void Safe_markdown_is_served_as_stored(string markdown) => Assert.Same(markdown, SafeMarkdown.Clean(markdown));
}
