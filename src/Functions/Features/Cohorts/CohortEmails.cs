using System.Text.RegularExpressions;

namespace CoursePlatform.Functions.Features.Cohorts;

/// <summary>
/// Allowlist emails: trimmed and lower-cased before they are stored or compared (the database's check
/// constraint insists on it). Only printable ASCII is accepted, so .NET's and PostgreSQL's lower-casing
/// cannot disagree and merge two addresses differently.
/// </summary>
public static partial class CohortEmails
{
    public const int MaxLength = 320;

    /// <summary>Trimmed and lower-cased, or null when the text is not an acceptable address.</summary>
    public static string? Normalize(string? email)
    {
        if (email is null) return null;
        var value = email.Trim().ToLowerInvariant();
        return value.Length is > 0 and <= MaxLength && Shape().IsMatch(value) ? value : null;
    }

    /// <summary>local@domain.tld: no spaces, exactly one @, a dotted domain whose labels are not empty; local part at most 64.</summary>
    [GeneratedRegex(@"^(?=[^@]{1,64}@)[!#-'*+\-/-9=?^-~.]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$", RegexOptions.CultureInvariant)]
    private static partial Regex Shape();
}
