namespace Custodian.Labels.Qr;

/// <summary>
/// Everything about a version that does not depend on the text: the function patterns (finders with separators,
/// timing, alignment, the dark module, version information), which modules carry data and may be masked, where the
/// format information goes, and the order the codeword bits are placed in. Built once per version and shared.
/// </summary>
internal sealed class QrTemplate
{
    private static readonly QrTemplate?[] Templates = new QrTemplate?[QrBlockStructure.MaxVersion + 1];

    private QrTemplate(int version)
    {
        Version = version;
        Size = (version * 4) + 17;
        Functions = new QrModuleLines(Size);
        DataArea = new QrModuleLines(Size);
        var isFunction = new bool[Size * Size];

        DrawTimingPatterns(isFunction);
        DrawFinderPattern(isFunction, 3, 3);
        DrawFinderPattern(isFunction, Size - 4, 3);
        DrawFinderPattern(isFunction, 3, Size - 4);
        DrawAlignmentPatterns(isFunction);
        FormatPositions = ReserveFormatInformation(isFunction);
        DrawVersionInformation(isFunction);
        DataOrder = PlacementOrder(isFunction);
        for (var y = 0; y < Size; y++)
        {
            for (var x = 0; x < Size; x++)
            {
                if (!isFunction[(y * Size) + x])
                {
                    DataArea.SetDark(x, y);
                }
            }
        }
    }

    public int Version { get; }

    public int Size { get; }

    /// <summary>Function modules as drawn (format information light: it depends on the mask).</summary>
    public QrModuleLines Functions { get; }

    /// <summary>Modules that carry codeword bits (remainder bits included): the only ones a mask changes.</summary>
    public QrModuleLines DataArea { get; }

    /// <summary>Bit i (0 = least significant) of the format information goes at both positions of entry i.</summary>
    public (int X1, int Y1, int X2, int Y2)[] FormatPositions { get; }

    /// <summary>Where each codeword bit goes, first bit first, as (x, y) packed in x | y &lt;&lt; 8.</summary>
    public ushort[] DataOrder { get; }

    public static QrTemplate For(int version)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, QrBlockStructure.MinVersion);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(version, QrBlockStructure.MaxVersion);
        // Two threads may build the same version at once; both results are identical and immutable, either may stay.
        if (Volatile.Read(ref Templates[version]) is { } built)
        {
            return built;
        }
        var template = new QrTemplate(version);
        Volatile.Write(ref Templates[version], template);
        return template;
    }

    /// <summary>Centres of the alignment patterns along one axis (ISO/IEC 18004 annex E), ascending.</summary>
    public static int[] AlignmentPositions(int version)
    {
        if (version == 1)
        {
            return [];
        }
        var count = (version / 7) + 2;
        // Spacing is even and equal from the last one back, the first gap taking what is left; version 32 is the
        // one version the table does not space by this rule.
        var step = version == 32 ? 26 : (((version * 4) + (count * 2) + 1) / ((count * 2) - 2)) * 2;
        var positions = new int[count];
        positions[0] = 6;
        for (int i = count - 1, position = (version * 4) + 10; i >= 1; i--, position -= step)
        {
            positions[i] = position;
        }
        return positions;
    }

    private void SetFunction(bool[] isFunction, int x, int y, bool dark)
    {
        isFunction[(y * Size) + x] = true;
        Functions.Set(x, y, dark);
    }

    private void DrawTimingPatterns(bool[] isFunction)
    {
        for (var i = 0; i < Size; i++)
        {
            SetFunction(isFunction, 6, i, i % 2 == 0);
            SetFunction(isFunction, i, 6, i % 2 == 0);
        }
    }

    /// <summary>A 7×7 finder pattern with its light separator, clipped at the symbol's edges.</summary>
    private void DrawFinderPattern(bool[] isFunction, int centreX, int centreY)
    {
        for (var dy = -4; dy <= 4; dy++)
        {
            for (var dx = -4; dx <= 4; dx++)
            {
                int x = centreX + dx, y = centreY + dy;
                if (x >= 0 && x < Size && y >= 0 && y < Size)
                {
                    var distance = Math.Max(Math.Abs(dx), Math.Abs(dy));
                    SetFunction(isFunction, x, y, distance is not 2 and not 4);
                }
            }
        }
    }

    private void DrawAlignmentPatterns(bool[] isFunction)
    {
        var positions = AlignmentPositions(Version);
        var last = positions.Length - 1;
        for (var i = 0; i < positions.Length; i++)
        {
            for (var j = 0; j < positions.Length; j++)
            {
                // The three corners hold finder patterns.
                if ((i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0))
                {
                    continue;
                }
                for (var dy = -2; dy <= 2; dy++)
                {
                    for (var dx = -2; dx <= 2; dx++)
                    {
                        SetFunction(isFunction, positions[i] + dx, positions[j] + dy, Math.Max(Math.Abs(dx), Math.Abs(dy)) != 1);
                    }
                }
            }
        }
    }

    private (int X1, int Y1, int X2, int Y2)[] ReserveFormatInformation(bool[] isFunction)
    {
        var positions = new (int X1, int Y1, int X2, int Y2)[15];
        for (var i = 0; i < 15; i++)
        {
            // First copy around the top-left finder: down column 8 (skipping the timing row), then left along row 8.
            var (x1, y1) = i switch
            {
                < 6 => (8, i),
                6 => (8, 7),
                7 => (8, 8),
                8 => (7, 8),
                _ => (14 - i, 8),
            };
            // Second copy: row 8 under the top-right finder, then column 8 beside the bottom-left one.
            var (x2, y2) = i < 8 ? (Size - 1 - i, 8) : (8, Size - 15 + i);
            positions[i] = (x1, y1, x2, y2);
            SetFunction(isFunction, x1, y1, dark: false);
            SetFunction(isFunction, x2, y2, dark: false);
        }
        // The module above the second copy's column part is always dark.
        SetFunction(isFunction, 8, Size - 8, dark: true);
        return positions;
    }

    private void DrawVersionInformation(bool[] isFunction)
    {
        if (Version < 7)
        {
            return;
        }
        // 6 bits of version and 12 of a (18, 6) BCH code with generator 0x1F25.
        var remainder = Version;
        for (var i = 0; i < 12; i++)
        {
            remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25);
        }
        var bits = (Version << 12) | remainder;
        for (var i = 0; i < 18; i++)
        {
            var dark = ((bits >> i) & 1) != 0;
            int a = Size - 11 + (i % 3), b = i / 3;
            SetFunction(isFunction, a, b, dark);
            SetFunction(isFunction, b, a, dark);
        }
    }

    /// <summary>
    /// The zigzag of ISO/IEC 18004 7.7.3: column pairs from the right, alternately upwards and downwards, right module
    /// before left, skipping the vertical timing pattern and every function module.
    /// </summary>
    private ushort[] PlacementOrder(bool[] isFunction)
    {
        var order = new ushort[QrBlockStructure.RawDataModules(Version)];
        var next = 0;
        for (var right = Size - 1; right >= 1; right -= 2)
        {
            if (right == 6)
            {
                right = 5;
            }
            var upward = ((right + 1) & 2) == 0;
            for (var vertical = 0; vertical < Size; vertical++)
            {
                var y = upward ? Size - 1 - vertical : vertical;
                for (var j = 0; j < 2; j++)
                {
                    var x = right - j;
                    if (!isFunction[(y * Size) + x])
                    {
                        order[next++] = (ushort)(x | (y << 8));
                    }
                }
            }
        }
        return next == order.Length
            ? order
            : throw new InvalidOperationException($"Version {Version} has {next} data modules, expected {order.Length}.");
    }
}
