using System.Text.Json;
using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces.Json;

public sealed class WireMacVersionConverter : JsonConverter<WireMacVersion>
{
    public override WireMacVersion Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        WireMacVersion.TryParse(Hex.ReadString(ref reader, "a MAC version string"), out var version)
            ? version
            : throw new FieldFormatException("must be a LoRaWAN MAC version: 1.0, 1.0.0 to 1.0.4, 1.1 or 1.1.0");

    public override void Write(Utf8JsonWriter writer, WireMacVersion value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Text);
}
