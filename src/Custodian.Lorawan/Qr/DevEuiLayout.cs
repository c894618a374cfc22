using System.Diagnostics.CodeAnalysis;

namespace Custodian.Lorawan.Qr;

/// <summary>A QR code holding nothing but the DevEUI as 16 hex digits (TTS format <c>dev_eui</c>).</summary>
internal sealed class DevEuiLayout : QrLayout
{
    public static readonly DevEuiLayout Instance = new();

    private DevEuiLayout()
    {
    }

    public override QrFormat Format => QrFormat.DevEui;

    /// <summary>Any all-hex text is meant as a DevEUI, so a wrong length is reported as such.</summary>
    public override bool Claims(string text) => QrField.IsHex(text);

    public override bool TryParse(string text, [NotNullWhen(true)] out QrCode? code, [NotNullWhen(false)] out string? error)
    {
        code = null;
        if (!QrField.TryReadEui(text, "DevEUI", field: 1, out var devEui, out error))
        {
            return false;
        }
        code = QrCode.ForDevEui(new DevEui(devEui));
        return true;
    }

    public override string Encode(QrCode code) => code.DevEui.ToString();
}
