using System.Buffers.Binary;
using Custodian.Lorawan.Frames;
using FsCheck;
using FsCheck.Fluent;

namespace Custodian.Lorawan.Tests;

/// <summary>FsCheck generators for the protocol types, registered with <c>[Property(Arbitrary = [typeof(Generators)])]</c>.</summary>
public static class Generators
{
    public static Gen<byte> Byte => Gen.Choose(0, 255).Select(i => (byte)i);

    public static Gen<byte[]> Bytes(int count) => Gen.ArrayOf(Byte, count);

    private static Gen<ulong> UInt64 => Bytes(8).Select(b => BinaryPrimitives.ReadUInt64LittleEndian(b));

    private static Gen<uint> UInt24 => Gen.Choose(0, 0xFFFFFF).Select(i => (uint)i);

    private static Gen<ushort> UInt16 => Gen.Choose(0, 0xFFFF).Select(i => (ushort)i);

    public static Arbitrary<Key128> Keys() => Bytes(Key128.Size).Select(b => Key128.FromBytes(b)).ToArbitrary();

    public static Arbitrary<JoinEui> JoinEuis() => UInt64.Select(v => new JoinEui(v)).ToArbitrary();

    public static Arbitrary<DevEui> DevEuis() => UInt64.Select(v => new DevEui(v)).ToArbitrary();

    public static Arbitrary<DevNonce> DevNonces() => UInt16.Select(v => new DevNonce(v)).ToArbitrary();

    public static Arbitrary<JoinNonce> JoinNonces() => UInt24.Select(v => new JoinNonce(v)).ToArbitrary();

    public static Arbitrary<NetId> NetIds() => UInt24.Select(v => new NetId(v)).ToArbitrary();

    public static Arbitrary<DevAddr> DevAddrs() => Bytes(4).Select(b => new DevAddr(BinaryPrimitives.ReadUInt32LittleEndian(b))).ToArbitrary();

    public static Arbitrary<Mic> Mics() => Bytes(4).Select(b => Mic.Read(b)).ToArbitrary();

    public static Arbitrary<DLSettings> DLSettingsValues() => Byte.Select(b => new DLSettings(b)).ToArbitrary();

    public static Arbitrary<RxDelay> RxDelays() => Byte.Select(b => new RxDelay(b)).ToArbitrary();

    /// <summary>An AES block, as 16 random bytes.</summary>
    public static Arbitrary<Block> Blocks() => Bytes(16).Select(b => new Block(b)).ToArbitrary();

    public static Arbitrary<CFList?> CFLists() =>
        Gen.OneOf(
            Gen.Constant<CFList?>(null),
            Bytes(CFList.Size).Select(b => (CFList?)CFList.Decode(b).Value)).ToArbitrary();

    public static Arbitrary<JoinAccept> JoinAccepts() =>
        (from nonce in JoinNonces().Generator
         from netId in NetIds().Generator
         from devAddr in DevAddrs().Generator
         from settings in DLSettingsValues().Generator
         from delay in RxDelays().Generator
         from cfList in CFLists().Generator
         from mic in Mics().Generator
         select new JoinAccept(nonce, netId, devAddr, settings, delay, cfList, mic)).ToArbitrary();

    public static Arbitrary<RejoinRequest> RejoinRequests() =>
        (from type in Gen.Elements(RejoinType.Type0, RejoinType.Type1, RejoinType.Type2)
         from netId in NetIds().Generator
         from joinEui in JoinEuis().Generator
         from devEui in DevEuis().Generator
         from rjCount in UInt16
         from mic in Mics().Generator
         select Rejoin(type, netId, joinEui, devEui, rjCount) with { Mic = mic }).ToArbitrary();

    private static RejoinRequest Rejoin(RejoinType type, NetId netId, JoinEui joinEui, DevEui devEui, ushort rjCount) => type switch
    {
        RejoinType.Type0 => RejoinRequest.Type0(netId, devEui, rjCount),
        RejoinType.Type1 => RejoinRequest.Type1(joinEui, devEui, rjCount),
        _ => RejoinRequest.Type2(netId, devEui, rjCount),
    };

    /// <summary>Key data to wrap: 16 to 64 bytes in whole 8-byte blocks.</summary>
    public static Arbitrary<KeyData> KeyDataValues() =>
        Gen.Choose(2, 8).SelectMany(blocks => Bytes(blocks * 8)).Select(b => new KeyData(b)).ToArbitrary();

    /// <summary>A KEK of 16, 24 or 32 bytes.</summary>
    public static Arbitrary<Kek> Keks() =>
        Gen.Elements(16, 24, 32).SelectMany(Bytes).Select(b => new Kek(b)).ToArbitrary();
}

public sealed record Block(byte[] Bytes)
{
    public override string ToString() => Convert.ToHexString(Bytes);
}

public sealed record KeyData(byte[] Bytes)
{
    public override string ToString() => Convert.ToHexString(Bytes);
}

public sealed record Kek(byte[] Bytes)
{
    public override string ToString() => Convert.ToHexString(Bytes);
}
