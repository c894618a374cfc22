using Custodian.Labels.Qr;

namespace Custodian.Labels.Tests;

/// <summary>Reed–Solomon over GF(256)/0x11D against published vectors.</summary>
public sealed class ReedSolomonTests
{
    [Fact]
    public void Hello_world_1_M_gives_thonkys_error_correction_codewords()
    {
        // "HELLO WORLD", version 1-M, alphanumeric: thonky.com's QR code tutorial, error correction coding.
        byte[] data = [0x20, 0x5B, 0x0B, 0x78, 0xD1, 0x72, 0xDC, 0x4D, 0x43, 0x40, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11];
        var ecc = new byte[10];

        ReedSolomon.Compute(data, ecc);

        ecc.Should().Equal(0xC4, 0x23, 0x27, 0x77, 0xEB, 0xD7, 0xE7, 0xE2, 0x5D, 0x17);
    }

    [Fact]
    public void Annex_I_01234567_1_M_gives_the_standards_error_correction_codewords()
    {
        // ISO/IEC 18004 annex I: "01234567" in version 1-M, numeric.
        byte[] data = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11];
        var ecc = new byte[10];

        ReedSolomon.Compute(data, ecc);

        ecc.Should().Equal(0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55);
    }
}
