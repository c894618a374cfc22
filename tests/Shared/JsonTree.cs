using System.Globalization;
using System.Text.Json;

namespace Custodian.Testing;

/// <summary>
/// Compares JSON as trees, as the vectors' README asks: same keys, equal values, key order and
/// whitespace ignored, hex strings compared without regard to case.
/// </summary>
public static class JsonTree
{
    public static void ShouldEqual(string actualJson, JsonElement expected) => ShouldMatch(actualJson, expected, allowExtraKeys: false);

    /// <summary>Every key of <paramref name="expected"/> is there with its value; the answer may carry more (Lifetime, SessionKeyID, …).</summary>
    public static void ShouldContain(string actualJson, JsonElement expected) => ShouldMatch(actualJson, expected, allowExtraKeys: true);

    private static void ShouldMatch(string actualJson, JsonElement expected, bool allowExtraKeys)
    {
        using var actual = JsonDocument.Parse(actualJson);
        var differences = new List<string>();
        Compare(actual.RootElement, expected, "$", differences, allowExtraKeys);
        differences.Should().BeEmpty($"the JSON should match the vector; actual: {actualJson}");
    }

    public static IReadOnlyList<string> Keys(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
    }

    private static void Compare(JsonElement actual, JsonElement expected, string path, List<string> differences, bool allowExtraKeys)
    {
        if (actual.ValueKind != expected.ValueKind)
        {
            differences.Add($"{path}: {actual.ValueKind} instead of {expected.ValueKind}");
            return;
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                CompareObjects(actual, expected, path, differences, allowExtraKeys);
                break;
            case JsonValueKind.Array:
                var a = actual.EnumerateArray().ToList();
                var e = expected.EnumerateArray().ToList();
                if (a.Count != e.Count)
                {
                    differences.Add($"{path}: {a.Count} elements instead of {e.Count}");
                    return;
                }
                for (var i = 0; i < a.Count; i++)
                {
                    Compare(a[i], e[i], $"{path}[{i}]", differences, allowExtraKeys);
                }
                break;
            case JsonValueKind.String:
                if (!SameText(actual.GetString()!, expected.GetString()!))
                {
                    differences.Add($"{path}: \"{actual.GetString()}\" instead of \"{expected.GetString()}\"");
                }
                break;
            case JsonValueKind.Number:
                if (actual.GetDecimal() != expected.GetDecimal())
                {
                    differences.Add($"{path}: {actual.GetRawText()} instead of {expected.GetRawText()}");
                }
                break;
        }
    }

    private static void CompareObjects(JsonElement actual, JsonElement expected, string path, List<string> differences, bool allowExtraKeys)
    {
        var actualNames = actual.EnumerateObject().Select(p => p.Name).ToHashSet();
        var expectedNames = expected.EnumerateObject().Select(p => p.Name).ToHashSet();
        if (!allowExtraKeys)
        {
            differences.AddRange(actualNames.Except(expectedNames).Select(n => $"{path}.{n}: unexpected"));
        }
        differences.AddRange(expectedNames.Except(actualNames).Select(n => $"{path}.{n}: missing"));
        foreach (var name in actualNames.Intersect(expectedNames))
        {
            Compare(actual.GetProperty(name), expected.GetProperty(name), $"{path}.{name}", differences, allowExtraKeys);
        }
    }

    /// <summary>Hex is compared without case; other text (labels, AS-IDs) exactly.</summary>
    private static bool SameText(string actual, string expected) =>
        IsHex(expected)
            ? string.Equals(actual, expected, StringComparison.OrdinalIgnoreCase)
            : string.Equals(actual, expected, StringComparison.Ordinal);

    private static bool IsHex(string s) => s.Length > 0 && s.All(c => char.IsAsciiHexDigit(c));

    public static string Hex(byte[]? bytes) => bytes is null ? "<null>" : Convert.ToHexString(bytes).ToLower(CultureInfo.InvariantCulture);
}
