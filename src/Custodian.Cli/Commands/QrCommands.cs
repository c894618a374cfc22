using System.CommandLine;
using Custodian.Cli.Images;
using Custodian.Cli.Output;
using Custodian.DeviceRepository;
using Custodian.Labels;
using Custodian.Lorawan.Qr;

namespace Custodian.Cli.Commands;

/// <summary><c>custodian qr …</c>: read and draw TR005 device QR codes, offline.</summary>
internal static class QrCommands
{
    // Enough pixels per module for a label printer or a phone camera at arm's length.
    private const int PixelsPerModule = 10;

    public static Command Create(CliConsole console) =>
        new("qr", "Read and draw LoRaWAN device QR codes (TR005).")
        {
            CreateParse(console),
            CreateRender(console),
            CreateDecode(console),
        };

    private static Command CreateParse(CliConsole console)
    {
        var text = new Argument<string>("TEXT") { Description = "The QR code's text, e.g. LW:D0:<JoinEUI>:<DevEUI>:<ProfileID>:O<token>." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of aligned lines." };
        var repository = new Option<DirectoryInfo>("--device-repository")
        {
            Description = "A checkout of the LoRaWAN Device Repository (lorawan-devices): name the device by its VendorID and profile.",
        };
        var command = new Command("parse", "Show what a device QR code says (TR005, its drafts, or a bare DevEUI).") { text, json, repository };
        command.SetAction(parseResult =>
        {
            if (!QrCode.TryParse(parseResult.GetValue(text), out var code, out var error))
            {
                return console.Fail($"Not a TR005 QR code: {error}.");
            }
            DeviceModel? device = null;
            if (parseResult.GetValue(repository) is { } root)
            {
                if (!TryName(root, code, out device, out error))
                {
                    return console.Fail(error);
                }
            }
            if (parseResult.GetValue(json))
            {
                QrCodeOutput.WriteJson(console.Out, code, device: device);
            }
            else
            {
                QrCodeOutput.WriteText(console.Out, code, device: device);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static bool TryName(DirectoryInfo root, QrCode code, out DeviceModel? device, out string error)
    {
        device = null;
        error = "";
        try
        {
            var index = DeviceRepositoryIndex.Load(root.FullName);
            device = code.VendorId is { } vendor && code.VendorProfileId is { } profile ? index.Find(vendor, profile) : null;
            return true;
        }
        catch (Exception e) when (e is DeviceRepositoryException or IOException or UnauthorizedAccessException)
        {
            error = $"Cannot read the Device Repository: {e.Message}.";
            return false;
        }
    }

    private static Command CreateDecode(CliConsole console)
    {
        var image = new Argument<FileInfo>("IMAGE") { Description = "A photo or image of the code: PNG, JPEG, WebP, GIF or BMP." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object: the text, then the fields qr parse finds." };
        var command = new Command("decode", "Find the QR code in an image and show its text and what it says.") { image, json };
        command.SetAction(parseResult =>
        {
            var file = parseResult.GetValue(image)!;
            if (!QrImageDecoder.TryDecode(file.FullName, out var content, out var error))
            {
                return console.Fail($"Cannot read a QR code: {error}.");
            }
            var asJson = parseResult.GetValue(json);
            if (!QrCode.TryParse(content, out var code, out error))
            {
                // The text is still worth seeing (a URL, a Wi-Fi code): the user photographed the wrong code.
                if (asJson)
                {
                    QrCodeOutput.WriteJson(console.Out, content);
                }
                else
                {
                    console.Out.WriteLine($"Text: {content}");
                }
                return console.Fail($"The QR code is not a TR005 device code: {error}.");
            }
            if (asJson)
            {
                QrCodeOutput.WriteJson(console.Out, code, content);
            }
            else
            {
                QrCodeOutput.WriteText(console.Out, code, content);
            }
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command CreateRender(CliConsole console)
    {
        var text = new Argument<string>("TEXT") { Description = "The text to put in the QR code." };
        var output = new Option<FileInfo>("--out", "-o")
        {
            Description = "The image to write; .png or .svg chooses the format.",
            Required = true,
        };
        output.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<FileInfo>() is { } file && ImageFormatOf(file) is null)
            {
                result.AddError($"--out must end in .png or .svg, not '{file.Extension}'.");
            }
        });
        var raw = new Option<bool>("--raw") { Description = "Draw the text without checking that it is a device QR code." };
        var command = new Command("render", "Draw a device QR code as a PNG or SVG image.") { text, output, raw };
        command.SetAction(parseResult =>
        {
            var content = parseResult.GetValue(text)!;
            if (!parseResult.GetValue(raw) && !QrCode.TryParse(content, out _, out var error))
            {
                return console.Fail($"Not a TR005 QR code: {error}. Use --raw to draw it anyway.");
            }
            var file = parseResult.GetValue(output)!;
            return Render(console, content.Trim(), file);
        });
        return command;
    }

    private static int Render(CliConsole console, string content, FileInfo file)
    {
        try
        {
            // Our labels' encoder: error correction M, as The Things Stack draws its device codes, and UTF-8 marked.
            if (ImageFormatOf(file) == ImageFormat.Png)
            {
                File.WriteAllBytes(file.FullName, RenderPng(content));
            }
            else
            {
                File.WriteAllText(file.FullName, QrImage.Svg(content, PixelsPerModule));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return console.Fail($"Cannot write {file.FullName}: {e.Message}");
        }
        console.Out.WriteLine($"Wrote {file.FullName}");
        return ExitCodes.Success;
    }

    /// <summary>The PNG that <c>qr render</c> writes for the text.</summary>
    internal static byte[] RenderPng(string content) => QrImage.Png(content, PixelsPerModule);

    private enum ImageFormat
    {
        Png,
        Svg,
    }

    private static ImageFormat? ImageFormatOf(FileInfo file) => file.Extension.ToLowerInvariant() switch
    {
        ".png" => ImageFormat.Png,
        ".svg" => ImageFormat.Svg,
        _ => null,
    };
}
