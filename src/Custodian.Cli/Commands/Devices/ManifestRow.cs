namespace Custodian.Cli.Commands.Devices;

/// <summary>
/// A provisioned device as the manifest records it: what the maker flashes (the keys, when Custodian made them)
/// and prints (the claim code and the TR005 QR text).
/// </summary>
internal sealed record ManifestRow(string DevEui, string JoinEui, string MacVersion, string? AppKey, string? NwkKey, string ClaimCode, string Qr)
{
    /// <summary>The columns, in order; <c>claim_authentication_code</c> and <c>qr_code</c> as The Things Stack names them.</summary>
    public static readonly string[] Columns = ["dev_eui", "join_eui", "mac_version", "app_key", "nwk_key", "claim_authentication_code", "qr_code"];

    public string?[] Values => [DevEui, JoinEui, MacVersion, AppKey, NwkKey, ClaimCode, Qr];

    // Records print their members, and these hold root keys and claim codes.
    public override string ToString() => $"ManifestRow {{ DevEui = {DevEui} }}";
}
