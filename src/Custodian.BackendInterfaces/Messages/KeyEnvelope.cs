using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization;

namespace Custodian.BackendInterfaces;

/// <summary>
/// A session key in transit: with a KEKLabel, AESKey is the RFC 3394 wrap of the key under that KEK
/// (24 bytes for an AES-128 key); with an empty label, AESKey is the plain key. Kept as data here;
/// wrapping is done by the crypto code. Not a record, so that ToString() prints no key bytes.
/// </summary>
public sealed class KeyEnvelope
{
    public KeyEnvelope()
    {
    }

    [SetsRequiredMembers]
    public KeyEnvelope(string kekLabel, byte[] aesKey)
    {
        KEKLabel = kekLabel;
        AESKey = aesKey;
    }

    /// <summary>Peers omit it or send "" for a plain key.</summary>
    public string KEKLabel { get; init; } = "";

    public required byte[] AESKey { get; init; }

    [JsonIgnore]
    public bool IsWrapped => KEKLabel.Length > 0;
}
