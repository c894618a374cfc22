using System.Text.Json;
using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces.Json;

public sealed class ResultCodeConverter : JsonConverter<ResultCode>
{
    public override ResultCode Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ResultCodes.TryParse(Hex.ReadString(ref reader, "a ResultCode string"), out var code)
            ? code
            : throw new FieldFormatException("is not a ResultCode of TS002");

    public override void Write(Utf8JsonWriter writer, ResultCode value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToWireName());
}
