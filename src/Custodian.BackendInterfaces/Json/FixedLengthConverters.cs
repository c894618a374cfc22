using System.Text.Json;
using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces.Json;

public sealed class DLSettingsConverter : JsonConverter<DLSettings>
{
    public override DLSettings Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var bytes = Hex.Read(ref reader);
        return bytes.Length == 1
            ? new DLSettings(bytes[0])
            : throw new FieldFormatException($"must be 1 byte, got {bytes.Length}");
    }

    public override void Write(Utf8JsonWriter writer, DLSettings value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Convert.ToHexString([value.Value]));
}

public sealed class CFListConverter : JsonConverter<CFList>
{
    public override CFList Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var bytes = Hex.Read(ref reader);
        return bytes.Length == CFList.Size
            ? CFList.Decode(bytes).Value
            : throw new FieldFormatException($"must be {CFList.Size} bytes, got {bytes.Length}");
    }

    public override void Write(Utf8JsonWriter writer, CFList value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
