using System.Runtime.Intrinsics;
using BenchmarkDotNet.Attributes;
using Custodian.Core.Custody;
using Custodian.Lorawan;
using Custodian.Lorawan.Crypto;

namespace Custodian.Benchmarks;

/// <summary>
/// Key custody on the join path: every join opens the device's sealed root key and seals the new AppSKey for the
/// session (and, for a network or application server with a KEK, wraps up to four session keys into KeyEnvelopes).
/// A sealed 16-byte key is padded to 24 bytes, so sealing or opening it is 18 AES blocks (RFC 3394, 6 rounds of 3);
/// a KeyEnvelope of a 16-byte key is 12. Shown beside the same number of AES-NI blocks on a prepared schedule.
/// </summary>
[MemoryDiagnoser]
public class KeyCustodyBenchmarks
{
    private static readonly byte[] KekBytes = Convert.FromHexString("000102030405060708090A0B0C0D0E0F");
    private static readonly byte[] KeyBytes = Convert.FromHexString("00112233445566778899AABBCCDDEEFF");

    private readonly KeyRing _keyRing = new([new KeyEncryptionKey("bench", KekBytes)], "bench");
    private readonly AesCipher _kekSchedule = new(Key128.FromBytes(KekBytes));
    private readonly byte[] _wrapped = new byte[KeyBytes.Length + AesKeyWrap.Overhead];
    private static readonly SecretBinding Binding = SecretBinding.DeviceRootKeys(new DevEui(0x0018B20000000001));
    private readonly SealedSecret _sealed;
    private readonly SealedSecret _unbound;

    public KeyCustodyBenchmarks()
    {
        _sealed = _keyRing.Seal(KeyBytes, Binding);
        _unbound = _keyRing.SealUnbound(KeyBytes);
    }

    [Benchmark(Description = "AesKeyWrap.Wrap, 16-byte key (a KeyEnvelope: 12 blocks)")]
    public int KeyEnvelopeWrap() => AesKeyWrap.Wrap(KekBytes, KeyBytes, _wrapped);

    [Benchmark(Description = "KeyRing.Seal, 16-byte key (session AppSKey: AES-GCM bound to its row)")]
    public SealedSecret Seal() => _keyRing.Seal(KeyBytes, Binding);

    [Benchmark(Description = "KeyRing.Open, 16-byte key (device root key: AES-GCM bound to its row)")]
    public byte[] Open() => _keyRing.Open(_sealed, Binding);

    [Benchmark(Description = "KeyRing.Open, 16-byte key, unbound seal of older versions (RFC 3394: 18 blocks)")]
    public byte[] OpenUnbound() => _keyRing.Open(_unbound, Binding);

    [Benchmark(Description = "Raw AES-NI: 18 chained blocks, prepared schedule")]
    public Vector128<byte> AesNi18Blocks()
    {
        var block = Vector128<byte>.Zero;
        for (var i = 0; i < 18; i++)
        {
            block = _kekSchedule.EncryptBlock(block);
        }
        return block;
    }
}
