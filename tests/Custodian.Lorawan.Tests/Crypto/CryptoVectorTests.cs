using System.Security.Cryptography;
using System.Text.Json;
using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;
using Custodian.Testing;

namespace Custodian.Lorawan.Tests.Crypto;

/// <summary>Every vector of ../shared/vectors/crypto.json, one theory per kind.</summary>
public sealed class CryptoVectorTests
{
    private const string File = "crypto.json";

    /// <summary>The kinds the theories below handle; a new kind in the file fails <see cref="Every_kind_in_the_file_is_handled"/>.</summary>
    public static readonly string[] HandledKinds =
    [
        "cmac", "keywrap", "keywrap-error", "keyunwrap-error", "key-envelope",
        "join-request-mic", "join-request-build", "join-request-parse",
        "join-accept-mic-legacy", "join-accept-mic-1.1", "join-accept-encrypt", "rejoin-accept-encrypt",
        "join-accept-build", "join-accept-decrypt",
        "rejoin-request-mic", "rejoin-request-build",
        "derive-1.0", "derive-1.1", "derive-js-keys", "derive-root-wor-s-key",
    ];

    public static TheoryData<string> Cmac => Vectors.Ids(File, "cmac");
    public static TheoryData<string> KeyWrap => Vectors.Ids(File, "keywrap");
    public static TheoryData<string> KeyWrapError => Vectors.Ids(File, "keywrap-error");
    public static TheoryData<string> KeyUnwrapError => Vectors.Ids(File, "keyunwrap-error");
    public static TheoryData<string> KeyEnvelopes => Vectors.Ids(File, "key-envelope");
    public static TheoryData<string> JoinRequestMic => Vectors.Ids(File, "join-request-mic");
    public static TheoryData<string> JoinRequestBuild => Vectors.Ids(File, "join-request-build");
    public static TheoryData<string> JoinRequestParse => Vectors.Ids(File, "join-request-parse");
    public static TheoryData<string> JoinAcceptMicLegacy => Vectors.Ids(File, "join-accept-mic-legacy");
    public static TheoryData<string> JoinAcceptMic11 => Vectors.Ids(File, "join-accept-mic-1.1");
    public static TheoryData<string> JoinAcceptEncrypt => Vectors.Ids(File, "join-accept-encrypt");
    public static TheoryData<string> RejoinAcceptEncrypt => Vectors.Ids(File, "rejoin-accept-encrypt");
    public static TheoryData<string> JoinAcceptBuild => Vectors.Ids(File, "join-accept-build");
    public static TheoryData<string> JoinAcceptDecrypt => Vectors.Ids(File, "join-accept-decrypt");
    public static TheoryData<string> RejoinRequestMic => Vectors.Ids(File, "rejoin-request-mic");
    public static TheoryData<string> RejoinRequestBuild => Vectors.Ids(File, "rejoin-request-build");
    public static TheoryData<string> Derive10 => Vectors.Ids(File, "derive-1.0");
    public static TheoryData<string> Derive11 => Vectors.Ids(File, "derive-1.1");
    public static TheoryData<string> DeriveJsKeys => Vectors.Ids(File, "derive-js-keys");
    public static TheoryData<string> DeriveRootWorSKey => Vectors.Ids(File, "derive-root-wor-s-key");

    [Fact]
    public void Every_kind_in_the_file_is_handled()
    {
        var kinds = Vectors.All(File).Select(v => v.Kind).Distinct();
        kinds.Should().BeSubsetOf(HandledKinds);
    }

    [Theory]
    [MemberData(nameof(Cmac))]
    public void Cmac_matches(string id)
    {
        var v = Vectors.Get(File, id);
        var mac = new byte[16];
        AesCmac.Compute(Cipher(v, "key"), v.InputBytes("message"), mac);
        Hex(mac).Should().Be(v.ExpectedHex("mac"));
    }

    [Theory]
    [MemberData(nameof(KeyWrap))]
    public void Keywrap_wraps_and_unwraps(string id)
    {
        var v = Vectors.Get(File, id);
        var wrapped = AesKeyWrap.Wrap(v.InputBytes("kek"), v.InputBytes("plaintext"));
        Hex(wrapped).Should().Be(v.ExpectedHex("ciphertext"));
        Hex(AesKeyWrap.Unwrap(v.InputBytes("kek"), wrapped)).Should().Be(v.InputHex("plaintext"));
    }

    [Theory]
    [MemberData(nameof(KeyWrapError))]
    public void Keywrap_rejects(string id)
    {
        var v = Vectors.Get(File, id);
        v.Expected.GetProperty("error").GetBoolean().Should().BeTrue();
        var wrap = () => AesKeyWrap.Wrap(v.InputBytes("kek"), v.InputBytes("plaintext"));
        wrap.Should().Throw<ArgumentException>().Which.Message.Should().MatchRegex("must be");
    }

    [Theory]
    [MemberData(nameof(KeyUnwrapError))]
    public void Keyunwrap_rejects(string id)
    {
        var v = Vectors.Get(File, id);
        v.Expected.GetProperty("error").GetBoolean().Should().BeTrue();
        var destination = new byte[64];
        AesKeyWrap.TryUnwrap(v.InputBytes("kek"), v.InputBytes("ciphertext"), destination, out var error).Should().BeFalse();
        error.Should().NotBeNullOrEmpty();
        destination.Should().OnlyContain(b => b == 0);
        var unwrap = () => AesKeyWrap.Unwrap(v.InputBytes("kek"), v.InputBytes("ciphertext"));
        unwrap.Should().Throw<CryptographicException>().WithMessage(error);
    }

    [Theory]
    [MemberData(nameof(KeyEnvelopes))]
    public void Key_envelope_seals_and_opens(string id)
    {
        var v = Vectors.Get(File, id);
        var label = Vectors.Text(v.Inputs, "kekLabel");
        var kek = v.HasInput("kek") ? new KeyEncryptionKey(label, v.InputBytes("kek")) : null;
        var key = Key128.FromBytes(v.InputBytes("key"));

        var envelope = KeyEnvelope.Seal(key, kek);

        envelope.KekLabel.Should().Be(Vectors.Text(v.Expected, "kekLabel"));
        Hex(envelope.AesKey.ToArray()).Should().Be(v.ExpectedHex("aesKey"));
        envelope.Open(kek).Should().Be(key);
        new KeyEnvelope(envelope.KekLabel, v.ExpectedBytes("aesKey")).Should().Be(envelope);
    }

    [Theory]
    [MemberData(nameof(JoinRequestMic))]
    public void Join_request_mic_matches(string id)
    {
        var v = Vectors.Get(File, id);
        Mic.Compute(Cipher(v, "key"), v.InputBytes("micInput")).ToString().Should().Be(v.ExpectedHex("mic"));
    }

    [Theory]
    [MemberData(nameof(JoinRequestBuild))]
    public void Join_request_builds(string id)
    {
        var v = Vectors.Get(File, id);
        var request = new JoinRequest(JoinEui.Parse(v.InputHex("joinEui")), DevEui.Parse(v.InputHex("devEui")), new DevNonce((ushort)Int(v.Inputs, "devNonce")), default)
            .Sign(Cipher(v, "key"));

        request.Mic.ToString().Should().Be(v.ExpectedHex("mic"));
        if (v.HasExpected("phyPayload"))
        {
            Hex(request.ToArray()).Should().Be(v.ExpectedHex("phyPayload"));
        }
        request.VerifyMic(Cipher(v, "key")).Should().BeTrue();
    }

    [Theory]
    [MemberData(nameof(JoinRequestParse))]
    public void Join_request_parses(string id)
    {
        var v = Vectors.Get(File, id);
        var frame = v.InputBytes("phyPayload");
        var request = JoinRequest.Decode(frame).Value;

        request.JoinEui.Should().Be(JoinEui.Parse(v.ExpectedHex("joinEui")));
        request.DevEui.Should().Be(DevEui.Parse(v.ExpectedHex("devEui")));
        request.DevNonce.Value.Should().Be((ushort)Int(v.Expected, "devNonce"));
        request.Mic.ToString().Should().Be(v.ExpectedHex("mic"));
        Hex(request.ToArray()).Should().Be(v.InputHex("phyPayload"));
        if (v.HasInput("key"))
        {
            request.VerifyMic(Cipher(v, "key")).Should().Be(v.Expected.GetProperty("micValid").GetBoolean());
        }
    }

    [Theory]
    [MemberData(nameof(JoinAcceptMicLegacy))]
    public void Join_accept_legacy_mic_matches(string id)
    {
        var v = Vectors.Get(File, id);
        var micInput = v.InputBytes("micInput");
        Mic.Compute(Cipher(v, "key"), micInput).ToString().Should().Be(v.ExpectedHex("mic"));
        if (micInput[0] == JoinAccept.Mhdr)
        {
            // A real frame body: the frame type computes the same MIC from its fields.
            var accept = DecodeBody(micInput);
            accept.ComputeLegacyMic(Cipher(v, "key")).ToString().Should().Be(v.ExpectedHex("mic"));
        }
    }

    [Theory]
    [MemberData(nameof(JoinAcceptMic11))]
    public void Join_accept_1_1_mic_matches(string id)
    {
        var v = Vectors.Get(File, id);
        var jsIntKey = v.HasInput("jsIntKey")
            ? Cipher(v, "jsIntKey")
            : new AesCipher(KeyDerivation.DeriveJSIntKey(Cipher(v, "nwkKey"), DevEui.Parse(v.InputHex("devEui"))).Key);
        var joinReqType = v.InputBytes("joinReqType")[0];
        var joinEui = JoinEui.Parse(v.InputHex("joinEui"));
        var nonce = (ushort)Int(v.Inputs, "devNonce");

        var input = new List<byte> { joinReqType };
        input.AddRange(LittleEndian(joinEui));
        input.AddRange([(byte)nonce, (byte)(nonce >> 8)]);
        input.AddRange(v.InputBytes("micInput"));
        Mic.Compute(jsIntKey, input.ToArray()).ToString().Should().Be(v.ExpectedHex("mic"));

        if (v.InputBytes("micInput")[0] == JoinAccept.Mhdr)
        {
            DecodeBody(v.InputBytes("micInput")).ComputeMic11(jsIntKey, (JoinReqType)joinReqType, joinEui, nonce)
                .ToString().Should().Be(v.ExpectedHex("mic"));
        }
    }

    [Theory]
    [MemberData(nameof(JoinAcceptEncrypt))]
    public void Join_accept_encrypts_both_ways(string id)
    {
        var v = Vectors.Get(File, id);
        AssertJoinAcceptCipher(Cipher(v, "key"), v.InputBytes("plaintext"), v.ExpectedHex("ciphertext"));
    }

    [Theory]
    [MemberData(nameof(RejoinAcceptEncrypt))]
    public void Rejoin_accept_encrypts_with_js_enc_key(string id)
    {
        var v = Vectors.Get(File, id);
        var jsEncKey = KeyDerivation.DeriveJSEncKey(Cipher(v, "nwkKey"), DevEui.Parse(v.InputHex("devEui")));
        AssertJoinAcceptCipher(new AesCipher(jsEncKey.Key), v.InputBytes("plaintext"), v.ExpectedHex("ciphertext"));
    }

    [Theory]
    [MemberData(nameof(JoinAcceptBuild))]
    public void Join_accept_builds(string id)
    {
        var v = Vectors.Get(File, id);
        var unsigned = new JoinAccept(
            new JoinNonce((uint)Int(v.Inputs, "joinNonce")),
            NetId.Parse(v.InputHex("netId")),
            DevAddr.Parse(v.InputHex("devAddr")),
            new DLSettings(v.InputBytes("dlSettings")[0]),
            new RxDelay((byte)Int(v.Inputs, "rxDelay")),
            v.HasInput("cfList") ? CFList.Decode(v.InputBytes("cfList")).Value : null,
            default);

        var accept = Sign(v, unsigned);

        accept.Mic.ToString().Should().Be(v.ExpectedHex("mic"));
        var phyPayload = new byte[accept.Length];
        accept.Encrypt(Cipher(v, "encKey"), phyPayload);
        if (v.HasExpected("phyPayload"))
        {
            Hex(phyPayload).Should().Be(v.ExpectedHex("phyPayload"));
        }
        JoinAccept.Decrypt(Cipher(v, "encKey"), phyPayload).Value.Should().Be(accept);
    }

    [Theory]
    [MemberData(nameof(JoinAcceptDecrypt))]
    public void Join_accept_decrypts_on_the_device(string id)
    {
        var v = Vectors.Get(File, id);
        var phyPayload = v.InputBytes("phyPayload");
        var accept = JoinAccept.Decrypt(Cipher(v, "key"), phyPayload).Value;

        Hex([phyPayload[0]]).Should().Be(v.ExpectedHex("mhdr"));
        accept.JoinNonce.Value.Should().Be((uint)Int(v.Expected, "joinNonce"));
        accept.NetId.Should().Be(NetId.Parse(v.ExpectedHex("netId")));
        accept.DevAddr.Should().Be(DevAddr.Parse(v.ExpectedHex("devAddr")));
        accept.DLSettings.Value.Should().Be(v.ExpectedBytes("dlSettings")[0]);
        accept.RxDelay.Value.Should().Be((byte)Int(v.Expected, "rxDelay"));
        var expectedCfList = v.Expected.GetProperty("cfList").ValueKind == JsonValueKind.Null ? null : v.ExpectedHex("cfList");
        (accept.CFList?.ToString().ToLowerInvariant()).Should().Be(expectedCfList);
        accept.Mic.ToString().Should().Be(v.ExpectedHex("mic"));
        Verify(v, accept).Should().Be(v.Expected.GetProperty("micValid").GetBoolean());

        var reencrypted = new byte[accept.Length];
        accept.Encrypt(Cipher(v, "key"), reencrypted);
        Hex(reencrypted).Should().Be(v.InputHex("phyPayload"));
    }

    [Theory]
    [MemberData(nameof(RejoinRequestMic))]
    public void Rejoin_request_mic_matches(string id)
    {
        var v = Vectors.Get(File, id);
        var micInput = v.InputBytes("micInput");
        Mic.Compute(Cipher(v, "key"), micInput).ToString().Should().Be(v.ExpectedHex("mic"));

        // The frame type computes the same MIC from the decoded fields.
        var frame = micInput.Concat(new byte[Mic.Size]).ToArray();
        RejoinRequest.Decode(frame).Value.ComputeMic(Cipher(v, "key")).ToString().Should().Be(v.ExpectedHex("mic"));
    }

    [Theory]
    [MemberData(nameof(RejoinRequestBuild))]
    public void Rejoin_request_builds(string id)
    {
        var v = Vectors.Get(File, id);
        var devEui = DevEui.Parse(v.InputHex("devEui"));
        var rjCount = (ushort)Int(v.Inputs, "rjCount");
        var key = Key128.FromBytes(v.InputBytes("key"));
        var request = Int(v.Inputs, "rejoinType") switch
        {
            0 => RejoinRequest.Type0(NetId.Parse(v.InputHex("netId")), devEui, rjCount).Sign(new SNwkSIntKey(key)),
            1 => RejoinRequest.Type1(JoinEui.Parse(v.InputHex("joinEui")), devEui, rjCount).Sign(new JSIntKey(key)),
            2 => RejoinRequest.Type2(NetId.Parse(v.InputHex("netId")), devEui, rjCount).Sign(new SNwkSIntKey(key)),
            var other => throw new InvalidOperationException($"rejoinType {other}"),
        };

        request.Mic.ToString().Should().Be(v.ExpectedHex("mic"));
        Hex(request.ToArray()).Should().Be(v.ExpectedHex("phyPayload"));
        RejoinRequest.Decode(v.ExpectedBytes("phyPayload")).Value.Should().Be(request);
    }

    [Theory]
    [MemberData(nameof(Derive10))]
    public void Derives_lorawan_1_0_session_keys(string id)
    {
        var v = Vectors.Get(File, id);
        var keys = KeyDerivation.DeriveLorawan10(
            Cipher(v, "key"),
            new JoinNonce((uint)Int(v.Inputs, "joinNonce")),
            NetId.Parse(v.InputHex("netId")),
            new DevNonce((ushort)Int(v.Inputs, "devNonce")));

        ExpectKey(v, "nwkSKey", keys.NwkSKey.Key);
        ExpectKey(v, "appSKey", keys.AppSKey.Key);
    }

    [Theory]
    [MemberData(nameof(Derive11))]
    public void Derives_lorawan_1_1_session_keys(string id)
    {
        var v = Vectors.Get(File, id);
        var keys = KeyDerivation.DeriveLorawan11(
            Cipher(v, "nwkKey"),
            Cipher(v, "appKey"),
            new JoinNonce((uint)Int(v.Inputs, "joinNonce")),
            JoinEui.Parse(v.InputHex("joinEui")),
            new DevNonce((ushort)Int(v.Inputs, "devNonce")));

        ExpectKey(v, "fNwkSIntKey", keys.FNwkSIntKey.Key);
        ExpectKey(v, "sNwkSIntKey", keys.SNwkSIntKey.Key);
        ExpectKey(v, "nwkSEncKey", keys.NwkSEncKey.Key);
        ExpectKey(v, "appSKey", keys.AppSKey.Key);
    }

    [Theory]
    [MemberData(nameof(DeriveJsKeys))]
    public void Derives_join_server_keys(string id)
    {
        var v = Vectors.Get(File, id);
        var devEui = DevEui.Parse(v.InputHex("devEui"));
        ExpectKey(v, "jsIntKey", KeyDerivation.DeriveJSIntKey(Cipher(v, "nwkKey"), devEui).Key);
        ExpectKey(v, "jsEncKey", KeyDerivation.DeriveJSEncKey(Cipher(v, "nwkKey"), devEui).Key);
    }

    [Theory]
    [MemberData(nameof(DeriveRootWorSKey))]
    public void Derives_root_wor_s_key(string id)
    {
        var v = Vectors.Get(File, id);
        ExpectKey(v, "rootWorSKey", KeyDerivation.DeriveRootWorSKey(Cipher(v, "nwkSKey")).Key);
    }

    private static AesCipher Cipher(Vector v, string name) => new(Key128.FromBytes(v.InputBytes(name)));

    private static int Int(JsonElement element, string name) => element.GetProperty(name).GetInt32();

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    private static byte[] LittleEndian(JoinEui joinEui)
    {
        var bytes = new byte[JoinEui.Size];
        joinEui.WriteLittleEndian(bytes);
        return bytes;
    }

    private static void ExpectKey(Vector v, string name, Key128 actual)
    {
        if (v.HasExpected(name))
        {
            actual.Should().Be(Key128.FromBytes(v.ExpectedBytes(name)), name);
        }
    }

    private static JoinAccept DecodeBody(byte[] micInput) =>
        JoinAccept.Decode(micInput.Concat(new byte[Mic.Size]).ToArray()).Value;

    private static void AssertJoinAcceptCipher(AesCipher key, byte[] plaintext, string expectedCiphertext)
    {
        var ciphertext = new byte[plaintext.Length];
        JoinAccept.EncryptPayload(key, plaintext, ciphertext);
        Hex(ciphertext).Should().Be(expectedCiphertext);
        var recovered = new byte[plaintext.Length];
        JoinAccept.DecryptPayload(key, ciphertext, recovered);
        recovered.Should().Equal(plaintext);
    }

    private static JoinAccept Sign(Vector v, JoinAccept unsigned) => Vectors.Text(v.Inputs, "micMode") switch
    {
        "legacy" => unsigned.SignLegacy(Cipher(v, "micKey")),
        "1.1" => unsigned.Sign11(Cipher(v, "micKey"), (JoinReqType)v.InputBytes("joinReqType")[0], JoinEui.Parse(v.InputHex("joinEui")), (ushort)Int(v.Inputs, "devNonce")),
        var mode => throw new InvalidOperationException($"micMode {mode}"),
    };

    private static bool Verify(Vector v, JoinAccept accept) => Vectors.Text(v.Inputs, "micMode") switch
    {
        "legacy" => accept.VerifyLegacyMic(Cipher(v, "micKey")),
        "1.1" => accept.VerifyMic11(Cipher(v, "micKey"), (JoinReqType)v.InputBytes("joinReqType")[0], JoinEui.Parse(v.InputHex("joinEui")), (ushort)Int(v.Inputs, "devNonce")),
        var mode => throw new InvalidOperationException($"micMode {mode}"),
    };
}
