namespace Custodian.Lorawan.Qr;

/// <summary>The device-identification QR layouts Custodian reads, in auto-detection order.</summary>
public enum QrFormat
{
    /// <summary>TR005 final: <c>LW:D0:JoinEUI:DevEUI:ProfileID[:ext…]</c>.</summary>
    Tr005,

    /// <summary>TR005 draft 2 (deprecated): <c>URN:LW:DP:JoinEUI:DevEUI:ProfileID[:%V…%S…%P…]</c>.</summary>
    Tr005Draft2,

    /// <summary>TR005 draft 3 (deprecated): <c>URN:DEV:LW:JoinEUI_DevEUI_ProfileID[_V…][_S…][_P…]</c>.</summary>
    Tr005Draft3,

    /// <summary>A bare 16-hex-digit DevEUI.</summary>
    DevEui,
}

/// <summary>The Things Stack's format ids, so our output and theirs name formats alike.</summary>
public static class QrFormatIds
{
    public static string ToFormatId(this QrFormat format) => format switch
    {
        QrFormat.Tr005 => "tr005",
        QrFormat.Tr005Draft2 => "tr005draft2",
        QrFormat.Tr005Draft3 => "tr005draft3",
        QrFormat.DevEui => "dev_eui",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown QR format."),
    };
}
