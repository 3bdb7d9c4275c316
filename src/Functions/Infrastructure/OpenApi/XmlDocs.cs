using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace CoursePlatform.Functions.Infrastructure.OpenApi;

/// <summary>The build's XML documentation file: <c>&lt;summary&gt;</c> texts for operations and schemas, as plain Markdown.</summary>
internal sealed partial class XmlDocs
{
    private readonly Dictionary<string, XElement> members = new(StringComparer.Ordinal);

    public XmlDocs(string? path)
    {
        if (path is null || !File.Exists(path)) return;
        foreach (var member in XDocument.Load(path).Descendants("member"))
        {
            if (member.Attribute("name")?.Value is { } name) members[name] = member;
        }
    }

    public string? Summary(MemberInfo member)
    {
        ArgumentNullException.ThrowIfNull(member);
        var key = member switch
        {
            Type type => "T:" + Name(type),
            PropertyInfo property => "P:" + Name(property.DeclaringType!) + "." + property.Name,
            FieldInfo field => "F:" + Name(field.DeclaringType!) + "." + field.Name,
            MethodInfo method => "M:" + Name(method.DeclaringType!) + "." + method.Name,
            _ => null,
        };
        if (key is null) return null;
        if (members.TryGetValue(key, out var element)) return Text(element.Element("summary"));
        if (key.StartsWith("M:", StringComparison.Ordinal))
        {
            // Methods are keyed with their parameter list: take the one overload of the name.
            var prefix = key + "(";
            var match = members.Where(m => m.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(m => m.Value).FirstOrDefault();
            return match is null ? null : Text(match.Element("summary"));
        }
        // A record's positional property is documented as a <param> of the type.
        if (member is PropertyInfo positional && members.TryGetValue("T:" + Name(positional.DeclaringType!), out var record))
            return Text(record.Elements("param").FirstOrDefault(p => p.Attribute("name")?.Value == positional.Name));
        return null;
    }

    public string? Param(ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Member is Type or MethodBase && members.TryGetValue("T:" + Name(parameter.Member.DeclaringType ?? (Type)parameter.Member), out var type)
            ? Text(type.Elements("param").FirstOrDefault(p => p.Attribute("name")?.Value == parameter.Name))
            : null;
    }

    private static string Name(Type type) => (type.FullName ?? type.Name).Replace('+', '.');

    private static string? Text(XElement? element)
    {
        if (element is null) return null;
        var parts = element.Nodes().Select(node => node switch
        {
            XText text => text.Value,
            XElement { Name.LocalName: "c" } code => "`" + code.Value + "`",
            XElement { Name.LocalName: "see" or "seealso" } see => see.Attribute("langword")?.Value
                ?? Short(see.Attribute("cref")?.Value ?? see.Attribute("href")?.Value ?? ""),
            XElement { Name.LocalName: "paramref" or "typeparamref" } reference => "`" + reference.Attribute("name")?.Value + "`",
            XElement other => other.Value,
            _ => "",
        });
        var text = Whitespace().Replace(string.Concat(parts), " ").Trim();
        return text.Length == 0 ? null : text;
    }

    /// <summary><c>T:CoursePlatform.X.Y</c> becomes <c>Y</c>; <c>M:A.B.C(System.String)</c> becomes <c>B.C</c>.</summary>
    private static string Short(string cref)
    {
        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0) name = name[..paren];
        var parts = name.Split('.');
        return "`" + (cref.StartsWith("T:", StringComparison.Ordinal) ? parts[^1] : string.Join('.', parts.TakeLast(2))) + "`";
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
