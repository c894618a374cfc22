using SkiaSharp;
using ZXing;
using ZXing.Common;
using ZXing.QrCode;

namespace Custodian.Cli.Images;

/// <summary>
/// Finds the QR code in an image file (PNG, JPEG, WebP, a phone photo): SkiaSharp decodes the file to
/// grey pixels and ZXing reads the code, trying harder and inverted too, as photos of labels need.
/// </summary>
internal static class QrImageDecoder
{
    // Photos from phones run to 12+ megapixels; ZXing needs far fewer, and scaling keeps it fast.
    private const int MaxSide = 2_000;

    public static bool TryDecode(string path, out string text, out string error)
    {
        text = "";
        using var bitmap = Load(path, out error);
        if (bitmap is null)
        {
            return false;
        }
        var pixels = bitmap.GetPixelSpan().ToArray();
        var luminance = new RGBLuminanceSource(pixels, bitmap.Width, bitmap.Height, RGBLuminanceSource.BitmapFormat.Gray8);
        var hints = new Dictionary<DecodeHintType, object>
        {
            [DecodeHintType.TRY_HARDER] = true,
            [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.QR_CODE },
            [DecodeHintType.CHARACTER_SET] = "UTF-8",
        };
        var result = Read(new HybridBinarizer(luminance), hints) ?? Read(new HybridBinarizer(luminance.invert()), hints);
        if (result is null)
        {
            error = $"no QR code found in {path}";
            return false;
        }
        text = result.Text;
        return true;
    }

    private static Result? Read(Binarizer binarizer, IDictionary<DecodeHintType, object> hints) =>
        new QRCodeReader().decode(new BinaryBitmap(binarizer), hints);

    private static SKBitmap? Load(string path, out string error)
    {
        error = "";
        if (!File.Exists(path))
        {
            error = $"no such file: {path}";
            return null;
        }
        using var decoded = SKBitmap.Decode(path);
        if (decoded is null)
        {
            error = $"{path} is not an image SkiaSharp can read (PNG, JPEG, WebP, GIF, BMP)";
            return null;
        }
        var scale = Math.Min(1.0, (double)MaxSide / Math.Max(decoded.Width, decoded.Height));
        var info = new SKImageInfo((int)(decoded.Width * scale), (int)(decoded.Height * scale), SKColorType.Gray8, SKAlphaType.Opaque);
        var gray = new SKBitmap(info);
        // Drawn on white, so transparent pixels (an SVG export, a PNG label) read as paper, not black.
        using var canvas = new SKCanvas(gray);
        canvas.Clear(SKColors.White);
        using var image = SKImage.FromBitmap(decoded);
        canvas.DrawImage(image, new SKRect(0, 0, info.Width, info.Height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return gray;
    }
}
