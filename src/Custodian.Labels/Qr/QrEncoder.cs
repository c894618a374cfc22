namespace Custodian.Labels.Qr;

/// <summary>
/// Encodes a text as a QR code (ISO/IEC 18004 model 2, versions 1–40; ASCII in numeric, alphanumeric and byte segments,
/// other text as UTF-8 bytes behind an ECI header), the smallest version that holds it, the mask of lowest penalty.
/// Built for labels drawn by the thousand: per-version layouts and Reed–Solomon generators are computed once, the
/// eight masks are scored on bit rows and columns, and the work buffers are kept per thread.
/// </summary>
internal static class QrEncoder
{
    /// <summary>The most characters any symbol holds (7,089 digits, version 40-L).</summary>
    private const int MaxCharacters = 7089;

    [ThreadStatic]
    private static Scratch? _scratch;

    /// <summary>Encodes <paramref name="text"/>; <paramref name="mask"/> forces a data mask (0–7) instead of scoring them.</summary>
    /// <exception cref="ArgumentException">The text does not fit in a version 40 symbol at this level.</exception>
    public static QrSymbol Encode(string text, QrErrorCorrection errorCorrection = QrErrorCorrection.M, int? mask = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (mask is < 0 or >= QrMask.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(mask), mask, "Masks are numbered 0 to 7.");
        }
        if (text.Length > MaxCharacters)
        {
            throw TooLong(text, errorCorrection);
        }
        // A UTF-16 char never takes more than 3 UTF-8 bytes (a surrogate pair takes 4 for its two chars).
        Span<byte> utf8 = text.Length <= 512 ? stackalloc byte[text.Length * 3] : new byte[text.Length * 3];
        Span<QrSegment> segments = text.Length <= 128 ? stackalloc QrSegment[Math.Max(text.Length, 1)] : new QrSegment[text.Length];
        var version = SmallestVersion(text, errorCorrection, segments, utf8, out var content);
        if (version == 0)
        {
            throw TooLong(text, errorCorrection);
        }
        var blocks = QrBlockStructure.Of(version, errorCorrection);

        Span<byte> data = stackalloc byte[blocks.DataCodewords];
        var writer = new QrBitWriter(data);
        content.WriteTo(ref writer, version);
        writer.Terminate();

        Span<byte> codewords = stackalloc byte[blocks.TotalCodewords];
        Interleave(data, blocks, codewords);

        var template = QrTemplate.For(version);
        var scratch = _scratch ??= new Scratch();
        var unmasked = scratch.Lines(0, template.Size);
        var candidate = scratch.Lines(1, template.Size);
        unmasked.CopyFrom(template.Functions);
        PlaceCodewords(codewords, template, unmasked);

        var chosen = mask ?? ChooseMask(unmasked, template, errorCorrection, candidate);
        DrawMasked(unmasked, template, errorCorrection, chosen, candidate);
        return new QrSymbol(version, errorCorrection, chosen, ToModules(candidate));
    }

    /// <summary>The smallest version the text fits in (0: none), split into segments as that version's range splits it.</summary>
    private static int SmallestVersion(
        string text, QrErrorCorrection errorCorrection, Span<QrSegment> segments, Span<byte> utf8, out QrData content)
    {
        content = QrData.Of(text, QrSegmentation.RangeOf(QrBlockStructure.MinVersion), segments, utf8);
        for (var version = QrBlockStructure.MinVersion; version <= QrBlockStructure.MaxVersion; version++)
        {
            if (version > 1 && QrSegmentation.RangeOf(version) != QrSegmentation.RangeOf(version - 1))
            {
                content = QrData.Of(text, QrSegmentation.RangeOf(version), segments, utf8);
            }
            if (content.BitLength(version) <= QrBlockStructure.Of(version, errorCorrection).DataCodewords * 8)
            {
                return version;
            }
        }
        return 0;
    }

    /// <summary>
    /// Splits the data into blocks, adds each block's error correction, and interleaves: the i-th data codeword of every
    /// block in turn (short blocks have none at the last index), then the i-th error correction codeword of every block.
    /// </summary>
    private static void Interleave(ReadOnlySpan<byte> data, QrBlockStructure blocks, Span<byte> codewords)
    {
        int shortData = blocks.ShortBlockData, eccLength = blocks.EccPerBlock, blockCount = blocks.Blocks;
        Span<byte> ecc = stackalloc byte[ReedSolomon.MaxEccLength];
        ecc = ecc[..eccLength];
        var eccStart = blocks.DataCodewords;
        var offset = 0;
        for (var b = 0; b < blockCount; b++)
        {
            var length = shortData + (b < blocks.ShortBlocks ? 0 : 1);
            var block = data.Slice(offset, length);
            offset += length;
            for (var i = 0; i < length; i++)
            {
                // Position i of block b: i full rounds of all blocks, except that the last round skips the short ones.
                var position = i < shortData ? (i * blockCount) + b : (shortData * blockCount) + (b - blocks.ShortBlocks);
                codewords[position] = block[i];
            }
            ReedSolomon.Compute(block, ecc);
            for (var i = 0; i < eccLength; i++)
            {
                codewords[eccStart + (i * blockCount) + b] = ecc[i];
            }
        }
    }

    private static void PlaceCodewords(ReadOnlySpan<byte> codewords, QrTemplate template, QrModuleLines modules)
    {
        var order = template.DataOrder;
        for (var i = 0; i < codewords.Length; i++)
        {
            var codeword = codewords[i];
            if (codeword == 0)
            {
                continue;
            }
            for (var bit = 0; bit < 8; bit++)
            {
                if ((codeword & (0x80 >> bit)) != 0)
                {
                    var xy = order[(i * 8) + bit];
                    modules.SetDark(xy & 0xFF, xy >> 8);
                }
            }
        }
    }

    /// <summary>The mask of lowest penalty, the first one on a tie.</summary>
    private static int ChooseMask(QrModuleLines unmasked, QrTemplate template, QrErrorCorrection errorCorrection, QrModuleLines candidate)
    {
        int best = 0, bestScore = int.MaxValue;
        for (var mask = 0; mask < QrMask.Count; mask++)
        {
            DrawMasked(unmasked, template, errorCorrection, mask, candidate);
            var score = QrPenalty.Score(candidate);
            if (score < bestScore)
            {
                (best, bestScore) = (mask, score);
            }
        }
        return best;
    }

    private static void DrawMasked(QrModuleLines unmasked, QrTemplate template, QrErrorCorrection errorCorrection, int mask, QrModuleLines target)
    {
        QrMask.Apply(mask, unmasked, template.DataArea, target);
        var format = FormatInformation(errorCorrection, mask);
        var positions = template.FormatPositions;
        for (var i = 0; i < positions.Length; i++)
        {
            if (((format >> i) & 1) != 0)
            {
                var (x1, y1, x2, y2) = positions[i];
                target.SetDark(x1, y1);
                target.SetDark(x2, y2);
            }
        }
    }

    /// <summary>Level and mask (5 bits), a (15, 5) BCH code with generator 0x537, XORed with 0x5412 so it is never all light.</summary>
    public static int FormatInformation(QrErrorCorrection errorCorrection, int mask)
    {
        var data = (errorCorrection.FormatBits() << 3) | mask;
        var remainder = data;
        for (var i = 0; i < 10; i++)
        {
            remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537);
        }
        return ((data << 10) | remainder) ^ 0x5412;
    }

    private static bool[] ToModules(QrModuleLines lines)
    {
        var size = lines.Size;
        var dark = new bool[size * size];
        for (var y = 0; y < size; y++)
        {
            for (var x = 0; x < size; x++)
            {
                dark[(y * size) + x] = lines.IsDark(x, y);
            }
        }
        return dark;
    }

    private static ArgumentException TooLong(string text, QrErrorCorrection errorCorrection) =>
        new($"{text.Length} characters do not fit in a QR code at error correction {errorCorrection}.", nameof(text));

    /// <summary>A thread's two work squares, kept for the next code of the same version (a batch's labels all are).</summary>
    private sealed class Scratch
    {
        private readonly QrModuleLines?[] _lines = new QrModuleLines?[2];

        public QrModuleLines Lines(int index, int size) =>
            _lines[index] is { } lines && lines.Size == size ? lines : _lines[index] = new QrModuleLines(size);
    }
}
