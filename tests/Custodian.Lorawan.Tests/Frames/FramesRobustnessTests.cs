using System.Globalization;
using Custodian.Lorawan.Crypto;
using Custodian.Lorawan.Frames;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace Custodian.Lorawan.Tests.Frames;

/// <summary>
/// The frame decoders are total: any bytes give either a frame that re-encodes to exactly those
/// bytes, or a <see cref="FrameError"/> of the right kind with a precise message. Inputs are valid
/// frames of every kind, mutated (bit flips, truncation, extension, insertion, deletion), and
/// random bytes, some with a plausible MHDR and length so that the deeper checks are reached.
/// </summary>
public sealed class FramesRobustnessTests
{
    private const int Cases = 1000;

    [Property(Arbitrary = [typeof(FrameArbitraries)], MaxTest = Cases)]
    public void JoinRequest_decode_is_total_and_exact(FrameBytes input)
    {
        var bytes = input.Bytes;
        var result = JoinRequest.Decode(bytes);

        result.IsSuccess.Should().Be(bytes.Length == JoinRequest.Size && bytes[0] == JoinRequest.Mhdr);
        if (result.TryGetValue(out var request, out var error))
        {
            request.ToArray().Should().Equal(bytes);
            return;
        }
        ShouldBePrecise(error, bytes, JoinRequest.Size);
        ShouldThrowItsMessageFromValue(result, error);
    }

    [Property(Arbitrary = [typeof(FrameArbitraries)], MaxTest = Cases)]
    public void RejoinRequest_decode_is_total_and_exact(FrameBytes input)
    {
        var bytes = input.Bytes;
        var result = RejoinRequest.Decode(bytes);

        var expectedSize = bytes.Length >= 2 && bytes[1] == 1 ? RejoinRequest.SizeType1 : RejoinRequest.SizeType0Or2;
        result.IsSuccess.Should().Be(bytes.Length == expectedSize && bytes[0] == RejoinRequest.Mhdr && bytes[1] <= 2);
        if (result.TryGetValue(out var request, out var error))
        {
            ((byte)request.Type).Should().Be(bytes[1]);
            request.ToArray().Should().Equal(bytes);
            return;
        }
        error.Message.Should().NotBeNullOrWhiteSpace();
        if (bytes.Length < 2)
        {
            error.Kind.Should().Be(FrameErrorKind.WrongLength);
            error.Message.Should().Contain(Invariant($"got {bytes.Length}"));
        }
        else if (bytes[0] != RejoinRequest.Mhdr)
        {
            error.Kind.Should().Be(FrameErrorKind.WrongMessageType);
            error.Message.Should().Contain(Invariant($"0x{bytes[0]:X2}"));
        }
        else if (bytes[1] > 2)
        {
            error.Kind.Should().Be(FrameErrorKind.InvalidField);
            error.Message.Should().Contain(Invariant($"RejoinType {bytes[1]}"));
        }
        else
        {
            error.Kind.Should().Be(FrameErrorKind.WrongLength);
            error.Message.Should().Contain(Invariant($"type {bytes[1]}")).And.Contain(Invariant($"got {bytes.Length}"));
        }
        ShouldThrowItsMessageFromValue(result, error);
    }

    [Property(Arbitrary = [typeof(FrameArbitraries)], MaxTest = Cases)]
    public void JoinAccept_decode_is_total_and_exact(FrameBytes input)
    {
        var bytes = input.Bytes;
        var result = JoinAccept.Decode(bytes);

        result.IsSuccess.Should().Be(bytes.Length is JoinAccept.SizeWithoutCFList or JoinAccept.SizeWithCFList && bytes[0] == JoinAccept.Mhdr);
        if (result.TryGetValue(out var accept, out var error))
        {
            accept.Length.Should().Be(bytes.Length);
            (accept.CFList is not null).Should().Be(bytes.Length == JoinAccept.SizeWithCFList);
            var encoded = new byte[accept.Length];
            accept.EncodePlaintext(encoded).Should().Be(bytes.Length);
            encoded.Should().Equal(bytes);
            return;
        }
        ShouldBePrecise(error, bytes, JoinAccept.SizeWithoutCFList, JoinAccept.SizeWithCFList);
        ShouldThrowItsMessageFromValue(result, error);
    }

    [Property(Arbitrary = [typeof(FrameArbitraries), typeof(Generators)], MaxTest = Cases)]
    public void JoinAccept_decrypt_is_total_and_encrypts_back(Key128 key, FrameBytes input)
    {
        var bytes = input.Bytes;
        var cipher = new AesCipher(key);
        var result = JoinAccept.Decrypt(in cipher, bytes);

        // The MHDR travels in clear, so only the length and the MHDR can make decryption fail.
        result.IsSuccess.Should().Be(bytes.Length is JoinAccept.SizeWithoutCFList or JoinAccept.SizeWithCFList && bytes[0] == JoinAccept.Mhdr);
        if (result.TryGetValue(out var accept, out var error))
        {
            var encrypted = new byte[accept.Length];
            accept.Encrypt(in cipher, encrypted).Should().Be(bytes.Length);
            encrypted.Should().Equal(bytes);
            return;
        }
        ShouldBePrecise(error, bytes, JoinAccept.SizeWithoutCFList, JoinAccept.SizeWithCFList);
        ShouldThrowItsMessageFromValue(result, error);
    }

    /// <summary>The MHDRs differ, so no bytes are two kinds of frame at once.</summary>
    [Property(Arbitrary = [typeof(FrameArbitraries)], MaxTest = Cases)]
    public void At_most_one_decoder_accepts_any_bytes(FrameBytes input)
    {
        var accepted = new[]
        {
            JoinRequest.Decode(input.Bytes).IsSuccess,
            RejoinRequest.Decode(input.Bytes).IsSuccess,
            JoinAccept.Decode(input.Bytes).IsSuccess,
        };

        accepted.Count(a => a).Should().BeLessThanOrEqualTo(1);
    }

    /// <summary>A wrong length is reported before a wrong MHDR, and each names what it got.</summary>
    private static void ShouldBePrecise(FrameError error, byte[] bytes, params int[] sizes)
    {
        error.Message.Should().NotBeNullOrWhiteSpace();
        error.ToString().Should().Be(error.Message);
        if (!sizes.Contains(bytes.Length))
        {
            error.Kind.Should().Be(FrameErrorKind.WrongLength);
            error.Message.Should().Contain(Invariant($"got {bytes.Length}"));
        }
        else
        {
            error.Kind.Should().Be(FrameErrorKind.WrongMessageType);
            error.Message.Should().Contain(Invariant($"MHDR 0x{bytes[0]:X2}"));
        }
    }

    private static void ShouldThrowItsMessageFromValue<T>(FrameResult<T> result, FrameError error)
        where T : struct
    {
        Thrown.By<InvalidOperationException>(() => _ = result.Value).Message.Should().Be(error.Message);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Bytes given to a frame decoder; printed as hex so that a failure is its own reproduction.</summary>
public sealed record FrameBytes(byte[] Bytes)
{
    public override string ToString() => $"\"{Convert.ToHexString(Bytes)}\" ({Bytes.Length} bytes)";
}

public static class FrameArbitraries
{
    public static Arbitrary<FrameBytes> FrameBytesValues() =>
        Gen.Frequency(
            (3, Valid),
            (6, from valid in Valid from seed in RobustnessMutations.Seeds select RobustnessMutations.MutateBytes(valid, seed)),
            (2, RobustnessMutations.RandomBytes(40)),
            (2, Plausible))
        .Select(bytes => new FrameBytes(bytes))
        .ToArbitrary();

    /// <summary>A valid frame of any kind: JoinRequest, RejoinRequest 0/1/2, JoinAccept with or without CFList.</summary>
    private static Gen<byte[]> Valid =>
        Gen.OneOf(
            from joinEui in Generators.JoinEuis().Generator
            from devEui in Generators.DevEuis().Generator
            from devNonce in Generators.DevNonces().Generator
            from mic in Generators.Mics().Generator
            select new JoinRequest(joinEui, devEui, devNonce, mic).ToArray(),
            Generators.RejoinRequests().Generator.Select(r => r.ToArray()),
            Generators.JoinAccepts().Generator.Select(a =>
            {
                var bytes = new byte[a.Length];
                a.EncodePlaintext(bytes);
                return bytes;
            }));

    /// <summary>Random bytes of a frame's length, led by one of the MHDRs (and RejoinTypes) in play.</summary>
    private static Gen<byte[]> Plausible =>
        from length in Gen.Elements(0, 1, 2, 16, 17, 18, 19, 22, 23, 24, 25, 32, 33, 34)
        from bytes in Generators.Bytes(length)
        from mhdr in Gen.Elements<byte>(0x00, 0x20, 0xC0, 0x40, 0xE0, 0x01, 0x21, 0xC1)
        from rejoinType in Gen.Elements<byte>(0, 1, 2, 3, 0xFF)
        select Lead(bytes, mhdr, rejoinType);

    private static byte[] Lead(byte[] bytes, byte mhdr, byte second)
    {
        if (bytes.Length > 0)
        {
            bytes[0] = mhdr;
        }
        if (bytes.Length > 1)
        {
            bytes[1] = second;
        }
        return bytes;
    }
}
