using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;
using FsCheck.Xunit;

namespace Custodian.Lorawan.Tests.Crypto;

/// <summary>A whole join's crypto: the Join Server answers, a device (built from the same primitives) checks.</summary>
public sealed class JoinCryptoTests
{
    private static readonly Key128 Key4242 = Key128.Parse("4242ffffffffffffffffffffffffffff");
    private static readonly Key128 Key42 = Key128.Parse("42ffffffffffffffffffffffffffffff");

    // TTS JS vectors: B9 (request, NwkKey 4242ff..) and C10 (legacy MIC with the same key, for MAC 1.0.x).
    [Fact]
    public void Lorawan_1_0_answer_matches_the_published_mic()
    {
        var request = Convert.FromHexString("00ffffffffffffff42ffffffffffff4242010029a8e57d");
        var fields = new JoinAcceptFields(new JoinNonce(1), NetId.Parse("42ffff"), DevAddr.Parse("42ffffff"), new DLSettings(0x7f), new RxDelay(0x42), null);
        var buffer = new byte[JoinAccept.SizeWithCFList];

        var answer = JoinCrypto.Answer(request, RootKeys.ForLorawan10(new NwkKey(Key4242)), MacVersion.V1_0_3, fields, buffer).Value;

        var accept = JoinAccept.Decrypt(new AesCipher(Key4242), buffer.AsSpan(0, answer.JoinAcceptLength)).Value;
        accept.Mic.ToString().Should().Be("9a991e72");
        answer.SessionKeys.Should().Be(KeyDerivation.DeriveLorawan10(new AesCipher(Key4242), fields.JoinNonce, fields.NetId, new DevNonce(1)));
    }

    // TTS JS vectors: B8 (request, NwkKey 4242ff..) and D4 (1.1 MIC, DLSettings ff with OptNeg).
    [Fact]
    public void Lorawan_1_1_answer_matches_the_published_mic()
    {
        var request = Convert.FromHexString("00ffffffffffffff42ffffffffffff424200005517548e");
        var fields = new JoinAcceptFields(new JoinNonce(1), NetId.Parse("42ffff"), DevAddr.Parse("42ffffff"), new DLSettings(0xff), new RxDelay(0x42), null);
        var buffer = new byte[JoinAccept.SizeWithCFList];

        var answer = JoinCrypto.Answer(request, RootKeys.ForLorawan11(new NwkKey(Key4242), new AppKey(Key42)), MacVersion.V1_1, fields, buffer).Value;

        var accept = JoinAccept.Decrypt(new AesCipher(Key4242), buffer.AsSpan(0, answer.JoinAcceptLength)).Value;
        accept.Mic.ToString().Should().Be("ebcd7459");
        answer.SessionKeys.AppSKey.Should().Be(KeyDerivation.DeriveLorawan11(new AesCipher(Key4242), new AesCipher(Key42), fields.JoinNonce, answer.Request.JoinEui, new DevNonce(0)).AppSKey);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 100)]
    public void Device_accepts_what_the_join_server_answers(Key128 nwkKey, Key128 appKey, JoinEui joinEui, DevEui devEui, DevNonce devNonce, JoinAccept template, bool lorawan11)
    {
        var nwk = new AesCipher(nwkKey);
        var request = new JoinRequest(joinEui, devEui, devNonce, default).Sign(in nwk);
        var fields = new JoinAcceptFields(template.JoinNonce, template.NetId, template.DevAddr, template.DLSettings, template.RxDelay, template.CFList);
        var keys = lorawan11 ? RootKeys.ForLorawan11(new NwkKey(nwkKey), new AppKey(appKey)) : RootKeys.ForLorawan10(new NwkKey(nwkKey));
        var buffer = new byte[JoinAccept.SizeWithCFList];

        var answer = JoinCrypto.Answer(request.ToArray(), keys, lorawan11 ? MacVersion.V1_1 : MacVersion.V1_0_2, fields, buffer).Value;

        var accept = JoinAccept.Decrypt(in nwk, buffer.AsSpan(0, answer.JoinAcceptLength)).Value;
        accept.Should().Be(new JoinAccept(fields.JoinNonce, fields.NetId, fields.DevAddr, fields.DLSettings, fields.RxDelay, fields.CFList, accept.Mic));
        var uses11 = lorawan11 && fields.DLSettings.OptNeg;
        var jsIntKey = new AesCipher(KeyDerivation.DeriveJSIntKey(in nwk, devEui).Key);
        (uses11 ? accept.VerifyMic11(in jsIntKey, JoinReqType.JoinRequest, joinEui, devNonce.Value) : accept.VerifyLegacyMic(in nwk)).Should().BeTrue();
        answer.SessionKeys.Should().Be(uses11
            ? KeyDerivation.DeriveLorawan11(in nwk, new AesCipher(appKey), fields.JoinNonce, joinEui, devNonce)
            : KeyDerivation.DeriveLorawan10(in nwk, fields.JoinNonce, fields.NetId, devNonce));
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 50)]
    public void A_request_signed_with_another_key_is_refused(Key128 nwkKey, Key128 otherKey, JoinEui joinEui, DevEui devEui, DevNonce devNonce)
    {
        var request = new JoinRequest(joinEui, devEui, devNonce, default).Sign(new AesCipher(otherKey));
        var fields = new JoinAcceptFields(new JoinNonce(1), new NetId(0), new DevAddr(0), default, default, null);

        var result = JoinCrypto.Answer(request.ToArray(), RootKeys.ForLorawan10(new NwkKey(nwkKey)), MacVersion.V1_0_3, fields, new byte[33]);

        result.IsSuccess.Should().Be(nwkKey == otherKey);
        if (!result.IsSuccess)
        {
            result.Error.Kind.Should().Be(FrameErrorKind.MicMismatch);
            result.Error.Message.Should().Be("JoinRequest MIC does not verify.");
        }
    }

    [Fact]
    public void A_malformed_request_is_a_frame_error()
    {
        var fields = new JoinAcceptFields(new JoinNonce(1), new NetId(0), new DevAddr(0), default, default, null);
        var result = JoinCrypto.Answer(new byte[22], RootKeys.ForLorawan10(new NwkKey(Key42)), MacVersion.V1_0_3, fields, new byte[33]);
        result.Error!.Message.Should().Be("JoinRequest must be 23 bytes, got 22.");
    }

    [Fact]
    public void Lorawan_1_1_with_opt_neg_needs_an_app_key()
    {
        var request = new JoinRequest(default, default, default, default).Sign(new AesCipher(Key42)).ToArray();
        var fields = new JoinAcceptFields(new JoinNonce(1), new NetId(0), new DevAddr(0), new DLSettings(0x80), default, null);
        var act = () => JoinCrypto.Answer(request, RootKeys.ForLorawan10(new NwkKey(Key42)), MacVersion.V1_1, fields, new byte[33]);
        act.Should().Throw<ArgumentException>().WithMessage("A LoRaWAN 1.1 join with OptNeg needs the device's AppKey.*");
    }
}
