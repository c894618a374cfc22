using System.Text.Json;
using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces.Json;

/// <summary>Byte strings as hex (TS002 writes every binary field so), uppercase on output.</summary>
public sealed class HexBytesConverter : JsonConverter<byte[]>
{
    public override byte[] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Hex.Read(ref reader);

    public override void Write(Utf8JsonWriter writer, byte[] value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Convert.ToHexString(value));
}
