using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces;

/// <summary>The fields JoinReq and RejoinReq share (NS to JS: forward a join or rejoin request).</summary>
public abstract class JoinRequestMessage : BackendInterfacesMessage
{
    protected JoinRequestMessage(string messageType)
        : base(messageType)
    {
    }

    [JsonRequired]
    public WireMacVersion MACVersion { get; init; }

    /// <summary>The JoinRequest or RejoinRequest frame as received, in wire order.</summary>
    [JsonRequired]
    public byte[] PHYPayload { get; init; } = [];

    [JsonRequired]
    public DevEui DevEUI { get; init; }

    /// <summary>The address the NS assigned; the JS puts it in the JoinAccept.</summary>
    [JsonRequired]
    public DevAddr DevAddr { get; init; }

    [JsonRequired]
    public DLSettings DLSettings { get; init; }

    /// <summary>The JoinAccept's RxDelay byte.</summary>
    [JsonRequired]
    public byte RxDelay { get; init; }

    public CFList? CFList { get; init; }
}

public sealed class JoinReq : JoinRequestMessage
{
    public JoinReq()
        : base(MessageTypes.JoinReq)
    {
    }
}

/// <summary>LoRaWAN 1.1 only.</summary>
public sealed class RejoinReq : JoinRequestMessage
{
    public RejoinReq()
        : base(MessageTypes.RejoinReq)
    {
    }
}
