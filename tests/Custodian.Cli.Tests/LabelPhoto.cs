using Custodian.Labels;
using SkiaSharp;

namespace Custodian.Cli.Tests;

/// <summary>
/// A label as a phone photographs it, drawn with SkiaSharp from a seed: the printed label (Custodian.Labels' PNG)
/// turned by any angle, scaled, off-centre on a grey background, tinted, blurred, with noise, saved as a JPEG.
/// </summary>
internal static class LabelPhoto
{
    public static string Write(LabelContent label, int seed, string path)
    {
        var random = new Random(seed);
        using var printed = SKBitmap.Decode(DeviceLabel.Png(label));
        using var photo = new SKBitmap(800, 800);
        using (var canvas = new SKCanvas(photo))
        {
            var background = (byte)random.Next(40, 160);
            canvas.Clear(new SKColor(background, background, background));
            canvas.Translate(400 + random.Next(-60, 61), 400 + random.Next(-60, 61));
            canvas.RotateDegrees(random.Next(0, 360));
            canvas.Scale(0.45f + (float)(random.NextDouble() * 1.3));
            var blur = (float)(random.NextDouble() * 2.5);
            using var paint = new SKPaint
            {
                ImageFilter = blur > 0.2f ? SKImageFilter.CreateBlur(blur, blur) : null,
                ColorFilter = SKColorFilter.CreateBlendMode(Paper(random), SKBlendMode.Multiply),
            };
            using var image = SKImage.FromBitmap(printed);
            canvas.DrawImage(image, -printed.Width / 2f, -printed.Height / 2f, new SKSamplingOptions(SKFilterMode.Linear), paint);
        }
        AddNoise(photo, random, amplitude: random.Next(0, 40));
        using var jpeg = photo.Encode(SKEncodedImageFormat.Jpeg, random.Next(25, 90));
        File.WriteAllBytes(path, jpeg.ToArray());
        return path;
    }

    private static SKColor Paper(Random random) =>
        new((byte)random.Next(190, 256), (byte)random.Next(190, 256), (byte)random.Next(170, 240));

    private static void AddNoise(SKBitmap bitmap, Random random, int amplitude)
    {
        var pixels = bitmap.Pixels;
        for (var i = 0; i < pixels.Length; i++)
        {
            var noise = random.Next(-amplitude, amplitude + 1);
            var p = pixels[i];
            pixels[i] = new SKColor(Clamp(p.Red + noise), Clamp(p.Green + noise), Clamp(p.Blue + noise));
        }
        bitmap.Pixels = pixels;
    }

    private static byte Clamp(int value) => (byte)Math.Clamp(value, 0, 255);
}
