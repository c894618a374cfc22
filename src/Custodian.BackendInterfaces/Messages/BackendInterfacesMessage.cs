using System.Text.Json;
using System.Text.Json.Serialization;
using Custodian.BackendInterfaces.Json;

namespace Custodian.BackendInterfaces;

/// <summary>
/// A Backend Interfaces (TS002) message: the common header, which every message type extends.
/// Property names are the specification's JSON names.
/// </summary>
public abstract class BackendInterfacesMessage
{
    protected BackendInterfacesMessage(string messageType) => MessageType = messageType;

    /// <summary>Starts an answer from the header <see cref="AnswerHeader"/> built.</summary>
    protected BackendInterfacesMessage(MessageHeader header, string messageType)
    {
        ProtocolVersion = header.ProtocolVersion;
        SenderID = header.SenderID;
        ReceiverID = header.ReceiverID;
        TransactionID = header.TransactionID;
        MessageType = messageType;
        SenderNSID = header.SenderNSID;
        ReceiverNSID = header.ReceiverNSID;
        SenderToken = header.SenderToken;
        ReceiverToken = header.ReceiverToken;
    }

    // The header goes first and VSExtension last, in The Things Stack's order, so that our
    // output reads like theirs; peers do not depend on key order.

    /// <summary>"1.0" or "1.1", kept as sent; see <see cref="Version"/>.</summary>
    [JsonRequired]
    [JsonPropertyOrder(-9)]
    public string ProtocolVersion { get; init; } = "1.1";

    /// <summary>The longest SenderID or ReceiverID read (an AS-ID is at most 255 characters); a longer one makes the body unreadable.</summary>
    public const int MaxIdLength = 255;

    /// <summary>A NetID, a JoinEUI or an AS-ID (free text), hence a string; see <see cref="SenderNetId"/>.</summary>
    [JsonRequired]
    [JsonPropertyOrder(-4)]
    public string SenderID { get; init; } = "";

    [JsonRequired]
    [JsonPropertyOrder(-3)]
    public string ReceiverID { get; init; } = "";

    [JsonPropertyOrder(-8)]
    public uint TransactionID { get; init; }

    [JsonRequired]
    [JsonPropertyOrder(-7)]
    public string MessageType { get; init; }

    /// <summary>BI 1.1 only.</summary>
    [JsonPropertyOrder(-2)]
    public NsId? SenderNSID { get; init; }

    /// <summary>BI 1.1 only.</summary>
    [JsonPropertyOrder(-1)]
    public NsId? ReceiverNSID { get; init; }

    [JsonPropertyOrder(-6)]
    public byte[]? SenderToken { get; init; }

    [JsonPropertyOrder(-5)]
    public byte[]? ReceiverToken { get; init; }

    [JsonPropertyOrder(1)]
    public VSExtension? VSExtension { get; init; }

    /// <summary>The parsed ProtocolVersion; null when it is neither 1.0 nor 1.1.</summary>
    [JsonIgnore]
    public BackendInterfacesVersion? Version =>
        BackendInterfacesVersions.TryParse(ProtocolVersion, out var version) ? version : null;

    /// <summary>
    /// Reads any message this library knows, dispatching on MessageType. Never throws on bad input:
    /// the error says whether the body was unreadable (HTTP 400) or a field was malformed (a Result).
    /// </summary>
    public static ParseResult Parse(ReadOnlySpan<byte> utf8Json) => MessageReader.Parse(utf8Json);

    /// <summary>
    /// The header of any answer to this request: ProtocolVersion and TransactionID copied,
    /// Sender and Receiver swapped, and likewise the NSIDs and tokens (The Things Stack's AnswerHeader).
    /// </summary>
    public MessageHeader AnswerHeader() => new()
    {
        ProtocolVersion = ProtocolVersion,
        TransactionID = TransactionID,
        MessageType = MessageTypes.AnswerTo(MessageType),
        SenderID = ReceiverID,
        ReceiverID = SenderID,
        SenderNSID = ReceiverNSID,
        ReceiverNSID = SenderNSID,
        SenderToken = ReceiverToken,
        ReceiverToken = SenderToken,
    };

    public NetId? SenderNetId() => AsNetId(SenderID);

    public JoinEui? SenderJoinEui() => AsJoinEui(SenderID);

    public NetId? ReceiverNetId() => AsNetId(ReceiverID);

    public JoinEui? ReceiverJoinEui() => AsJoinEui(ReceiverID);

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, TypeInfo());

    public string ToJson() => JsonSerializer.Serialize(this, TypeInfo());

    private System.Text.Json.Serialization.Metadata.JsonTypeInfo TypeInfo() =>
        BackendInterfacesJsonContext.Default.GetTypeInfo(GetType())
        ?? throw new InvalidOperationException($"{GetType().Name} is not registered in {nameof(BackendInterfacesJsonContext)}.");

    private static NetId? AsNetId(string id) =>
        NetId.TryParse(Hex.StripPrefix(id.AsSpan().Trim()), out var netId, out _) ? netId : null;

    private static JoinEui? AsJoinEui(string id) =>
        JoinEui.TryParse(Hex.StripPrefix(id.AsSpan().Trim()), out var joinEui, out _) ? joinEui : null;
}
