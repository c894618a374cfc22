namespace Custodian.Labels.Qr;

/// <summary>ISO/IEC 18004 error correction levels, in the order the block tables use (L, M, Q, H).</summary>
internal enum QrErrorCorrection
{
    /// <summary>About 7 % of codewords recoverable.</summary>
    L = 0,

    /// <summary>About 15 % of codewords recoverable: what every Custodian label uses.</summary>
    M = 1,

    /// <summary>About 25 % of codewords recoverable.</summary>
    Q = 2,

    /// <summary>About 30 % of codewords recoverable.</summary>
    H = 3,
}

internal static class QrErrorCorrectionExtensions
{
    /// <summary>The two bits the format information carries: the standard numbers the levels 01, 00, 11, 10, not 0–3.</summary>
    public static int FormatBits(this QrErrorCorrection level) => level switch
    {
        QrErrorCorrection.L => 1,
        QrErrorCorrection.M => 0,
        QrErrorCorrection.Q => 3,
        QrErrorCorrection.H => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(level), level, "Not an error correction level."),
    };
}
