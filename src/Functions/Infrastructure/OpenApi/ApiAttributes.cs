namespace CoursePlatform.Functions.Infrastructure.OpenApi;

/// <summary>
/// A query parameter a function reads (<c>request.Query["name"]</c>), with the constraints its code enforces.
/// The OpenAPI document takes the parameter from here; a test fails when a function reads a query value it does
/// not declare (or declares one it never reads). <c>page</c>/<c>pageSize</c> need none: <c>PageRequest.From</c> adds them.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class QueryParameterAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;
    public string Description { get; } = description;
    /// <summary><c>string</c> (default), <c>int</c>, <c>bool</c> or <c>Guid</c>.</summary>
    public Type Type { get; set; } = typeof(string);
    public bool Required { get; set; }
    /// <summary>The only values accepted.</summary>
    public string[]? Values { get; set; }
    public string? Default { get; set; }
    public long Minimum { get; set; } = long.MinValue;
    public long Maximum { get; set; } = long.MaxValue;
    public int MaxLength { get; set; } = -1;
}

/// <summary>The function reads its JSON body only when one is sent (the body is optional).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class OptionalBodyAttribute : Attribute;

/// <summary>What a function that serves a file (<see cref="StaticContent"/>) answers with: its media type, or each it may serve.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProducesContentAttribute(params string[] contentTypes) : Attribute
{
    public IReadOnlyList<string> ContentTypes { get; } = contentTypes;
}

/// <summary>
/// The function is a browser redirect that reports its problems in the redirect's query (<c>?error=&lt;code&gt;</c>)
/// instead of as problem+json: the document lists those codes under the 302, and only unexpected failures (500) as problems.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ProblemsAsRedirectAttribute : Attribute;

/// <summary>
/// A string property whose value is always <see cref="Value"/>: it tells a body from the others an operation may answer
/// with for the same status. The schema says <c>enum: [value]</c> (a literal type in generated clients), and a
/// <c>oneOf</c> of such bodies gets an OpenAPI <c>discriminator</c> on it, so a client narrows the union with a plain
/// comparison instead of a cast.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DiscriminatorAttribute(string value) : Attribute
{
    public string Value { get; } = value;
}

/// <summary>
/// A request whose body must give exactly one of the named properties (<see cref="Mode.ExactlyOne"/>) or may not give
/// both (<see cref="Mode.NotBoth"/>), as its validation enforces. "Given" is what the validation checks: present and not
/// null, and for a string at least one character that is not white space or a control character. The schema says it
/// (<c>oneOf</c> of <c>required</c>, or <c>not</c> of both), so a generated client and a validator know it too.
/// Names are the C# property names (<c>nameof</c>); the document writes their JSON names.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class ExclusiveAttribute(ExclusiveAttribute.Mode mode, params string[] properties) : Attribute
{
    public enum Mode { ExactlyOne, NotBoth }

    public Mode Rule { get; } = mode;
    public IReadOnlyList<string> Properties { get; } = properties;
}

/// <summary>
/// An array property of a request whose validation wants exactly one item with <see cref="Property"/> true (a quiz
/// question's one correct option): the schema says <c>contains</c> with <c>minContains</c> and <c>maxContains</c> 1.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Parameter)]
public sealed class ExactlyOneTrueAttribute(string property) : Attribute
{
    /// <summary>The item's C# property name (<c>nameof</c>).</summary>
    public string Property { get; } = property;
}
