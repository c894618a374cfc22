using System.Globalization;

namespace Custodian.Lorawan.Frames;

/// <summary>
/// The JoinAccept RxDelay byte. Bits 3..0 give the RX1 delay in seconds, where 0 also means 1 s.
/// The upper bits are RFU and kept as received (some stacks send them set).
/// </summary>
public readonly record struct RxDelay(byte Value)
{
    public int Seconds => Math.Max(1, Value & 0x0F);

    public static RxDelay FromSeconds(int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(seconds, 15);
        return new RxDelay((byte)seconds);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"0x{Value:X2} ({Seconds} s)");
}
