using SkiaSharp;
using ZXing;
using ZXing.Common;
using ZXing.Multi.QrCode;
using ZXing.QrCode;

namespace Custodian.Cli.Images;

/// <summary>
/// Finds the QR code in an image file (PNG, JPEG, WebP, a phone photo): SkiaSharp decodes the file to
/// grey pixels and ZXing reads the code in a few passes, cheapest first, until one finds it.
/// </summary>
/// <remarks>
/// Why several passes: ZXing's single-code detector keeps the three finder-pattern candidates whose sizes agree
/// best, and a 1:1:3:1:1 run of data modules is a candidate as good as a real corner. On about one clean label in
/// 200 it then picks a false corner, samples a 21×21 grid out of a larger code and fails (for example
/// <c>LW:D0:1B3FE1186B6FB470:645A84A317180E2A:00000000:OB9M05BZYY</c>). The multi-code detector tries every
/// plausible triple, which reads those. The other passes are for photos: a global threshold where the local one
/// breaks up blurred modules, light-on-dark codes, and a half-size copy where blur or noise is finer than a module.
/// </remarks>
internal static class QrImageDecoder
{
    // Photos from phones run to 12+ megapixels; ZXing needs far fewer, and scaling keeps it fast.
    private const int MaxSide = 2_000;

    private static readonly IDictionary<DecodeHintType, object> Hints = new Dictionary<DecodeHintType, object>
    {
        [DecodeHintType.TRY_HARDER] = true,
        [DecodeHintType.POSSIBLE_FORMATS] = new List<BarcodeFormat> { BarcodeFormat.QR_CODE },
        [DecodeHintType.CHARACTER_SET] = "UTF-8",
    };

    public static bool TryDecode(string path, out string text, out string error)
    {
        text = "";
        using var gray = Load(path, out error);
        if (gray is null)
        {
            return false;
        }
        if (Decode(gray) is not { } found)
        {
            error = $"no QR code found in {path}";
            return false;
        }
        text = found;
        return true;
    }

    /// <summary>The text of the QR code in a bitmap of any colour type, or null when no pass finds one.</summary>
    public static string? Decode(SKBitmap bitmap)
    {
        ArgumentNullException.ThrowIfNull(bitmap);
        using var gray = bitmap.ColorType == SKColorType.Gray8 ? null : ToGray(bitmap, bitmap.Width, bitmap.Height);
        var luminance = Luminance(gray ?? bitmap);
        return ReadOne(new HybridBinarizer(luminance))
            ?? ReadAny(new HybridBinarizer(luminance))
            ?? ReadAny(new GlobalHistogramBinarizer(luminance))
            ?? ReadAny(new HybridBinarizer(luminance.invert()))
            ?? ReadHalfSize(gray ?? bitmap);
    }

    private static string? ReadOne(Binarizer binarizer) =>
        new QRCodeReader().decode(new BinaryBitmap(binarizer), Hints)?.Text;

    // Every finder-pattern triple, not only the best-matched one; the first code read wins.
    private static string? ReadAny(Binarizer binarizer) =>
        new QRCodeMultiReader().decodeMultiple(new BinaryBitmap(binarizer), Hints) is { Length: > 0 } results
            ? results[0].Text
            : null;

    private static string? ReadHalfSize(SKBitmap gray)
    {
        if (Math.Min(gray.Width, gray.Height) < 200)
        {
            return null;
        }
        using var half = ToGray(gray, gray.Width / 2, gray.Height / 2);
        var luminance = Luminance(half);
        return ReadAny(new HybridBinarizer(luminance)) ?? ReadAny(new GlobalHistogramBinarizer(luminance));
    }

    private static RGBLuminanceSource Luminance(SKBitmap gray) =>
        new(gray.GetPixelSpan().ToArray(), gray.Width, gray.Height, RGBLuminanceSource.BitmapFormat.Gray8);

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
        return ToGray(decoded, (int)(decoded.Width * scale), (int)(decoded.Height * scale));
    }

    private static SKBitmap ToGray(SKBitmap source, int width, int height)
    {
        var gray = new SKBitmap(new SKImageInfo(width, height, SKColorType.Gray8, SKAlphaType.Opaque));
        // Drawn on white, so transparent pixels (an SVG export, a PNG label) read as paper, not black.
        using var canvas = new SKCanvas(gray);
        canvas.Clear(SKColors.White);
        using var image = SKImage.FromBitmap(source);
        canvas.DrawImage(image, new SKRect(0, 0, width, height), new SKSamplingOptions(SKFilterMode.Linear, SKMipmapMode.Linear));
        return gray;
    }
}
