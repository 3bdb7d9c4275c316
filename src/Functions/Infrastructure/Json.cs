using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>
/// The API's JSON conventions: camelCase names, enums as the lower_snake labels of the spec, numbers read
/// strictly (<c>"1"</c>, <c>"NaN"</c> and <c>"Infinity"</c> are not numbers), no NUL character in a
/// string (PostgreSQL cannot store one), instants written in UTC with milliseconds
/// (<c>2026-03-01T09:30:00.000Z</c>, <see cref="DateFormat"/>), and text written readably (<c>+</c>, quotes
/// and non-ASCII letters as they are; only what JSON itself requires is escaped).
/// </summary>
public static class Json
{
    /// <summary>How every <see cref="DateTimeOffset"/> and <see cref="DateTime"/> is written: UTC, milliseconds, <c>Z</c>.</summary>
    public const string DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public static readonly JsonSerializerOptions Options = Create(forSchema: false);

    /// <summary>
    /// <see cref="Options"/> without the converters that do not change a value's JSON shape (strings stay
    /// strings, instants stay date-time strings), so <see cref="System.Text.Json.Schema.JsonSchemaExporter"/>
    /// can describe every type; names, enums and number handling are the same.
    /// </summary>
    public static readonly JsonSerializerOptions SchemaOptions = Create(forSchema: true);

    private static JsonSerializerOptions Create(bool forSchema)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            AllowTrailingCommas = false,
            NumberHandling = JsonNumberHandling.Strict,
            // Escapes what JSON requires (quotes in strings as \", control characters) and no more: the body is
            // served as application/json, never inlined into HTML, so "+" and "'" need no \u escape.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        if (!forSchema)
        {
            options.Converters.Add(new NoNulStringConverter());
            options.Converters.Add(new UtcDateTimeOffsetConverter());
            options.Converters.Add(new UtcDateTimeConverter());
        }
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    /// <summary>The lower_snake label of an enum value, as the API and the database spell it.</summary>
    public static string Label<TEnum>(TEnum value) where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    public static bool TryParseLabel<TEnum>(string? label, out TEnum value) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (Label(candidate) == label)
            {
                value = candidate;
                return true;
            }
        }
        value = default;
        return false;
    }

    /// <summary>Writes an instant in UTC with <see cref="DateFormat"/>; reads any ISO-8601 form.</summary>
    private sealed class UtcDateTimeOffsetConverter : JsonConverter<DateTimeOffset>
    {
        public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTimeOffset();

        public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.UtcDateTime.ToString(DateFormat, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>A <see cref="DateTime"/> of unspecified kind is taken as UTC (as Npgsql reads <c>timestamp</c>).</summary>
    private sealed class UtcDateTimeConverter : JsonConverter<DateTime>
    {
        public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.GetDateTime();

        public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options)
        {
            var utc = value.Kind switch
            {
                DateTimeKind.Local => value.ToUniversalTime(),
                DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
                _ => value,
            };
            writer.WriteStringValue(utc.ToString(DateFormat, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Refuses strings that hold U+0000: a 400 naming the field instead of a database error.</summary>
    private sealed class NoNulStringConverter : JsonConverter<string>
    {
        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && value.Contains('\0', StringComparison.Ordinal)
                ? throw new JsonException("A string may not contain the NUL character.")
                : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
