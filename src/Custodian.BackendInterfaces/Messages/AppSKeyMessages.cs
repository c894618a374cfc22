using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces;

/// <summary>AS to JS: fetch the AppSKey of the session named by SessionKeyID.</summary>
public sealed class AppSKeyReq : BackendInterfacesMessage
{
    public AppSKeyReq()
        : base(MessageTypes.AppSKeyReq)
    {
    }

    [JsonRequired]
    public DevEui DevEUI { get; init; }

    [JsonRequired]
    public byte[] SessionKeyID { get; init; } = [];
}

public sealed class AppSKeyAns : BackendInterfacesMessage
{
    public AppSKeyAns()
        : base(MessageTypes.AppSKeyAns)
    {
    }

    public AppSKeyAns(MessageHeader answerHeader)
        : base(answerHeader, MessageTypes.AppSKeyAns)
    {
    }

    public required Result Result { get; init; }

    public DevEui? DevEUI { get; init; }

    public KeyEnvelope? AppSKey { get; init; }

    public byte[]? SessionKeyID { get; init; }

    /// <summary>Seconds; The Things Stack sends it here too.</summary>
    public uint? Lifetime { get; init; }
}
