using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Unicode;

namespace Custodian.Lorawan.Qr;

/// <summary>
/// The content of a LoRaWAN device-identification QR code (LoRa Alliance TR005, its drafts 2
/// and 3, or a bare DevEUI), as The Things Stack reads it.
/// </summary>
/// <remarks>
/// A string field is <c>""</c> when the layout has the field but the code carries none, and
/// <c>null</c> when the layout has no such field (the checksum in the drafts; everything but the
/// DevEUI in a bare DevEUI). Instances come only from <see cref="Parse(string)"/>, the factories
/// and <see cref="ToTr005"/>, so every instance can be encoded and parses back to itself.
/// </remarks>
public sealed record QrCode
{
    /// <summary>The longest accepted QR text, as The Things Stack's claim API limits <c>qr_code</c>.</summary>
    public const int MaxLength = 1024;

    internal QrCode(QrFormat format, DevEui devEui)
    {
        Format = format;
        DevEui = devEui;
    }

    public QrFormat Format { get; }

    public JoinEui? JoinEui { get; internal init; }

    public DevEui DevEui { get; }

    /// <summary>The first half of the ProfileID: the vendor, as allocated by the LoRa Alliance.</summary>
    public ushort? VendorId { get; internal init; }

    /// <summary>The second half of the ProfileID: the vendor's own device-profile number.</summary>
    public ushort? VendorProfileId { get; internal init; }

    /// <summary>The claim authentication code: <c>O</c> in TR005, <c>V</c> (validation code) in the drafts.</summary>
    public string? OwnerToken { get; internal init; }

    public string? Serial { get; internal init; }

    public string? Proprietary { get; internal init; }

    /// <summary>TR005's <c>C</c> extension, kept verbatim and never verified (see <see cref="Tr005Layout"/>).</summary>
    public string? Checksum { get; internal init; }

    /// <summary>A final-format TR005 code; the values must be representable (no ':', no control characters, no surrounding whitespace).</summary>
    /// <exception cref="ArgumentException">A value cannot be carried in a TR005 code.</exception>
    public static QrCode ForTr005(
        JoinEui joinEui,
        DevEui devEui,
        ushort vendorId = 0,
        ushort vendorProfileId = 0,
        string ownerToken = "",
        string serial = "",
        string proprietary = "")
    {
        var code = Tr005Layout.Create(joinEui, devEui, vendorId, vendorProfileId) with
        {
            OwnerToken = ownerToken,
            Serial = serial,
            Proprietary = proprietary,
        };
        var error = Tr005Layout.CheckValues(code);
        return error is null ? code : throw new ArgumentException($"Cannot build a TR005 code: {error}.");
    }

    public static QrCode ForDevEui(DevEui devEui) => new(QrFormat.DevEui, devEui);

    /// <summary>
    /// The same device in the final TR005 layout (a draft's validation code becomes the owner token).
    /// </summary>
    /// <exception cref="InvalidOperationException">The code is a bare DevEUI, which has no JoinEUI.</exception>
    public QrCode ToTr005()
    {
        if (Format == QrFormat.Tr005)
        {
            return this;
        }
        if (JoinEui is not { } joinEui)
        {
            throw new InvalidOperationException("A bare DevEUI has no JoinEUI, so it cannot become a TR005 code.");
        }
        return Tr005Layout.Create(joinEui, DevEui, VendorId ?? 0, VendorProfileId ?? 0) with
        {
            OwnerToken = OwnerToken,
            Serial = Serial,
            Proprietary = Proprietary,
        };
    }

    /// <summary>
    /// The canonical text in this code's own layout: uppercase hex, extensions in the order
    /// C, O, S, P (final) or V, S, P (drafts), empty extensions left out.
    /// </summary>
    public string Encode() => QrLayout.For(Format).Encode(this);

    /// <exception cref="FormatException">The text is not a QR code of any supported layout.</exception>
    public static QrCode Parse(string text) =>
        TryParse(text, out var code, out var error) ? code : throw new FormatException($"Not a TR005 QR code: {error}.");

    /// <summary>Parses a QR payload as scanned, trying TR005, draft 2, draft 3 and a bare DevEUI in that order.</summary>
    /// <param name="text">The payload; surrounding whitespace (a scanner's line end) is ignored.</param>
    /// <param name="code">The parsed code, when the text is valid.</param>
    /// <param name="error">What is wrong and where, when it is not.</param>
    public static bool TryParse(
        [NotNullWhen(true)] string? text,
        [NotNullWhen(true)] out QrCode? code,
        [NotNullWhen(false)] out string? error)
    {
        code = null;
        error = CheckText(text);
        if (error is not null)
        {
            return false;
        }
        var trimmed = text!.Trim();
        // The layouts' prefixes are disjoint, so skipping those that do not claim the text gives
        // the same answer as trying each in turn and taking the first success, as TTS does;
        // it also lets the error come from the layout the text was meant to be in.
        foreach (var layout in QrLayout.DetectionOrder)
        {
            if (layout.Claims(trimmed))
            {
                return layout.TryParse(trimmed, out code, out error);
            }
        }
        error = $"{QrField.Quote(trimmed)} starts with none of 'LW:', 'URN:LW:', 'URN:DEV:' and is not a 16-hex-digit DevEUI";
        return false;
    }

    /// <exception cref="FormatException">The payload is not UTF-8 text or not a QR code of any supported layout.</exception>
    public static QrCode Parse(ReadOnlySpan<byte> payload) =>
        TryParse(payload, out var code, out var error) ? code : throw new FormatException($"Not a TR005 QR code: {error}.");

    /// <summary>Parses raw QR payload bytes (as a decoder or an API hands them over): strict UTF-8, then as text.</summary>
    public static bool TryParse(
        ReadOnlySpan<byte> payload,
        [NotNullWhen(true)] out QrCode? code,
        [NotNullWhen(false)] out string? error)
    {
        code = null;
        if (payload.Length > MaxLength)
        {
            error = $"the payload has {payload.Length} bytes; at most {MaxLength} are allowed";
            return false;
        }
        Span<char> text = stackalloc char[payload.Length];
        var status = Utf8.ToUtf16(payload, text, out var bytesRead, out var charsWritten, replaceInvalidSequences: false);
        if (status != System.Buffers.OperationStatus.Done)
        {
            error = $"the payload is not UTF-8 text (invalid byte 0x{payload[bytesRead]:X2} at offset {bytesRead})";
            return false;
        }
        return TryParse(new string(text[..charsWritten]), out code, out error);
    }

    /// <summary>Redacts the owner token: it is a claim secret and must not reach logs.</summary>
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append($"Format = {Format}, JoinEui = {JoinEui?.ToString() ?? "null"}, DevEui = {DevEui}, ")
            .Append($"VendorId = {VendorId?.ToString("X4", null) ?? "null"}, VendorProfileId = {VendorProfileId?.ToString("X4", null) ?? "null"}, ")
            .Append($"OwnerToken = {Redacted(OwnerToken)}, Serial = {Serial ?? "null"}, ")
            .Append($"Proprietary = {Proprietary ?? "null"}, Checksum = {Checksum ?? "null"}");
        return true;
    }

    private static string Redacted(string? secret) => secret switch
    {
        null => "null",
        "" => "\"\"",
        _ => "(redacted)",
    };

    /// <summary>Checks that apply before any layout is tried; returns null when the text may be parsed.</summary>
    private static string? CheckText(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "the text is empty";
        }
        // The limit is on the payload a QR code carries, so text and bytes agree on it.
        var payloadBytes = Encoding.UTF8.GetByteCount(text);
        if (payloadBytes > MaxLength)
        {
            return $"the text takes {payloadBytes} bytes as UTF-8; at most {MaxLength} are allowed";
        }
        // No layout allows control characters, and rejecting them here keeps them out of
        // messages and terminals; the whitespace around the text is trimmed, not rejected.
        // A lone surrogate is no character at all: no QR payload could carry it.
        var start = text.Length - text.TrimStart().Length;
        var trimmed = text.AsSpan().Trim();
        for (var i = 0; i < trimmed.Length; i++)
        {
            if (char.IsControl(trimmed[i]))
            {
                return $"{QrField.Describe(trimmed[i])} at column {start + i + 1} is a control character";
            }
        }
        var lone = QrField.IndexOfLoneSurrogate(trimmed);
        return lone < 0 ? null : $"{QrField.Describe(trimmed[lone])} at column {start + lone + 1} is half of a UTF-16 surrogate pair";
    }
}
