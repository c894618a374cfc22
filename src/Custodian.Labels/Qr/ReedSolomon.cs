namespace Custodian.Labels.Qr;

/// <summary>
/// The QR code's Reed–Solomon error correction: the remainder of the data polynomial times x^n divided by the generator
/// (x − α⁰)(x − α¹)…(x − αⁿ⁻¹). Generators for every length a QR code uses (7..30) are built once.
/// </summary>
internal static class ReedSolomon
{
    public const int MaxEccLength = 30;

    // Generator coefficients below the leading 1, highest degree first, kept as logarithms: every coefficient of these
    // generators is non-zero, so the division's inner product is one table look-up.
    private static readonly byte[][] GeneratorLogs = BuildGenerators();

    /// <summary>Writes <paramref name="ecc"/>.Length error correction codewords for <paramref name="data"/>.</summary>
    public static void Compute(ReadOnlySpan<byte> data, Span<byte> ecc)
    {
        var length = ecc.Length;
        if (length is < 1 or > MaxEccLength)
        {
            throw new ArgumentOutOfRangeException(nameof(ecc), length, "QR codes use 1 to 30 error correction codewords per block.");
        }
        var generator = GeneratorLogs[length];
        ecc.Clear();
        foreach (var b in data)
        {
            // Long division, one data codeword at a time: the remainder shifts up, the leading term is cancelled.
            var factor = (byte)(b ^ ecc[0]);
            ecc[1..].CopyTo(ecc);
            ecc[^1] = 0;
            if (factor == 0)
            {
                continue;
            }
            var logFactor = GaloisField.Logarithm(factor);
            for (var i = 0; i < length; i++)
            {
                ecc[i] ^= GaloisField.Power(generator[i] + logFactor);
            }
        }
    }

    private static byte[][] BuildGenerators()
    {
        var generators = new byte[MaxEccLength + 1][];
        generators[0] = [];
        for (var length = 1; length <= MaxEccLength; length++)
        {
            // Coefficients of the monic product, leading 1 left out, highest degree first: multiply by (x − αⁱ) in turn.
            var coefficients = new byte[length];
            coefficients[^1] = 1;
            byte root = 1;
            for (var i = 0; i < length; i++)
            {
                for (var j = 0; j < length; j++)
                {
                    coefficients[j] = GaloisField.Multiply(coefficients[j], root);
                    if (j + 1 < length)
                    {
                        coefficients[j] ^= coefficients[j + 1];
                    }
                }
                root = GaloisField.Multiply(root, 2);
            }
            generators[length] = Array.ConvertAll(coefficients, c => (byte)GaloisField.Logarithm(c));
        }
        return generators;
    }
}
