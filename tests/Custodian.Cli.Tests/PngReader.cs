using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Custodian.Cli.Tests;

/// <summary>
/// Just enough PNG decoding (1-bit grayscale, non-interlaced, as QRCoder's PngByteQRCode writes)
/// to read a QR image back as a module grid, with only the runtime's zlib.
/// </summary>
internal static class PngReader
{
    public static bool[][] ReadModules(byte[] png, int modulesPerSide)
    {
        var (width, height, pixels) = ReadGrayscale1Bit(png);
        width.Should().Be(height, "a QR image is square");
        (width % modulesPerSide).Should().Be(0, "each module is a whole number of pixels");
        var scale = width / modulesPerSide;
        // Sample each module at its centre; dark (0) means a set module.
        return [.. Enumerable.Range(0, modulesPerSide).Select(y =>
            Enumerable.Range(0, modulesPerSide).Select(x => !pixels[(y * scale) + (scale / 2)][(x * scale) + (scale / 2)]).ToArray())];
    }

    private static (int Width, int Height, bool[][] Pixels) ReadGrayscale1Bit(byte[] png)
    {
        int width = 0, height = 0;
        using var compressed = new MemoryStream();
        for (var offset = 8; offset < png.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                (data[8], data[9], data[12]).Should().Be(((byte)1, (byte)0, (byte)0), "bit depth 1, grayscale, not interlaced");
            }
            else if (type == "IDAT")
            {
                compressed.Write(data);
            }
            offset += 12 + length;
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
        return (width, height, [.. Enumerable.Range(0, height).Select(y => ReadRow(raw.AsSpan(y * stride, stride), width))]);
    }

    private static bool[] ReadRow(ReadOnlySpan<byte> row, int width)
    {
        row[0].Should().Be(0, "only filter type 0 (None) is supported here");
        var bits = row[1..];
        var pixels = new bool[width];
        for (var x = 0; x < width; x++)
        {
            pixels[x] = (bits[x / 8] & (0x80 >> (x % 8))) != 0;
        }
        return pixels;
    }
}
