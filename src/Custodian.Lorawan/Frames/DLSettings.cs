using System.Globalization;

namespace Custodian.Lorawan.Frames;

/// <summary>The JoinAccept DLSettings byte: OptNeg (bit 7, RFU before 1.1), RX1DRoffset (bits 6..4), RX2DataRate (bits 3..0).</summary>
public readonly record struct DLSettings(byte Value)
{
    public DLSettings(bool optNeg, int rx1DrOffset, int rx2DataRate)
        : this(Compose(optNeg, rx1DrOffset, rx2DataRate))
    {
    }

    /// <summary>Set by a LoRaWAN 1.1 network: the device then uses the 1.1 MIC and key derivation.</summary>
    public bool OptNeg => (Value & 0x80) != 0;

    public int Rx1DrOffset => (Value >> 4) & 0x07;

    public int Rx2DataRate => Value & 0x0F;

    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"0x{Value:X2} (OptNeg {(OptNeg ? 1 : 0)}, RX1DROffset {Rx1DrOffset}, RX2DataRate {Rx2DataRate})");

    private static byte Compose(bool optNeg, int rx1DrOffset, int rx2DataRate)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rx1DrOffset);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rx1DrOffset, 7);
        ArgumentOutOfRangeException.ThrowIfNegative(rx2DataRate);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rx2DataRate, 15);
        return (byte)((optNeg ? 0x80 : 0) | (rx1DrOffset << 4) | rx2DataRate);
    }
}
