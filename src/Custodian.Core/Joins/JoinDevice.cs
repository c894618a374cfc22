namespace Custodian.Core.Joins;

/// <summary>What a join needs to know of a device: who it is, which LoRaWAN it speaks, and its root keys.</summary>
public sealed record JoinDevice
{
    public JoinDevice(DevEui devEui, JoinEui joinEui, MacVersion macVersion, RootKeys rootKeys)
    {
        if (macVersion.IsLorawan11 && rootKeys.AppKey is null)
        {
            throw new ArgumentException("A LoRaWAN 1.1 device needs an AppKey besides its NwkKey.", nameof(rootKeys));
        }
        DevEui = devEui;
        JoinEui = joinEui;
        MacVersion = macVersion;
        RootKeys = rootKeys;
    }

    public DevEui DevEui { get; }

    public JoinEui JoinEui { get; }

    public MacVersion MacVersion { get; }

    public RootKeys RootKeys { get; }
}

/// <summary>
/// What the Join Server decides for one answer: the JoinNonce to put in it, the KEKs of the network
/// and of the AppSKey's receiver (null sends that key in clear), and the session's lifetime and the id to send
/// (null: none, when the network receives the AppSKey itself).
/// </summary>
public sealed record JoinAnswerContext(
    JoinNonce JoinNonce,
    KeyEncryptionKey? NetworkKek,
    KeyEncryptionKey? ApplicationServerKek,
    TimeSpan Lifetime,
    byte[]? SessionKeyId);

/// <summary>The answer to send, and on success the session it opened (for the Join Server to store).</summary>
public sealed record JoinOutcome(BackendInterfacesMessage Answer, JoinRequest? Request, SessionKeys? SessionKeys)
{
    public bool Accepted => SessionKeys is not null;
}
