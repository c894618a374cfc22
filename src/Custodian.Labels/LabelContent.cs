using System.Buffers;
using System.Diagnostics;

namespace Custodian.Labels;

/// <summary>
/// What a label shows. <see cref="QrText"/> is the TR005 text; <see cref="DevEui"/> 16 uppercase hex digits;
/// <see cref="ClaimCode"/> 6 to 32 characters of <c>[A-Z0-9]</c>. The claim code is a secret (and the QR text holds
/// it as the owner token), so <see cref="ToString"/> shows neither.
/// </summary>
[DebuggerDisplay("LabelContent {DevEui} (claim code redacted)")]
public sealed record LabelContent(string QrText, string DevEui, string ClaimCode)
{
    private const int MinClaimCodeLength = 6;
    private const int MaxClaimCodeLength = 32;
    private static readonly SearchValues<char> UppercaseHex = SearchValues.Create("0123456789ABCDEF");
    private static readonly SearchValues<char> ClaimCodeAlphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");

    // Checked on construction and on `with`, so no label is drawn from text the font or a reader would garble.
    public string QrText { get; init => field = RequireQrText(value); } = RequireQrText(QrText);

    public string DevEui { get; init => field = RequireDevEui(value); } = RequireDevEui(DevEui);

    public string ClaimCode { get; init => field = RequireClaimCode(value); } = RequireClaimCode(ClaimCode);

    public override string ToString() => $"LabelContent {{ DevEui = {DevEui}, ClaimCode = (redacted) }}";

    private static string RequireQrText(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(QrText));
        return value;
    }

    private static string RequireDevEui(string value)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(DevEui));
        if (value.Length != 16 || value.AsSpan().ContainsAnyExcept(UppercaseHex))
        {
            throw new ArgumentException("A DevEUI is 16 uppercase hexadecimal digits.", nameof(DevEui));
        }
        return value;
    }

    private static string RequireClaimCode(string value)
    {
        ArgumentNullException.ThrowIfNull(value, nameof(ClaimCode));
        // The message never quotes the value: it is a secret.
        if (value.Length is < MinClaimCodeLength or > MaxClaimCodeLength || value.AsSpan().ContainsAnyExcept(ClaimCodeAlphabet))
        {
            throw new ArgumentException(
                $"A claim code is {MinClaimCodeLength} to {MaxClaimCodeLength} characters of A-Z and 0-9.", nameof(ClaimCode));
        }
        return value;
    }
}
