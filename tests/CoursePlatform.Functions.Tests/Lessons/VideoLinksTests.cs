using CoursePlatform.Functions.Features.Lessons;

namespace CoursePlatform.Functions.Tests.Lessons;

public class VideoLinksTests
{
    [Theory]
    [InlineData("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "https://www.youtube.com/embed/dQw4w9WgXcQ")]
    [InlineData("https://youtube.com/watch?feature=share&v=dQw4w9WgXcQ", "https://www.youtube.com/embed/dQw4w9WgXcQ")]
    [InlineData("https://m.youtube.com/watch?v=dQw4w9WgXcQ&t=90", "https://www.youtube.com/embed/dQw4w9WgXcQ?start=90")]
    [InlineData("https://youtu.be/dQw4w9WgXcQ?t=1h2m3s", "https://www.youtube.com/embed/dQw4w9WgXcQ?start=3723")]
    [InlineData("https://www.youtube.com/shorts/abcDEF12345", "https://www.youtube.com/embed/abcDEF12345")]
    [InlineData("https://www.youtube.com/embed/dQw4w9WgXcQ", "https://www.youtube.com/embed/dQw4w9WgXcQ")]
    [InlineData("https://vimeo.com/123456", "https://vimeo.com/123456")]
    [InlineData("https://www.youtube.com/watch?v=<script>", "https://www.youtube.com/watch?v=<script>")]
    [InlineData("not a url", "not a url")]
    [InlineData(null, null)]
    public void YouTube_links_become_embed_links_and_others_stay(string? input, string? expected) =>
        Assert.Equal(expected, VideoLinks.ToEmbed(input));
}
