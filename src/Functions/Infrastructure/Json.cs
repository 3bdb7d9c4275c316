using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>
/// The API's JSON conventions: camelCase names, enums as the lower_snake labels of the spec, numbers read
/// strictly (<c>"1"</c>, <c>"NaN"</c> and <c>"Infinity"</c> are not numbers), and no NUL character in a
/// string (PostgreSQL cannot store one).
/// </summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            AllowTrailingCommas = false,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.Converters.Add(new NoNulStringConverter());
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
