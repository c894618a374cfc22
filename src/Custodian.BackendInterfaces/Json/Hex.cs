using System.Buffers;
using System.Text.Json;

namespace Custodian.BackendInterfaces.Json;

/// <summary>Hex text as peers write it: either case, with or without a <c>0x</c> prefix.</summary>
public static class Hex
{
    public static ReadOnlySpan<char> StripPrefix(ReadOnlySpan<char> text) =>
        text.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? text[2..] : text;

    /// <summary>Reads a JSON string of hex digits; throws <see cref="FieldFormatException"/> with a precise reason.</summary>
    public static byte[] Read(ref Utf8JsonReader reader)
    {
        var digits = StripPrefix(ReadString(ref reader, "a hex string"));
        if (digits.Length % 2 != 0)
        {
            throw new FieldFormatException($"must be an even number of hex digits, got {digits.Length}");
        }
        var bytes = new byte[digits.Length / 2];
        if (Convert.FromHexString(digits, bytes, out _, out _) != OperationStatus.Done)
        {
            throw new FieldFormatException("must contain only hex digits");
        }
        return bytes;
    }

    /// <summary>Reads a JSON string; anything else (a number, null, an object) is a precise error.</summary>
    public static string ReadString(ref Utf8JsonReader reader, string expected)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new FieldFormatException($"must be {expected}, got {Describe(reader.TokenType)}");
        }
        return reader.GetString()!;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.Null => "null",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => "another JSON value",
    };
}
