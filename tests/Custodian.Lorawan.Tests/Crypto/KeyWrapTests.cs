using System.Security.Cryptography;
using Custodian.Lorawan.Crypto;
using FsCheck.Xunit;

namespace Custodian.Lorawan.Tests.Crypto;

public sealed class KeyWrapTests
{
    [Property(Arbitrary = [typeof(Generators)], MaxTest = 100)]
    public void Unwrap_inverts_wrap(Kek kek, KeyData data)
    {
        var wrapped = AesKeyWrap.Wrap(kek.Bytes, data.Bytes);
        wrapped.Length.Should().Be(data.Bytes.Length + 8);
        AesKeyWrap.Unwrap(kek.Bytes, wrapped).Should().Equal(data.Bytes);
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 100)]
    public void A_flipped_bit_fails_the_integrity_check(Kek kek, KeyData data, byte position, byte bit)
    {
        var wrapped = AesKeyWrap.Wrap(kek.Bytes, data.Bytes);
        wrapped[position % wrapped.Length] ^= (byte)(1 << (bit % 8));

        var destination = new byte[data.Bytes.Length];
        AesKeyWrap.TryUnwrap(kek.Bytes, wrapped, destination, out var error).Should().BeFalse();
        error.Should().Be("Unwrapped key failed the integrity check: wrong KEK or corrupted data.");
        destination.Should().OnlyContain(b => b == 0);
    }

    [Fact]
    public void Errors_say_what_is_wrong()
    {
        var kek = new byte[16];
        ((Action)(() => AesKeyWrap.Wrap(kek, new byte[8]))).Should().Throw<ArgumentException>()
            .WithMessage("Key data to wrap must be at least 16 bytes and a multiple of 8, got 8.*");
        ((Action)(() => AesKeyWrap.Wrap(new byte[8], new byte[16]))).Should().Throw<ArgumentException>()
            .WithMessage("A KEK must be 16, 24 or 32 bytes, got 8.*");
        ((Action)(() => AesKeyWrap.Unwrap(kek, new byte[20]))).Should().Throw<CryptographicException>()
            .WithMessage("A wrapped key must be at least 24 bytes and a multiple of 8, got 20.");
    }

    [Fact]
    public void Envelope_with_the_wrong_kek_is_refused()
    {
        var key = Key128.Generate();
        var envelope = KeyEnvelope.Seal(key, new KeyEncryptionKey("ns-1", new byte[16]));

        envelope.IsWrapped.Should().BeTrue();
        envelope.TryOpen(null, out _, out var missing).Should().BeFalse();
        missing.Should().Be("KeyEnvelope is wrapped with KEK 'ns-1', which is not available.");
        envelope.TryOpen(new KeyEncryptionKey("ns-1", Enumerable.Repeat((byte)1, 16).ToArray()), out _, out var wrong).Should().BeFalse();
        wrong.Should().Contain("integrity check");
    }

    [Fact]
    public void Kek_and_envelope_text_hides_key_material()
    {
        var keyBytes = Convert.FromHexString("0102030405060708090a0b0c0d0e0f10");
        var kek = new KeyEncryptionKey("as-kek", keyBytes);
        var plain = KeyEnvelope.Plain(Key128.FromBytes(keyBytes));

        kek.ToString().Should().Be("KeyEncryptionKey as-kek (redacted)");
        plain.ToString().Should().NotContainEquivalentOf("0102030405060708");
        plain.ToString().Should().Contain("redacted");
    }
}
