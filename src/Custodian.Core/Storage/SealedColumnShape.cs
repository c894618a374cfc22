using System.Globalization;

namespace Custodian.Core.Storage;

/// <summary>
/// Where a <see cref="SealedColumn"/> lives: its table, column and key columns (SQL expressions), for the engines'
/// generic rewrap statements. A cell's key is its key values joined by '/', the last one taking the rest of the text.
/// </summary>
public sealed record SealedColumnShape(string Table, string Column, IReadOnlyList<string> KeyColumns, IReadOnlyList<SealedKeyKind> KeyKinds)
{
    public bool IsDevice => Table == "devices";

    public static SealedColumnShape For(SealedColumn column, bool sessionsByDevEuiFirst) => column switch
    {
        SealedColumn.DeviceRootKeys => new("devices", "root_keys", ["dev_eui"], [SealedKeyKind.Integer]),
        SealedColumn.DeviceClaimCode => new("devices", "claim_code", ["dev_eui"], [SealedKeyKind.Integer]),
        // Each engine pages in its primary key's order.
        SealedColumn.SessionAppSKey => sessionsByDevEuiFirst
            ? new("sessions", "app_s_key", ["dev_eui", "session_key_id"], [SealedKeyKind.Integer, SealedKeyKind.Bytes])
            : new("sessions", "app_s_key", ["session_key_id", "dev_eui"], [SealedKeyKind.Bytes, SealedKeyKind.Integer]),
        SealedColumn.NetworkKek => new("networks", "kek_key", ["net_id", "coalesce(ns_id, '')"], [SealedKeyKind.Integer, SealedKeyKind.Text]),
        SealedColumn.ApplicationServerKek => new("application_servers", "kek_key", ["as_id"], [SealedKeyKind.Text]),
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };

    public string KeyList => string.Join(", ", KeyColumns);

    /// <summary>The key text of a row from its key values, as read.</summary>
    public static string FormatKey(IEnumerable<object> values) => string.Join('/', values.Select(value => value switch
    {
        byte[] bytes => Convert.ToHexString(bytes),
        long number => number.ToString(CultureInfo.InvariantCulture),
        int number => number.ToString(CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    }));

    /// <summary>The key values of a key text, typed for parameters.</summary>
    public object[] ParseKey(string key)
    {
        var parts = key.Split('/', KeyKinds.Count);
        if (parts.Length != KeyKinds.Count)
        {
            throw new FormatException($"A {Table}.{Column} key has {KeyKinds.Count} parts.");
        }
        return [.. parts.Select((part, i) => KeyKinds[i] switch
        {
            SealedKeyKind.Integer => (object)long.Parse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture),
            SealedKeyKind.Bytes => Convert.FromHexString(part),
            _ => part,
        })];
    }
}

public enum SealedKeyKind
{
    Integer,
    Bytes,
    Text,
}
