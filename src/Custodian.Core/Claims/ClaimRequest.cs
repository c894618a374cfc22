namespace Custodian.Core.Claims;

/// <summary>
/// An owner's claim as the API receives it: <see cref="Qr"/> (the label's text, any format the QR codec reads)
/// or <see cref="JoinEui"/> + <see cref="DevEui"/> + <see cref="ClaimCode"/>, and where to home the device.
/// Fields a QR code does not carry (a bare-DevEUI code has no JoinEUI or code) may be given beside it.
/// Text stays text here so that <see cref="ClaimReading"/> can say precisely what is wrong.
/// </summary>
public sealed record ClaimRequest
{
    public string? Qr { get; init; }

    public string? JoinEui { get; init; }

    public string? DevEui { get; init; }

    public string? ClaimCode { get; init; }

    public string? HomeNetId { get; init; }

    public string? HomeNsId { get; init; }

    public string? AsId { get; init; }

    // Records print their members; these hold the claim code.
    public override string ToString() => $"ClaimRequest {{ DevEui = {DevEui}, JoinEui = {JoinEui} }}";
}
