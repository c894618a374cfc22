namespace Custodian.Labels.Qr;

/// <summary>
/// GF(256) with the QR code's primitive polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D) and generator α = 2, as exponent and
/// logarithm tables so a product is two look-ups and an addition.
/// </summary>
internal static class GaloisField
{
    private const int Polynomial = 0x11D;

    /// <summary>αⁱ for i in 0..509: doubled so the sum of two logarithms needs no reduction modulo 255.</summary>
    private static readonly byte[] Exp = BuildExp();

    /// <summary>log_α(v) for v in 1..255; entry 0 is unused (zero has no logarithm).</summary>
    private static readonly byte[] Log = BuildLog();

    /// <summary>α^exponent for exponent in 0..509: the sum of two logarithms, unreduced.</summary>
    public static byte Power(int exponent) => Exp[exponent];

    public static int Logarithm(byte value) => value == 0
        ? throw new ArgumentOutOfRangeException(nameof(value), "Zero has no logarithm.")
        : Log[value];

    public static byte Multiply(byte a, byte b) => a == 0 || b == 0 ? (byte)0 : Exp[Log[a] + Log[b]];

    private static byte[] BuildExp()
    {
        var exp = new byte[510];
        var value = 1;
        for (var i = 0; i < 255; i++)
        {
            exp[i] = exp[i + 255] = (byte)value;
            value <<= 1;
            if (value > 0xFF)
            {
                value ^= Polynomial;
            }
        }
        return exp;
    }

    private static byte[] BuildLog()
    {
        var log = new byte[256];
        for (var i = 0; i < 255; i++)
        {
            log[Exp[i]] = (byte)i;
        }
        return log;
    }
}
