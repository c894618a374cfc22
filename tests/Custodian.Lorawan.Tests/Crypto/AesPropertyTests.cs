using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using Custodian.Lorawan.Crypto;
using FsCheck.Xunit;

namespace Custodian.Lorawan.Tests.Crypto;

public sealed class AesPropertyTests
{
    [Fact]
    public void This_machine_uses_aes_ni() =>
        AesCipher.IsHardwareAccelerated.Should().Be(System.Runtime.Intrinsics.X86.Aes.IsSupported);

    [Fact]
    public void A_cipher_made_without_a_key_refuses_to_work()
    {
        var cipher = default(AesCipher);

        ((Func<Vector128<byte>>)(() => cipher.EncryptBlock(Vector128<byte>.Zero))).Should().Throw<InvalidOperationException>();
        ((Func<Vector128<byte>>)(() => cipher.DecryptBlock(Vector128<byte>.Zero))).Should().Throw<InvalidOperationException>();
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 300)]
    public void Schedule_encrypts_and_decrypts_like_the_bcl(Key128 key, Block block)
    {
        using var bcl = BclAes(key);
        var cipher = new AesCipher(key);

        var encrypted = new byte[16];
        cipher.EncryptBlock(block.Bytes, encrypted);
        encrypted.Should().Equal(bcl.EncryptEcb(block.Bytes, PaddingMode.None));

        var decrypted = new byte[16];
        cipher.DecryptBlock(block.Bytes, decrypted);
        decrypted.Should().Equal(bcl.DecryptEcb(block.Bytes, PaddingMode.None));
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 100)]
    public void Fallback_matches_the_hardware_path(Key128 key, Block block)
    {
        var hardware = new AesCipher(key);
        var fallback = new AesCipher(key, useHardware: false);
        var input = Vector128.Create(block.Bytes);

        fallback.EncryptBlock(input).Should().Be(hardware.EncryptBlock(input));
        fallback.DecryptBlock(input).Should().Be(hardware.DecryptBlock(input));
    }

    [Property(Arbitrary = [typeof(Generators)], MaxTest = 100)]
    public void Cmac_is_the_same_on_both_paths(Key128 key, byte[] message)
    {
        AesCmac.Compute(new AesCipher(key, useHardware: false), message)
            .Should().Be(AesCmac.Compute(new AesCipher(key), message));
    }

    [Fact]
    public void Block_operations_reject_a_short_block()
    {
        var cipher = new AesCipher(Key128.Generate());
        var act = () => cipher.EncryptBlock(new byte[15], new byte[16]);
        act.Should().Throw<ArgumentException>().WithMessage("An AES block is 16 bytes, got 15.*");
    }

    private static Aes BclAes(Key128 key)
    {
        var aes = Aes.Create();
        var bytes = new byte[16];
        key.ExportSecret(bytes);
        aes.Key = bytes;
        return aes;
    }
}
