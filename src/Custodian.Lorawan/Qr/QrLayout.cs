using System.Diagnostics.CodeAnalysis;

namespace Custodian.Lorawan.Qr;

/// <summary>One text layout of a device QR code: how to recognise, read and write it.</summary>
internal abstract class QrLayout
{
    /// <summary>The Things Stack's auto-detection order (<c>enddevices.go</c>).</summary>
    public static readonly IReadOnlyList<QrLayout> DetectionOrder =
        [Tr005Layout.Instance, Tr005Draft2Layout.Instance, Tr005Draft3Layout.Instance, DevEuiLayout.Instance];

    public abstract QrFormat Format { get; }

    /// <summary>Whether the text is meant to be in this layout (by its prefix), so that a failure here is the error to report.</summary>
    public abstract bool Claims(string text);

    /// <summary>Reads a trimmed text that this layout claims.</summary>
    public abstract bool TryParse(string text, [NotNullWhen(true)] out QrCode? code, [NotNullWhen(false)] out string? error);

    public abstract string Encode(QrCode code);

    public static QrLayout For(QrFormat format) => DetectionOrder.Single(layout => layout.Format == format);
}
