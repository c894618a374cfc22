using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;
using FsCheck.Xunit;

namespace Custodian.Lorawan.Tests.Frames;

public sealed class FrameTests
{
    [Property(Arbitrary = [typeof(Generators)])]
    public void Join_request_round_trips(JoinEui joinEui, DevEui devEui, DevNonce devNonce, Mic mic)
    {
        var request = new JoinRequest(joinEui, devEui, devNonce, mic);
        var bytes = request.ToArray();
        bytes.Length.Should().Be(JoinRequest.Size);
        JoinRequest.Decode(bytes).Value.Should().Be(request);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 100)]
    public void Join_request_with_a_flipped_bit_fails_its_mic(Key128 key, JoinEui joinEui, DevEui devEui, DevNonce devNonce, byte position, byte bit)
    {
        var cipher = new AesCipher(key);
        var bytes = new JoinRequest(joinEui, devEui, devNonce, default).Sign(in cipher).ToArray();
        bytes[1 + (position % (JoinRequest.Size - 1))] ^= (byte)(1 << (bit % 8));

        JoinRequest.Decode(bytes).Value.VerifyMic(in cipher).Should().BeFalse();
    }

    [Property(Arbitrary = [typeof(Generators)])]
    public void Rejoin_request_round_trips(RejoinRequest request)
    {
        var bytes = request.ToArray();
        bytes.Length.Should().Be(request.Type == RejoinType.Type1 ? 24 : 19);
        RejoinRequest.Decode(bytes).Value.Should().Be(request);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 100)]
    public void Rejoin_request_mic_verifies_and_tampering_fails(Key128 key, RejoinRequest template, byte position)
    {
        if (template.Type == RejoinType.Type1)
        {
            var signed = template.Sign(new JSIntKey(key));
            signed.VerifyMic(new JSIntKey(key)).Should().BeTrue();
            (signed with { Mic = new Mic(signed.Mic.Value ^ (1u << (position % 32))) }).VerifyMic(new JSIntKey(key)).Should().BeFalse();
        }
        else
        {
            var signed = template.Sign(new SNwkSIntKey(key));
            signed.VerifyMic(new SNwkSIntKey(key)).Should().BeTrue();
            (signed with { Mic = new Mic(signed.Mic.Value ^ (1u << (position % 32))) }).VerifyMic(new SNwkSIntKey(key)).Should().BeFalse();
        }
    }

    [Fact]
    public void Rejoin_request_refuses_the_wrong_key_role()
    {
        var act = () => RejoinRequest.Type1(default, default, 0).Sign(new SNwkSIntKey(Key128.Generate()));
        act.Should().Throw<InvalidOperationException>().WithMessage("A type 1 RejoinRequest is signed with the JSIntKey, not the SNwkSIntKey.");
    }

    [Property(Arbitrary = [typeof(Generators)])]
    public void Join_accept_plaintext_round_trips(JoinAccept accept)
    {
        var bytes = new byte[accept.Length];
        accept.EncodePlaintext(bytes).Should().Be(accept.CFList is null ? 17 : 33);
        JoinAccept.Decode(bytes).Value.Should().Be(accept);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 100)]
    public void Join_accept_decrypt_inverts_encrypt(Key128 key, JoinAccept accept)
    {
        var cipher = new AesCipher(key);
        var phyPayload = new byte[accept.Length];
        accept.Encrypt(in cipher, phyPayload);
        phyPayload[0].Should().Be(JoinAccept.Mhdr);
        JoinAccept.Decrypt(in cipher, phyPayload).Value.Should().Be(accept);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 100)]
    public void Join_accept_with_a_tampered_mic_is_rejected(Key128 key, JoinAccept template, JoinEui joinEui, DevNonce devNonce, byte position)
    {
        var cipher = new AesCipher(key);
        var flip = 1u << (position % 32);

        var legacy = template.SignLegacy(in cipher);
        legacy.VerifyLegacyMic(in cipher).Should().BeTrue();
        (legacy with { Mic = new Mic(legacy.Mic.Value ^ flip) }).VerifyLegacyMic(in cipher).Should().BeFalse();

        var v11 = template.Sign11(in cipher, JoinReqType.JoinRequest, joinEui, devNonce.Value);
        v11.VerifyMic11(in cipher, JoinReqType.JoinRequest, joinEui, devNonce.Value).Should().BeTrue();
        v11.VerifyMic11(in cipher, JoinReqType.RejoinType0, joinEui, devNonce.Value).Should().BeFalse();
        (v11 with { Mic = new Mic(v11.Mic.Value ^ flip) }).VerifyMic11(in cipher, JoinReqType.JoinRequest, joinEui, devNonce.Value).Should().BeFalse();
    }

    [Theory]
    [InlineData("00", "JoinRequest must be 23 bytes, got 1.")]
    [InlineData("0001020304050607080910111213141516171819202122", "MHDR 0x00 is not a JoinRequest.")]
    public void Join_request_errors_are_precise(string hex, string message)
    {
        // The second frame is valid except for its MHDR, which the test replaces.
        var bytes = Convert.FromHexString(hex);
        if (bytes.Length == JoinRequest.Size)
        {
            bytes[0] = 0x40;
            message = "MHDR 0x40 is not a JoinRequest.";
        }
        var error = JoinRequest.Decode(bytes).Error!;
        error.Message.Should().Be(message);
        error.Kind.Should().Be(bytes.Length == JoinRequest.Size ? FrameErrorKind.WrongMessageType : FrameErrorKind.WrongLength);
    }

    [Fact]
    public void Join_request_of_22_bytes_is_refused()
    {
        var error = JoinRequest.Decode(new byte[22]).Error!;
        error.Kind.Should().Be(FrameErrorKind.WrongLength);
        error.Message.Should().Be("JoinRequest must be 23 bytes, got 22.");
        ((Func<JoinRequest>)(() => JoinRequest.Decode(new byte[22]).Value)).Should().Throw<InvalidOperationException>()
            .WithMessage("JoinRequest must be 23 bytes, got 22.");
    }

    [Theory]
    [InlineData("c0", "RejoinRequest must be 19 or 24 bytes, got 1.")]
    [InlineData("20000000000000000000000000000000000000", "MHDR 0x20 is not a RejoinRequest.")]
    [InlineData("c0030000000000000000000000000000000000", "RejoinType 3 is not 0, 1 or 2.")]
    [InlineData("c0010000000000000000000000000000000000", "RejoinRequest type 1 must be 24 bytes, got 19.")]
    [InlineData("c000000000000000000000000000000000000000000000", "RejoinRequest type 0 must be 19 bytes, got 23.")]
    public void Rejoin_request_errors_are_precise(string hex, string message) =>
        RejoinRequest.Decode(Convert.FromHexString(hex)).Error!.Message.Should().Be(message);

    [Theory]
    [InlineData(16, "JoinAccept must be 17 or 33 bytes, got 16.")]
    [InlineData(18, "JoinAccept must be 17 or 33 bytes, got 18.")]
    public void Join_accept_errors_are_precise(int length, string message)
    {
        JoinAccept.Decode(new byte[length]).Error!.Message.Should().Be(message);
        JoinAccept.Decrypt(new AesCipher(Key128.Generate()), new byte[length]).Error!.Message.Should().Be(message);
    }

    [Fact]
    public void Join_accept_with_another_mhdr_is_refused()
    {
        var bytes = new byte[17];
        bytes[0] = 0x60;
        JoinAccept.Decode(bytes).Error!.Message.Should().Be("MHDR 0x60 is not a JoinAccept.");
    }

    [Theory]
    [InlineData(0xEF, true, 6, 15)]
    [InlineData(0x15, false, 1, 5)]
    [InlineData(0x95, true, 1, 5)]
    public void DLSettings_fields(byte value, bool optNeg, int rx1DrOffset, int rx2DataRate)
    {
        var settings = new DLSettings(value);
        settings.OptNeg.Should().Be(optNeg);
        settings.Rx1DrOffset.Should().Be(rx1DrOffset);
        settings.Rx2DataRate.Should().Be(rx2DataRate);
        new DLSettings(optNeg, rx1DrOffset, rx2DataRate).Should().Be(settings);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(5, 5)]
    [InlineData(0x42, 2)]
    public void RxDelay_seconds(byte value, int seconds) => new RxDelay(value).Seconds.Should().Be(seconds);

    [Fact]
    public void CFList_frequencies_decode_as_published()
    {
        // TTS http_interop_internal_test.go: 42FFFF FFFFFF FFFFFF FFFFFF 00000000.
        var cfList = CFList.Decode(Convert.FromHexString("42FFFFFFFFFFFFFFFFFFFFFF00000000")).Value;
        cfList.Type.Should().Be(CFListType.Frequencies);
        Enumerable.Range(0, 5).Select(cfList.GetFrequency100Hz).Should().Equal(0xFFFF42u, 0xFFFFFFu, 0xFFFFFFu, 0xFFFFFFu, 0u);
    }

    [Fact]
    public void CFList_frequencies_round_trip()
    {
        uint[] frequencies = [8671000, 8673000, 8675000, 8677000, 8679000];
        var cfList = CFList.FromFrequencies(frequencies);
        CFList.Decode(cfList.ToArray()).Value.Should().Be(cfList);
        Enumerable.Range(0, 5).Select(cfList.GetFrequency100Hz).Should().Equal(frequencies);
    }

    [Fact]
    public void CFList_channel_mask_round_trips()
    {
        var cfList = CFList.FromEnabledChannels([0, 8, 15, 64, 71]);
        cfList.Type.Should().Be(CFListType.ChannelMask);
        cfList.ToString().Should().Be("01810000000000008100000000000001");
        Enumerable.Range(0, 96).Where(cfList.IsChannelEnabled).Should().Equal(0, 8, 15, 64, 71);
    }

    [Fact]
    public void CFList_of_the_wrong_length_is_refused() =>
        CFList.Decode(new byte[15]).Error!.Message.Should().Be("CFList must be 16 bytes, got 15.");

    [Fact]
    public void Mic_text_is_the_frame_bytes() =>
        Mic.Read(Convert.FromHexString("6ce3deb6")).ToString().Should().Be("6ce3deb6");
}
