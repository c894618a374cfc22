using System.Globalization;
using System.Security;
using QRCoder;

namespace Custodian.Server.Api;

/// <summary>
/// A device's TR005 QR label for the maker to print: the QR code (error correction M, as on the CLI's labels)
/// and, in the SVG, the DevEUI and claim code beneath it for people who cannot scan.
/// </summary>
internal static class DeviceLabel
{
    private const int PixelsPerModule = 8;
    private const int TextLineHeight = 22;

    public static byte[] Png(string qrText)
    {
        using var data = Encode(qrText);
        using var png = new PngByteQRCode(data);
        return png.GetGraphic(PixelsPerModule);
    }

    public static string Svg(string qrText, string devEui, string claimCode)
    {
        using var data = Encode(qrText);
        using var svg = new SvgQRCode(data);
        var size = data.ModuleMatrix.Count * PixelsPerModule;
        var height = size + (2 * TextLineHeight) + 8;
        var qr = svg.GetGraphic(PixelsPerModule);
        return string.Create(CultureInfo.InvariantCulture, $"""
            <svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{height}" viewBox="0 0 {size} {height}">
            <rect width="{size}" height="{height}" fill="#ffffff"/>
            {qr[qr.IndexOf("<svg", StringComparison.Ordinal)..]}
            <text x="{size / 2}" y="{size + TextLineHeight - 4}" font-family="monospace" font-size="16" text-anchor="middle">DevEUI {SecurityElement.Escape(devEui)}</text>
            <text x="{size / 2}" y="{size + (2 * TextLineHeight) - 4}" font-family="monospace" font-size="16" text-anchor="middle">Claim code {SecurityElement.Escape(claimCode)}</text>
            </svg>
            """);
    }

    private static QRCodeData Encode(string qrText)
    {
        using var generator = new QRCodeGenerator();
        return generator.CreateQrCode(qrText, QRCodeGenerator.ECCLevel.M);
    }
}
