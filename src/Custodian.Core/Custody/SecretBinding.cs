using System.Globalization;
using System.Text;

namespace Custodian.Core.Custody;

/// <summary>
/// Where a sealed secret belongs: table, column and row, authenticated as the seal's associated data, so a sealed
/// value copied onto another row (another device's claim code, another network's KEK) does not open there.
/// </summary>
public readonly record struct SecretBinding(string Text)
{
    public static SecretBinding DeviceRootKeys(DevEui devEui) => new("devices|root_keys|" + devEui);

    public static SecretBinding DeviceClaimCode(DevEui devEui) => new("devices|claim_code|" + devEui);

    public static SecretBinding Session(DevEui devEui, ReadOnlySpan<byte> sessionKeyId) =>
        new("sessions|app_s_key|" + devEui + "|" + Convert.ToHexString(sessionKeyId));

    public static SecretBinding Network(NetId netId, string? nsId) => new("networks|kek_key|" + netId + "|" + nsId);

    public static SecretBinding ApplicationServer(string asId) => new("application_servers|kek_key|" + asId);

    public static SecretBinding KekCheck(string label) => new("kek_checks|check_value|" + label);

    /// <summary>The binding of a stored row from its key values as an engine reads them (see <c>SealedColumnShape</c>).</summary>
    public static SecretBinding ForStoredRow(string table, string column, IReadOnlyList<object> keys) => (table, column) switch
    {
        ("devices", "root_keys") => DeviceRootKeys(new DevEui(unchecked((ulong)Convert.ToInt64(keys[0], CultureInfo.InvariantCulture)))),
        ("devices", "claim_code") => DeviceClaimCode(new DevEui(unchecked((ulong)Convert.ToInt64(keys[0], CultureInfo.InvariantCulture)))),
        ("sessions", _) => keys[0] is byte[] id
            ? Session(new DevEui(unchecked((ulong)Convert.ToInt64(keys[1], CultureInfo.InvariantCulture))), id)
            : Session(new DevEui(unchecked((ulong)Convert.ToInt64(keys[0], CultureInfo.InvariantCulture))), (byte[])keys[1]),
        ("networks", _) => Network(new NetId((uint)Convert.ToInt64(keys[0], CultureInfo.InvariantCulture)), keys[1] is string { Length: > 0 } ns ? ns : null),
        ("application_servers", _) => ApplicationServer((string)keys[0]),
        _ => throw new ArgumentOutOfRangeException(nameof(table), $"{table}.{column} holds no sealed secret."),
    };

    public byte[] ToBytes() => Encoding.UTF8.GetBytes(Text ?? "");

    public override string ToString() => Text;
}
