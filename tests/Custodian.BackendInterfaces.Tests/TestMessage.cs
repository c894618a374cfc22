using System.Text.Json.Serialization;
using Custodian.BackendInterfaces.Json;

namespace Custodian.BackendInterfaces.Tests;

/// <summary>
/// The message The Things Stack's own marshalling test uses (vectors J1, J2): a MACVersion,
/// a hex Buffer (omitted when absent) and a KeyEnvelope, read and written with our converters.
/// </summary>
internal sealed class TestMessage
{
    public WireMacVersion? MACVersion { get; init; }

    public byte[]? Buffer { get; init; }

    public KeyEnvelope? Key { get; init; }
}

[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(HexBytesConverter), typeof(KeyEnvelopeConverter)])]
[JsonSerializable(typeof(TestMessage))]
internal sealed partial class TestMessageContext : JsonSerializerContext
{
}
