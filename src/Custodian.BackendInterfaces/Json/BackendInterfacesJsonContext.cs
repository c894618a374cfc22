using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces.Json;

/// <summary>
/// Source-generated metadata for every message. Absent optional fields are omitted on output;
/// property names match in any case on input, as Go peers (encoding/json) also accept.
/// </summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    RespectNullableAnnotations = true,
    Converters = [typeof(HexBytesConverter), typeof(DLSettingsConverter), typeof(CFListConverter), typeof(KeyEnvelopeConverter), typeof(DevEuiConverter), typeof(JoinEuiConverter), typeof(NetIdConverter), typeof(DevAddrConverter)])]
[JsonSerializable(typeof(MessageHeader))]
[JsonSerializable(typeof(ResultAnswer))]
[JsonSerializable(typeof(JoinReq))]
[JsonSerializable(typeof(JoinAns))]
[JsonSerializable(typeof(RejoinReq))]
[JsonSerializable(typeof(RejoinAns))]
[JsonSerializable(typeof(AppSKeyReq))]
[JsonSerializable(typeof(AppSKeyAns))]
[JsonSerializable(typeof(HomeNSReq))]
[JsonSerializable(typeof(HomeNSAns))]
[JsonSerializable(typeof(ErrorNotif))]
public partial class BackendInterfacesJsonContext : JsonSerializerContext
{
}
