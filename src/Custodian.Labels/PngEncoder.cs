using System.Buffers.Binary;
using System.IO.Compression;

namespace Custodian.Labels;

/// <summary>
/// Writes a <see cref="MonochromeImage"/> as a 1-bit grayscale PNG (IHDR, pHYs, IDAT, IEND) with the runtime's zlib.
/// The pHYs chunk states the printer's resolution, so the image prints at label size rather than screen size.
/// </summary>
internal static class PngEncoder
{
    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private const int ChunkOverhead = 12; // length, type, CRC
    private const int HeaderLength = 13;
    private const int PhysicalSizeLength = 9;
    private const double MillimetresPerInch = 25.4;

    public static byte[] Encode(MonochromeImage image, int dotsPerInch)
    {
        using var compressed = new MemoryStream(image.Scanlines.Length / 4);
        // Fastest still finds the repeats (a QR module row is copied several times, the rest is white):
        // measured, it is about as small as Optimal here and several times quicker.
        using (var zlib = new ZLibStream(compressed, CompressionLevel.Fastest, leaveOpen: true))
        {
            zlib.Write(image.Scanlines);
        }
        var idat = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);

        var png = new byte[Signature.Length + (4 * ChunkOverhead) + HeaderLength + PhysicalSizeLength + idat.Length];
        var span = png.AsSpan();
        Signature.CopyTo(span);
        var offset = Signature.Length;

        Span<byte> header = stackalloc byte[HeaderLength];
        BinaryPrimitives.WriteInt32BigEndian(header, image.Width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], image.Height);
        header[8] = 1;  // bit depth
        header[9] = 0;  // colour type: grayscale
        header[10] = 0; // compression: deflate
        header[11] = 0; // filter method 0
        header[12] = 0; // not interlaced
        offset += WriteChunk(span[offset..], "IHDR"u8, header);

        Span<byte> physicalSize = stackalloc byte[PhysicalSizeLength];
        var dotsPerMetre = (int)Math.Round(dotsPerInch * 1000 / MillimetresPerInch);
        BinaryPrimitives.WriteInt32BigEndian(physicalSize, dotsPerMetre);
        BinaryPrimitives.WriteInt32BigEndian(physicalSize[4..], dotsPerMetre);
        physicalSize[8] = 1; // unit: metre
        offset += WriteChunk(span[offset..], "pHYs"u8, physicalSize);

        offset += WriteChunk(span[offset..], "IDAT"u8, idat);
        offset += WriteChunk(span[offset..], "IEND"u8, []);
        return offset == png.Length ? png : throw new InvalidOperationException("PNG length miscounted.");
    }

    private static int WriteChunk(Span<byte> target, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        BinaryPrimitives.WriteInt32BigEndian(target, data.Length);
        type.CopyTo(target[4..]);
        data.CopyTo(target[8..]);
        // The CRC covers the type and the data, not the length.
        var crc = System.IO.Hashing.Crc32.HashToUInt32(target.Slice(4, 4 + data.Length));
        BinaryPrimitives.WriteUInt32BigEndian(target[(8 + data.Length)..], crc);
        return ChunkOverhead + data.Length;
    }
}
