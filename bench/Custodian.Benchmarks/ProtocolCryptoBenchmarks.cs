using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Custodian.Lorawan;
using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;

namespace Custodian.Benchmarks;

/// <summary>
/// The protocol crypto of one join, against the raw AES block operations it is made of.
/// A LoRaWAN 1.0.x join needs 8 AES blocks on one schedule (request CMAC 3, two keys, accept CMAC 2,
/// one block to encrypt); a 1.1 join 12 blocks on three schedules (NwkKey, AppKey, JSIntKey).
/// </summary>
[MemoryDiagnoser]
public class ProtocolCryptoBenchmarks
{
    private static readonly Key128 NwkKeyBytes = Key128.Parse("01020304050607080910111213141516");
    private static readonly Key128 AppKeyBytes = Key128.Parse("A1A2A3A4A5A6A7A8A9AAABACADAEAFB0");
    private static readonly JoinEui JoinEuiValue = JoinEui.Parse("70B3D57ED0000000");
    private static readonly JoinAcceptFields Fields10 = new(new JoinNonce(0x000102), NetId.Parse("000013"), DevAddr.Parse("26011BCD"), new DLSettings(0x03), RxDelay.FromSeconds(5), null);
    private static readonly JoinAcceptFields Fields11 = Fields10 with { DLSettings = new DLSettings(0x83) };

    private readonly AesCipher _nwkKey = new(NwkKeyBytes);
    private readonly AesCipher _appKey = new(AppKeyBytes);
    private readonly RootKeys _rootKeys10 = RootKeys.ForLorawan10(new NwkKey(NwkKeyBytes));
    private readonly RootKeys _rootKeys11 = RootKeys.ForLorawan11(new NwkKey(NwkKeyBytes), new AppKey(AppKeyBytes));
    private readonly byte[] _joinRequest;
    private readonly byte[] _joinAccept = new byte[JoinAccept.SizeWithCFList];
    private readonly byte[] _block = new byte[16];
    private readonly Aes _bclAes = Aes.Create();

    public ProtocolCryptoBenchmarks()
    {
        _joinRequest = new JoinRequest(JoinEuiValue, DevEui.Parse("0004A30B001C0530"), new DevNonce(0x1234), default)
            .Sign(in _nwkKey).ToArray();
        var key = new byte[16];
        NwkKeyBytes.ExportSecret(key);
        _bclAes.Key = key;
    }

    [Benchmark(Description = "AES-128 key schedule (encrypt + decrypt round keys)")]
    public AesCipher KeySchedule() => new(NwkKeyBytes);

    [Benchmark(Description = "Raw AES: 1 block, prepared schedule")]
    public Vector128<byte> RawAes1Block() => _nwkKey.EncryptBlock(Vector128<byte>.One);

    [Benchmark(Description = "Raw AES: 8 chained blocks (a 1.0 join's count)")]
    public Vector128<byte> RawAes8Blocks() => Chain(8);

    [Benchmark(Description = "Raw AES: 12 chained blocks (a 1.1 join's count)")]
    public Vector128<byte> RawAes12Blocks() => Chain(12);

    [Benchmark(Description = "BCL Aes.EncryptEcb one-shot, 1 block")]
    public byte[] BclEncryptEcb() => _bclAes.EncryptEcb(_block, PaddingMode.None);

    [Benchmark(Description = "CMAC of a 19-byte JoinRequest (MIC)")]
    public Mic CmacJoinRequest() => Mic.Compute(in _nwkKey, _joinRequest.AsSpan(0, JoinRequest.MicInputSize));

    [Benchmark(Description = "Derive 1.0 keys (NwkSKey, AppSKey)")]
    public SessionKeys Derive10() => KeyDerivation.DeriveLorawan10(in _nwkKey, Fields10.JoinNonce, Fields10.NetId, new DevNonce(0x1234));

    [Benchmark(Description = "Derive 1.1 keys (F, S, E, AppSKey)")]
    public SessionKeys Derive11() => KeyDerivation.DeriveLorawan11(in _nwkKey, in _appKey, Fields10.JoinNonce, JoinEuiValue, new DevNonce(0x1234));

    [Benchmark(Description = "Whole join 1.0.3 (decode, verify, derive, build, encrypt)")]
    public int Join103() => JoinCrypto.Answer(_joinRequest, in _rootKeys10, MacVersion.V1_0_3, in Fields10, _joinAccept).Value.JoinAcceptLength;

    [Benchmark(Description = "Whole join 1.1 OptNeg (decode, verify, derive, build, encrypt)")]
    public int Join11() => JoinCrypto.Answer(_joinRequest, in _rootKeys11, MacVersion.V1_1, in Fields11, _joinAccept).Value.JoinAcceptLength;

    private Vector128<byte> Chain(int blocks)
    {
        var state = Vector128<byte>.One;
        for (var i = 0; i < blocks; i++)
        {
            state = _nwkKey.EncryptBlock(state);
        }
        return state;
    }
}
