using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Custodian.Labels.Tests;

/// <summary>
/// Reads a PNG back independently of the encoder: checks the signature and every chunk's CRC (bit by bit, not
/// from a table), inflates IDAT with the runtime's zlib and unpacks 1-bit grayscale rows.
/// </summary>
internal sealed class PngFile
{
    private static readonly byte[] Signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    private readonly bool[] _dark;

    private PngFile(IReadOnlyList<(string Type, byte[] Data)> chunks, int width, int height, bool[] dark)
    {
        Chunks = chunks;
        Width = width;
        Height = height;
        _dark = dark;
    }

    public IReadOnlyList<(string Type, byte[] Data)> Chunks { get; }

    public int Width { get; }

    public int Height { get; }

    public bool IsDark(int x, int y) => _dark[(y * Width) + x];

    public bool AnyDark(int left, int top, int right, int bottom)
    {
        for (var y = top; y < bottom; y++)
        {
            for (var x = left; x < right; x++)
            {
                if (IsDark(x, y))
                {
                    return true;
                }
            }
        }
        return false;
    }

    public static PngFile Read(byte[] png)
    {
        png.AsSpan(0, 8).ToArray().Should().Equal(Signature);
        var chunks = new List<(string, byte[])>();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            crc.Should().Be(BitwiseCrc32(png.AsSpan(offset + 4, 4 + length)), $"the CRC of chunk {type}");
            chunks.Add((type, png.AsSpan(offset + 8, length).ToArray()));
            offset += 12 + length;
        }
        chunks.Select(c => c.Item1).First().Should().Be("IHDR");
        chunks.Select(c => c.Item1).Last().Should().Be("IEND");

        var header = chunks[0].Item2;
        var width = BinaryPrimitives.ReadInt32BigEndian(header);
        var height = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4));
        (header[8], header[9], header[10], header[11], header[12]).Should().Be(((byte)1, (byte)0, (byte)0, (byte)0, (byte)0),
            "1-bit grayscale, deflate, filter method 0, not interlaced");

        using var compressed = new MemoryStream();
        foreach (var (_, data) in chunks.Where(c => c.Item1 == "IDAT"))
        {
            compressed.Write(data);
        }
        compressed.Position = 0;
        using var inflated = new MemoryStream();
        using (var zlib = new ZLibStream(compressed, CompressionMode.Decompress))
        {
            zlib.CopyTo(inflated);
        }
        var raw = inflated.ToArray();
        var stride = 1 + ((width + 7) / 8);
        raw.Length.Should().Be(stride * height);
        var dark = new bool[width * height];
        for (var y = 0; y < height; y++)
        {
            raw[y * stride].Should().Be(0, "filter type None");
            for (var x = 0; x < width; x++)
            {
                dark[(y * width) + x] = (raw[(y * stride) + 1 + (x / 8)] & (0x80 >> (x % 8))) == 0;
            }
        }
        return new PngFile(chunks, width, height, dark);
    }

    /// <summary>Dots per inch from pHYs (unit metre), or null without one.</summary>
    public (double X, double Y)? DotsPerInch()
    {
        var physical = Chunks.Where(c => c.Type == "pHYs").Select(c => c.Data).SingleOrDefault();
        if (physical is null)
        {
            return null;
        }
        physical[8].Should().Be(1, "the unit is the metre");
        return (BinaryPrimitives.ReadInt32BigEndian(physical) * 0.0254, BinaryPrimitives.ReadInt32BigEndian(physical.AsSpan(4)) * 0.0254);
    }

    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1)));
            }
        }
        return ~crc;
    }
}
