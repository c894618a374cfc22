using Custodian.Lorawan.Qr;

namespace Custodian.ClaimFiles;

/// <summary>
/// One row of a claim file, checked: what to send (canonical EUIs, the code, the QR text), or why it cannot be sent.
/// <see cref="Line"/> is where the row starts in the file (1-based), for people to find it.
/// </summary>
public sealed record ClaimRow(int Line, string DevEui, string? JoinEui, string? Code, string? Qr, string? Problem)
{
    public bool IsSendable => Problem is null;

    /// <summary>A row that could not be read at all (not an object, a broken record): reported, never sent.</summary>
    public static ClaimRow Unreadable(int line, string reason) => new(line, "", null, null, null, reason);

    /// <summary>
    /// Checks the values a row gave (null or empty when absent) the way the server will, so a typo is reported with
    /// its line before anything is sent. A QR code, when given, carries the DevEUI, JoinEUI and claim code; the other
    /// values may repeat them (the server checks they agree).
    /// </summary>
    public static ClaimRow Create(int line, ClaimFieldNames names, string? devEui, string? joinEui, string? code, string? qr)
    {
        devEui = Clean(devEui);
        joinEui = Clean(joinEui);
        code = Clean(code);
        qr = Clean(qr);
        Lorawan.DevEui? parsedDevEui = null;
        if (devEui is not null)
        {
            if (!Lorawan.DevEui.TryParse(EuiText.Normalize(devEui), out var value, out _))
            {
                return Failed(line, devEui, $"{names.DevEui}: '{Shorten(devEui)}' is not a DevEUI (16 hex digits)");
            }
            parsedDevEui = value;
        }
        var shownDevEui = parsedDevEui?.ToString() ?? "";
        string? canonicalJoinEui = null;
        if (joinEui is not null)
        {
            if (!Lorawan.JoinEui.TryParse(EuiText.Normalize(joinEui), out var value, out _))
            {
                return Failed(line, shownDevEui, $"{names.JoinEui}: '{Shorten(joinEui)}' is not a JoinEUI (16 hex digits)");
            }
            canonicalJoinEui = value.ToString();
        }
        if (code is not null && ClaimCodeText.Check(code) is { } codeProblem)
        {
            return Failed(line, shownDevEui, $"{names.Code}: {codeProblem}");
        }
        return qr is null
            ? FromFields(line, names, shownDevEui, canonicalJoinEui, code)
            : FromQr(line, names, parsedDevEui, canonicalJoinEui, code, qr);
    }

    private static ClaimRow FromFields(int line, ClaimFieldNames names, string devEui, string? joinEui, string? code)
    {
        var fields = new (string Name, bool Given)[] { (names.DevEui, devEui.Length > 0), (names.JoinEui, joinEui is not null), (names.Code, code is not null) };
        var missing = fields.Where(field => !field.Given).Select(field => field.Name).ToList();
        return missing.Count == 0
            ? new ClaimRow(line, devEui, joinEui, code, null, null)
            : Failed(line, devEui, $"no {string.Join(", ", missing)} (and no {names.Qr})");
    }

    private static ClaimRow FromQr(int line, ClaimFieldNames names, Lorawan.DevEui? devEui, string? joinEui, string? code, string qr)
    {
        if (!QrCode.TryParse(qr, out var parsed, out var error))
        {
            return Failed(line, devEui?.ToString() ?? "", $"{names.Qr}: {error}");
        }
        var shown = parsed.DevEui.ToString();
        if (devEui is { } given && given != parsed.DevEui)
        {
            return Failed(line, given.ToString(), $"{names.DevEui} {given} differs from the QR code's {parsed.DevEui}");
        }
        if (joinEui is null && parsed.JoinEui is null)
        {
            return Failed(line, shown, $"the QR code carries no JoinEUI and {names.JoinEui} is empty");
        }
        if (code is null && string.IsNullOrEmpty(parsed.OwnerToken))
        {
            return Failed(line, shown, $"the QR code carries no owner token and {names.Code} is empty");
        }
        return new ClaimRow(line, shown, joinEui, code, qr, null);
    }

    private static ClaimRow Failed(int line, string devEui, string reason) => new(line, devEui, null, null, null, reason);

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // A garbled cell can be long; the report line stays readable.
    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}

/// <summary>What the fields are called in the file at hand, so a problem names the column or property the user wrote.</summary>
public sealed record ClaimFieldNames(string DevEui, string JoinEui, string Code, string Qr)
{
    public static readonly ClaimFieldNames Csv = new("dev_eui", "join_eui", "claim_authentication_code", "qr_code");
    public static readonly ClaimFieldNames TheThingsStack = new("ids.dev_eui", "ids.join_eui", "claim_authentication_code.value", "qr_code");
    public static readonly ClaimFieldNames Api = new("devEui", "joinEui", "claimCode", "qr");
}

/// <summary>The server's rule for a claim code (6 to 32 letters and digits), checked before sending; the code is never echoed.</summary>
public static class ClaimCodeText
{
    public const int MinLength = 6;
    public const int MaxLength = 32;

    public static string? Check(string code)
    {
        if (code.Length is < MinLength or > MaxLength)
        {
            return $"a claim code is {MinLength} to {MaxLength} characters, this one has {code.Length}";
        }
        var bad = code.AsSpan().IndexOfAnyExcept("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
        return bad >= 0 ? $"a claim code holds only letters A-Z and digits; character {bad + 1} is neither" : null;
    }
}
