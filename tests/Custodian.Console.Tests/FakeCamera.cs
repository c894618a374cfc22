using System.Text;
using QRCoder;

namespace Custodian.Console.Tests;

/// <summary>
/// A Y4M video for Chromium's fake camera (<c>--use-file-for-fake-video-capture</c>): a QR code of the given text
/// in black on white, 640x480, 4:2:0 (<c>C420jpeg</c>) with grey chroma, a few identical frames (Chromium loops them).
/// </summary>
internal static class FakeCamera
{
    private const int Width = 640;
    private const int Height = 480;
    private const int Frames = 5;

    /// <summary>Writes the video into <paramref name="directory"/> and answers its path; a blank picture when <paramref name="qrText"/> is null.</summary>
    public static string Write(string? qrText, string directory)
    {
        var path = Path.Combine(directory, "camera.y4m");
        using var file = File.Create(path);
        file.Write(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{Width} H{Height} F30:1 Ip A1:1 C420jpeg\n"));
        var luma = Luma(qrText);
        var chroma = new byte[Width / 2 * (Height / 2)];
        Array.Fill(chroma, (byte)128);
        for (var frame = 0; frame < Frames; frame++)
        {
            file.Write("FRAME\n"u8);
            file.Write(luma);
            file.Write(chroma); // U
            file.Write(chroma); // V
        }
        return path;
    }

    /// <summary>The luma plane: white, the QR code's modules (quiet zone included) scaled up in the middle.</summary>
    private static byte[] Luma(string? text)
    {
        var plane = new byte[Width * Height];
        Array.Fill(plane, (byte)255);
        if (text is null)
        {
            return plane;
        }
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var modules = data.ModuleMatrix;
        var size = modules.Count;
        var scale = (Height - 40) / size;
        var left = (Width - size * scale) / 2;
        var top = (Height - size * scale) / 2;
        for (var y = 0; y < size * scale; y++)
        {
            var row = modules[y / scale];
            for (var x = 0; x < size * scale; x++)
            {
                if (row[x / scale])
                {
                    plane[(top + y) * Width + left + x] = 0;
                }
            }
        }
        return plane;
    }
}
