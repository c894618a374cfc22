using System.Text.Json;
using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces.Json;

/// <summary>
/// <c>{"KEKLabel": "…", "AESKey": "hex"}</c>. A missing or null KEKLabel is the empty label
/// (a plain key), as peers send it; AESKey is required.
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
                label = reader.TokenType == JsonTokenType.Null ? string.Empty : Hex.ReadString(ref reader, "a string");
            }
            else if (string.Equals(name, AesKeyName, StringComparison.OrdinalIgnoreCase))
            {
                aesKey = Hex.Read(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
        return new KeyEnvelope(label, aesKey ?? throw new FieldFormatException("has no AESKey"));
    }

    public override void Write(Utf8JsonWriter writer, KeyEnvelope value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString(KekLabelName, value.KekLabel);
        writer.WriteString(AesKeyName, Convert.ToHexString(value.AesKey.Span));
        writer.WriteEndObject();
    }
}
