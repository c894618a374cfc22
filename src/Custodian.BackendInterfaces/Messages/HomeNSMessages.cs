using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces;

/// <summary>NS to JS: which network is this device's home?</summary>
public sealed class HomeNSReq : BackendInterfacesMessage
{
    public HomeNSReq()
        : base(MessageTypes.HomeNSReq)
    {
    }

    [JsonRequired]
    public DevEui DevEUI { get; init; }
}

public sealed class HomeNSAns : BackendInterfacesMessage
{
    public HomeNSAns()
        : base(MessageTypes.HomeNSAns)
    {
    }

    public HomeNSAns(MessageHeader answerHeader)
        : base(answerHeader, MessageTypes.HomeNSAns)
    {
    }

    public required Result Result { get; init; }

    /// <summary>BI 1.1 only.</summary>
    public NsId? HNSID { get; init; }

    public NetId? HNetID { get; init; }
}
