using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoursePlatform.Functions.Infrastructure;

/// <summary>The API's JSON conventions: camelCase names, enums as the lower_snake labels of the spec.</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.Never,
            AllowTrailingCommas = false,
        };
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
}
