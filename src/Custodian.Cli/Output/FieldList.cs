using System.Globalization;
using System.Text.Json;

namespace Custodian.Cli.Output;

/// <summary>One record for people: "Label: value" lines, the values aligned; JSON values shown as words.</summary>
internal static class FieldList
{
    public static void Write(TextWriter output, IReadOnlyList<(string Label, string Value)> fields)
    {
        if (fields.Count == 0)
        {
            return;
        }
        var width = fields.Max(field => field.Label.Length) + 1;
        foreach (var (label, value) in fields)
        {
            output.WriteLine($"{(label + ":").PadRight(width)} {value}");
        }
    }

    /// <summary>
    /// The fields of a server answer, in its order, labelled by <paramref name="labels"/> (a field not named there
    /// keeps its JSON name, so a field a newer server adds still shows).
    /// </summary>
    public static void Write(TextWriter output, JsonElement answer, IReadOnlyDictionary<string, string> labels) =>
        Write(output, [.. answer.EnumerateObject().Select(field => (labels.GetValueOrDefault(field.Name, field.Name), IsTime(field.Name) ? TimeCell(answer, field.Name) ?? "-" : Show(field.Value)))]);

    // The API names its timestamps …At (createdAt, claimedAt, lastJoinAt).
    private static bool IsTime(string name) => name.EndsWith("At", StringComparison.Ordinal);

    /// <summary>A JSON value as a table cell or field: strings bare, null as "-", booleans as yes/no, arrays comma-separated.</summary>
    public static string Show(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Null or JsonValueKind.Undefined => "-",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Array => string.Join(',', value.EnumerateArray().Select(Show)),
        _ => value.GetRawText(),
    };

    /// <summary>A field of <paramref name="record"/> as <see cref="Show"/> gives it, or null when absent (a table shows "-").</summary>
    public static string? Cell(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind is not JsonValueKind.Null ? Show(value) : null;

    /// <summary>A timestamp field in UTC to the second ("2026-11-25 18:22:01Z"), or null when absent: tables stay narrow.</summary>
    public static string? TimeCell(JsonElement record, string name) =>
        record.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.TryGetDateTimeOffset(out var time)
            ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : Cell(record, name);
}
