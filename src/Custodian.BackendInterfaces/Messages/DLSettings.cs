using System.Text.Json.Serialization;
using Custodian.BackendInterfaces.Json;

namespace Custodian.BackendInterfaces;

/// <summary>The JoinAccept's DLSettings byte, carried in a JoinReq as 2 hex digits.</summary>
[JsonConverter(typeof(DLSettingsConverter))]
public readonly record struct DLSettings(byte Value)
{
    /// <summary>Bit 7: the device should use the LoRaWAN 1.1 join procedure.</summary>
    public bool OptNeg => (Value & 0x80) != 0;

    public int RX1DROffset => (Value >> 4) & 0x07;

    public int RX2DataRate => Value & 0x0F;
}
