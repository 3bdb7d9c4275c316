using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CoursePlatform.Functions.Features.Ingestion.Extraction;

namespace CoursePlatform.Benchmarks;

/// <summary>The reference text of one documented type: a source of distractor chunks.</summary>
/// <param name="TypeName">The type's full name, such as <c>System.Net.Sockets.Socket</c>.</param>
/// <param name="Segments">The type's own text, then one segment per member with its text: "Member: summary remarks".</param>
public sealed record ReferenceDocument(string TypeName, IReadOnlyList<ContentSegment> Segments);

/// <summary>
/// Real same-domain text that ships on every machine with the .NET SDK: the XML documentation of the
/// networking reference assemblies (<c>System.Net.*.xml</c> in the <c>Microsoft.NETCore.App.Ref</c> pack), reduced
/// to the prose of each member's <c>&lt;summary&gt;</c> and <c>&lt;remarks&gt;</c> (a cref becomes the name it
/// refers to) and grouped per type, as a reference page would be.
/// </summary>
public static partial class ReferenceDocumentation
{
    public const string Pack = "Microsoft.NETCore.App.Ref";
    public const string Framework = "net10.0";
    public const string FilePattern = "System.Net.*.xml";

    /// <summary>Where the SDK usually lives on Linux, tried when the running runtime's own root has no reference pack.</summary>
    private const string DefaultDotnetRoot = "/usr/share/dotnet";

    /// <summary>How the XML docs name a constructor.</summary>
    private const string Constructor = "#ctor";

    /// <summary>
    /// <c>&lt;dotnet&gt;/packs/Microsoft.NETCore.App.Ref/&lt;newest version&gt;/ref/net10.0</c> when it holds the networking
    /// XML docs, else null. The dotnet root is that of the running runtime (<c>&lt;dotnet&gt;/shared/Microsoft.NETCore.App/&lt;version&gt;/</c>),
    /// then <c>DOTNET_ROOT</c>, then <see cref="DefaultDotnetRoot"/>.
    /// </summary>
    public static string? FindDirectory()
    {
        var roots = new[]
        {
            Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", "..")),
            Environment.GetEnvironmentVariable("DOTNET_ROOT"),
            DefaultDotnetRoot,
        };
        foreach (var root in roots.Where(r => !string.IsNullOrEmpty(r)).Distinct())
        {
            var pack = Path.Combine(root!, "packs", Pack);
            if (!Directory.Exists(pack)) continue;
            var newest = Directory.GetDirectories(pack)
                .Select(version => Path.Combine(version, "ref", Framework))
                .Where(dir => Directory.Exists(dir) && Directory.EnumerateFiles(dir, FilePattern).Any())
                .OrderByDescending(dir => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(dir))), out var v) ? v : new Version())
                .FirstOrDefault();
            if (newest is not null) return newest;
        }
        return null;
    }

    /// <summary>
    /// Every documented type of the directory's <see cref="FilePattern"/> files, files in name order, types in order of
    /// first appearance (a type documented in two files is one document).
    /// </summary>
    public static IReadOnlyList<ReferenceDocument> Read(string directory) =>
        Read(Directory.GetFiles(directory, FilePattern).Order(StringComparer.Ordinal));

    /// <summary>
    /// Npgsql's own XML documentation (<c>Npgsql.xml</c> in its NuGet package, restored for the app): PostgreSQL reference
    /// text, the hardest distractors for a PostgreSQL deck. Null when the package folder does not hold it.
    /// </summary>
    public static string? FindNpgsqlDocs()
    {
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var version = typeof(Npgsql.NpgsqlConnection).Assembly.GetName().Version;
        var folder = Path.Combine(packages, "npgsql");
        if (!Directory.Exists(folder)) return null;
        return Directory.GetDirectories(folder)
            .Where(d => Version.TryParse(Path.GetFileName(d), out var v) && v.Major == version?.Major)
            .OrderByDescending(d => Version.Parse(Path.GetFileName(d)))
            .SelectMany(d => Directory.Exists(Path.Combine(d, "lib")) ? Directory.GetFiles(Path.Combine(d, "lib"), "Npgsql.xml", SearchOption.AllDirectories) : [])
            .OrderByDescending(f => f, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    /// <summary>Every documented type of the files, in the files' order, types in order of first appearance (a type documented in two files is one document).</summary>
    public static IReadOnlyList<ReferenceDocument> Read(IEnumerable<string> files)
    {
        var types = new Dictionary<string, List<ContentSegment>>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var file in files)
        {
            foreach (var element in XDocument.Load(file).Descendants("member"))
            {
                var name = element.Attribute("name")?.Value;
                if (name is null || name.Length < 3 || name[1] != ':') continue;
                var text = Whitespace().Replace(Prose(element.Element("summary")) + " " + Prose(element.Element("remarks")), " ").Trim();
                if (text.Length == 0) continue;

                var isType = name[0] == 'T';
                var full = name[2..].Split('(')[0];
                var typeName = isType ? full : full[..Math.Max(0, full.LastIndexOf('.'))];
                if (!types.TryGetValue(typeName, out var segments))
                {
                    types[typeName] = segments = [];
                    order.Add(typeName);
                }
                var typeShort = ShortName(typeName);
                var member = ShortName(full);
                var heading = isType ? typeShort : member == Constructor ? $"{typeShort} constructor" : $"{typeShort}.{member}";
                var segment = new ContentSegment($"{heading}: {text}", SegmentKind.Text);
                if (segments.Any(s => s.Text == segment.Text)) continue; // overloads often repeat one summary
                if (isType) segments.Insert(0, segment);
                else segments.Add(segment);
            }
        }
        return [.. order.Select(type => new ReferenceDocument(type, types[type]))];
    }

    /// <summary>The readable text of a doc element: text as is, a cref as its short name, a langword or paramref as its word.</summary>
    private static string Prose(XElement? element)
    {
        if (element is null) return "";
        var text = new StringBuilder();
        Append(element, text);
        return text.ToString();

        static void Append(XElement element, StringBuilder text)
        {
            foreach (var node in element.Nodes())
            {
                switch (node)
                {
                    case XText t:
                        text.Append(t.Value);
                        break;
                    case XElement e when e.Attribute("cref") is { } cref:
                        text.Append(CrefName(cref.Value));
                        break;
                    case XElement e when (e.Attribute("langword") ?? e.Attribute("name")) is { } word:
                        text.Append(word.Value);
                        break;
                    case XElement e: // <para>, <c>, <list>, <item>, <see href>...: their text, kept apart from its neighbours
                        text.Append(' ');
                        Append(e, text);
                        text.Append(' ');
                        break;
                }
            }
        }
    }

    /// <summary>The last part of a documented name without its generic arity: <c>System.Net.Http.HttpClient</c> is <c>HttpClient</c>.</summary>
    private static string ShortName(string fullName) => fullName[(fullName.LastIndexOf('.') + 1)..].Split('`')[0];

    /// <summary>What a cref reads as in prose: <c>M:System.Net.Sockets.Socket.Connect(System.Net.EndPoint)</c> is <c>Connect</c>, a constructor its type's name.</summary>
    private static string CrefName(string cref)
    {
        var full = cref.Length > 2 && cref[1] == ':' ? cref[2..].Split('(')[0] : cref;
        var name = ShortName(full);
        return name == Constructor ? ShortName(full[..Math.Max(0, full.LastIndexOf('.'))]) : name;
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
