using System.Globalization;
using Custodian.Lorawan.Crypto;

namespace Custodian.Lorawan.Frames;

/// <summary>The RejoinRequest type; also the JoinReqType of the JoinAccept that answers it.</summary>
public enum RejoinType : byte
{
    /// <summary>Resets the session context (sent to the network, NetID, 19 bytes).</summary>
    Type0 = 0,

    /// <summary>Restores a lost session (sent to the Join Server, JoinEUI, 24 bytes).</summary>
    Type1 = 1,

    /// <summary>Rekeys the session (as type 0).</summary>
    Type2 = 2,
}

/// <summary>
/// A LoRaWAN 1.1 RejoinRequest, MHDR <c>C0</c>. Types 0 and 2 carry the NetID and are signed with
/// the SNwkSIntKey (19 bytes); type 1 carries the JoinEUI and is signed with the JSIntKey (24 bytes).
/// RJcount is RJcount0 for types 0/2 and RJcount1 for type 1.
/// </summary>
public readonly record struct RejoinRequest
{
    public const byte Mhdr = 0xC0;
    public const int SizeType0Or2 = 19;
    public const int SizeType1 = 24;
    private const string FrameName = "RejoinRequest";

    private RejoinRequest(RejoinType type, NetId? netId, JoinEui? joinEui, DevEui devEui, ushort rjCount, Mic mic)
    {
        Type = type;
        NetId = netId;
        JoinEui = joinEui;
        DevEui = devEui;
        RjCount = rjCount;
        Mic = mic;
    }

    public RejoinType Type { get; }

    /// <summary>Present for types 0 and 2.</summary>
    public NetId? NetId { get; }

    /// <summary>Present for type 1.</summary>
    public JoinEui? JoinEui { get; }

    public DevEui DevEui { get; }

    public ushort RjCount { get; }

    public Mic Mic { get; init; }

    public int Length => Type == RejoinType.Type1 ? SizeType1 : SizeType0Or2;

    public static RejoinRequest Type0(NetId netId, DevEui devEui, ushort rjCount0) => new(RejoinType.Type0, netId, null, devEui, rjCount0, default);

    public static RejoinRequest Type1(JoinEui joinEui, DevEui devEui, ushort rjCount1) => new(RejoinType.Type1, null, joinEui, devEui, rjCount1, default);

    public static RejoinRequest Type2(NetId netId, DevEui devEui, ushort rjCount0) => new(RejoinType.Type2, netId, null, devEui, rjCount0, default);

    public static FrameResult<RejoinRequest> Decode(ReadOnlySpan<byte> phyPayload)
    {
        if (phyPayload.Length < 2)
        {
            return FrameError.WrongLength(FrameName, "19 or 24", phyPayload.Length);
        }
        if (phyPayload[0] != Mhdr)
        {
            return FrameError.WrongMessageType(phyPayload[0], FrameName);
        }
        if (phyPayload[1] > (byte)RejoinType.Type2)
        {
            return FrameError.InvalidField(string.Create(CultureInfo.InvariantCulture, $"RejoinType {phyPayload[1]} is not 0, 1 or 2."));
        }
        var type = (RejoinType)phyPayload[1];
        var size = type == RejoinType.Type1 ? SizeType1 : SizeType0Or2;
        if (phyPayload.Length != size)
        {
            return FrameError.WrongLength(string.Create(CultureInfo.InvariantCulture, $"{FrameName} type {(byte)type}"), size, phyPayload.Length);
        }
        var mic = Mic.Read(phyPayload[(size - Mic.Size)..]);
        return type == RejoinType.Type1
            ? new RejoinRequest(type, null, Lorawan.JoinEui.ReadLittleEndian(phyPayload[2..]), DevEui.ReadLittleEndian(phyPayload[10..]), ReadRjCount(phyPayload[18..]), mic)
            : new RejoinRequest(type, Lorawan.NetId.ReadLittleEndian(phyPayload[2..]), null, DevEui.ReadLittleEndian(phyPayload[5..]), ReadRjCount(phyPayload[13..]), mic);
    }

    /// <summary>Writes the 19- or 24-byte frame; returns the bytes written.</summary>
    public int Encode(Span<byte> destination)
    {
        var micInputSize = EncodeMicInput(destination);
        Mic.Write(destination[micInputSize..]);
        return Length;
    }

    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        Encode(bytes);
        return bytes;
    }

    /// <summary>CMAC(key, MHDR..RJcount)[0..3]; the key is the SNwkSIntKey (types 0/2) or the JSIntKey (type 1).</summary>
    public Mic ComputeMic(in AesCipher key)
    {
        Span<byte> micInput = stackalloc byte[SizeType1];
        var length = EncodeMicInput(micInput);
        return Mic.Compute(in key, micInput[..length]);
    }

    public RejoinRequest Sign(SNwkSIntKey key)
    {
        ThrowUnlessSignedWith(nameof(SNwkSIntKey));
        return this with { Mic = ComputeMic(new AesCipher(key.Key)) };
    }

    public RejoinRequest Sign(JSIntKey key)
    {
        ThrowUnlessSignedWith(nameof(JSIntKey));
        return this with { Mic = ComputeMic(new AesCipher(key.Key)) };
    }

    /// <summary>Types 0 and 2: compares the MIC in constant time.</summary>
    public bool VerifyMic(SNwkSIntKey key)
    {
        ThrowUnlessSignedWith(nameof(SNwkSIntKey));
        return ComputeMic(new AesCipher(key.Key)).FixedTimeEquals(Mic);
    }

    /// <summary>Type 1: compares the MIC in constant time.</summary>
    public bool VerifyMic(JSIntKey key)
    {
        ThrowUnlessSignedWith(nameof(JSIntKey));
        return ComputeMic(new AesCipher(key.Key)).FixedTimeEquals(Mic);
    }

    private int EncodeMicInput(Span<byte> destination)
    {
        var micInputSize = Length - Mic.Size;
        if (destination.Length < micInputSize)
        {
            throw new ArgumentException($"{FrameName} needs {Length} bytes of room, got {destination.Length}.", nameof(destination));
        }
        destination[0] = Mhdr;
        destination[1] = (byte)Type;
        var rest = destination[2..];
        if (Type == RejoinType.Type1)
        {
            JoinEui!.Value.WriteLittleEndian(rest);
            rest = rest[Lorawan.JoinEui.Size..];
        }
        else
        {
            NetId!.Value.WriteLittleEndian(rest);
            rest = rest[Lorawan.NetId.Size..];
        }
        DevEui.WriteLittleEndian(rest);
        rest[DevEui.Size] = (byte)RjCount;
        rest[DevEui.Size + 1] = (byte)(RjCount >> 8);
        return micInputSize;
    }

    private static ushort ReadRjCount(ReadOnlySpan<byte> source) => (ushort)(source[0] | (source[1] << 8));

    private void ThrowUnlessSignedWith(string keyRole)
    {
        var expected = Type == RejoinType.Type1 ? nameof(JSIntKey) : nameof(SNwkSIntKey);
        if (keyRole != expected)
        {
            throw new InvalidOperationException($"A type {(byte)Type} RejoinRequest is signed with the {expected}, not the {keyRole}.");
        }
    }
}
