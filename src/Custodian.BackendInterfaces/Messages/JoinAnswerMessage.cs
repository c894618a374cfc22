using System.Diagnostics.CodeAnalysis;

namespace Custodian.BackendInterfaces;

/// <summary>The fields JoinAns and RejoinAns share: on success the JoinAccept and the session keys, on failure only the Result.</summary>
public abstract class JoinAnswerMessage : BackendInterfacesMessage
{
    protected JoinAnswerMessage(string messageType)
        : base(messageType)
    {
    }

    /// <summary>
    /// A successful answer. The network keys go out as a 1.0.x NS expects them (one NwkSKey,
    /// which is the FNwkSIntKey) or as a 1.1 NS expects them (FNwkSIntKey, SNwkSIntKey, NwkSEncKey).
    /// </summary>
    [SetsRequiredMembers]
    protected JoinAnswerMessage(
        MessageHeader header, string messageType, MacVersion macVersion, byte[] phyPayload,
        SessionKeyEnvelopes keys, TimeSpan? lifetime, byte[]? sessionKeyId)
        : base(header, messageType)
    {
        Result = new Result(ResultCode.Success);
        PHYPayload = phyPayload;
        Lifetime = lifetime is { } l ? checked((uint)l.TotalSeconds) : null;
        SessionKeyID = sessionKeyId;
        AppSKey = keys.AppSKey;
        if (macVersion.IsLorawan11)
        {
            FNwkSIntKey = keys.FNwkSIntKey;
            SNwkSIntKey = keys.SNwkSIntKey ?? throw new ArgumentException("LoRaWAN 1.1 needs an SNwkSIntKey envelope.", nameof(keys));
            NwkSEncKey = keys.NwkSEncKey ?? throw new ArgumentException("LoRaWAN 1.1 needs a NwkSEncKey envelope.", nameof(keys));
        }
        else
        {
            NwkSKey = keys.FNwkSIntKey;
        }
    }

    public required Result Result { get; init; }

    /// <summary>The encrypted JoinAccept, in wire order.</summary>
    public byte[]? PHYPayload { get; init; }

    /// <summary>How long the NS may keep the session keys, in seconds.</summary>
    public uint? Lifetime { get; init; }

    /// <summary>Lets the AS fetch the AppSKey later with an AppSKeyReq.</summary>
    public byte[]? SessionKeyID { get; init; }

    public KeyEnvelope? AppSKey { get; init; }

    /// <summary>LoRaWAN 1.0.x only.</summary>
    public KeyEnvelope? NwkSKey { get; init; }

    /// <summary>LoRaWAN 1.1 only.</summary>
    public KeyEnvelope? FNwkSIntKey { get; init; }

    /// <summary>LoRaWAN 1.1 only.</summary>
    public KeyEnvelope? SNwkSIntKey { get; init; }

    /// <summary>LoRaWAN 1.1 only.</summary>
    public KeyEnvelope? NwkSEncKey { get; init; }

    /// <summary>The session keys as received; a 1.0.x NwkSKey counts as the FNwkSIntKey. Null without a network key.</summary>
    public SessionKeyEnvelopes? SessionKeys() =>
        (FNwkSIntKey ?? NwkSKey) is { } forwarding
            ? new SessionKeyEnvelopes(forwarding, SNwkSIntKey, NwkSEncKey, AppSKey)
            : null;
}

public sealed class JoinAns : JoinAnswerMessage
{
    public JoinAns()
        : base(MessageTypes.JoinAns)
    {
    }

    [SetsRequiredMembers]
    private JoinAns(MessageHeader header, MacVersion macVersion, byte[] phyPayload, SessionKeyEnvelopes keys, TimeSpan? lifetime, byte[]? sessionKeyId)
        : base(header, MessageTypes.JoinAns, macVersion, phyPayload, keys, lifetime, sessionKeyId)
    {
    }

    /// <summary>Answers a JoinReq with the JoinAccept and the session keys, shaped for <paramref name="macVersion"/>.</summary>
    public static JoinAns Success(
        MessageHeader answerHeader, MacVersion macVersion, byte[] phyPayload,
        SessionKeyEnvelopes keys, TimeSpan? lifetime = null, byte[]? sessionKeyId = null) =>
        new(answerHeader, macVersion, phyPayload, keys, lifetime, sessionKeyId);
}

public sealed class RejoinAns : JoinAnswerMessage
{
    public RejoinAns()
        : base(MessageTypes.RejoinAns)
    {
    }

    [SetsRequiredMembers]
    private RejoinAns(MessageHeader header, MacVersion macVersion, byte[] phyPayload, SessionKeyEnvelopes keys, TimeSpan? lifetime, byte[]? sessionKeyId)
        : base(header, MessageTypes.RejoinAns, macVersion, phyPayload, keys, lifetime, sessionKeyId)
    {
    }

    /// <inheritdoc cref="JoinAns.Success"/>
    public static RejoinAns Success(
        MessageHeader answerHeader, MacVersion macVersion, byte[] phyPayload,
        SessionKeyEnvelopes keys, TimeSpan? lifetime = null, byte[]? sessionKeyId = null) =>
        new(answerHeader, macVersion, phyPayload, keys, lifetime, sessionKeyId);
}
