using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Features.Lessons;

/// <summary>Turns YouTube watch, short and youtu.be links into embed links; leaves anything else alone.</summary>
public static partial class VideoLinks
{
    public static string? ToEmbed(string? url)
    {
        if (string.IsNullOrWhiteSpace(url) || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri)) return url;
        var host = uri.Host.ToLowerInvariant();
        var isYouTube = host is "youtube.com" or "www.youtube.com" or "m.youtube.com" or "music.youtube.com" or "youtube-nocookie.com" or "www.youtube-nocookie.com";
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);

        string? id = null;
        if (host is "youtu.be" or "www.youtu.be") id = uri.AbsolutePath.Trim('/');
        else if (isYouTube && uri.AbsolutePath == "/watch") id = query["v"];
        else if (isYouTube && PathId().Match(uri.AbsolutePath) is { Success: true } match) id = match.Groups["id"].Value;
        if (id is null || !VideoId().IsMatch(id)) return url;

        var start = Seconds(query["t"] ?? query["start"]);
        return $"https://www.youtube.com/embed/{id}" + (start > 0 ? $"?start={start}" : "");
    }

    /// <summary>"90", "90s", "1m30s", "1h2m3s" as seconds; 0 when absent or unreadable.</summary>
    private static int Seconds(string? t)
    {
        if (string.IsNullOrEmpty(t)) return 0;
        if (int.TryParse(t, out var plain)) return plain;
        var match = Duration().Match(t);
        if (!match.Success) return 0;
        int Part(string name) => match.Groups[name].Success ? int.Parse(match.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return Part("h") * 3600 + Part("m") * 60 + Part("s");
    }

    [GeneratedRegex("^/(shorts|embed|live|v)/(?<id>[^/?#]+)")]
    private static partial Regex PathId();

    [GeneratedRegex("^[A-Za-z0-9_-]{6,20}$")]
    private static partial Regex VideoId();

    [GeneratedRegex("^(?:(?<h>\\d+)h)?(?:(?<m>\\d+)m)?(?:(?<s>\\d+)s)?$")]
    private static partial Regex Duration();
}
