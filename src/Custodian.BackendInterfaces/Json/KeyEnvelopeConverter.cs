using System.Text.Json;
using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces.Json;

/// <summary>
/// <c>{"KEKLabel": "…", "AESKey": "hex"}</c>. A missing or null KEKLabel is the empty label
/// (a plain key), as peers send it; AESKey is required, and null counts as missing.
/// </summary>
public sealed class KeyEnvelopeConverter : JsonConverter<KeyEnvelope>
{
    private const string KekLabelName = "KEKLabel";
    private const string AesKeyName = "AESKey";

    public override KeyEnvelope Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FieldFormatException("must be an object {KEKLabel, AESKey}");
        }
        var label = string.Empty;
        byte[]? aesKey = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (string.Equals(name, KekLabelName, StringComparison.OrdinalIgnoreCase))
            {
                label = reader.TokenType == JsonTokenType.Null ? string.Empty : ReadMember(ref reader, KekLabelName, Hex.ReadString, "a string");
            }
            else if (string.Equals(name, AesKeyName, StringComparison.OrdinalIgnoreCase) && reader.TokenType != JsonTokenType.Null)
            {
                aesKey = ReadMember(ref reader, AesKeyName, static (ref Utf8JsonReader r, string _) => Hex.Read(ref r), "hex");
            }
            else
            {
                reader.Skip();
            }
        }
        return new KeyEnvelope(label, aesKey ?? throw new FieldFormatException(AesKeyName, "is missing"));
    }

    private delegate T MemberReader<T>(ref Utf8JsonReader reader, string expected);

    /// <summary>Reads one member, naming it in the error: "AppSKey.AESKey must be …".</summary>
    private static T ReadMember<T>(ref Utf8JsonReader reader, string member, MemberReader<T> read, string expected)
    {
        try
        {
            return read(ref reader, expected);
        }
        catch (FieldFormatException e) when (e.Member is null)
        {
            throw new FieldFormatException(member, e.Message);
        }
    }

    public override void Write(Utf8JsonWriter writer, KeyEnvelope value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(KekLabelName, value.KekLabel);
        writer.WriteString(AesKeyName, Convert.ToHexString(value.AesKey.Span));
        writer.WriteEndObject();
    }
}
